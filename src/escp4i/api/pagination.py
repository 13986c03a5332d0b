"""Pagination of public lists.

``Pagination`` (limit/offset) serves the short lists; ``KeysetPagination`` serves the registry
and event lists, which grow to 100,000 rows: ``?limit=&cursor=``, answered with
``{"items", "count", "count_capped", "next", "previous"}`` where ``next``/``previous`` are the
cursors of the neighbouring pages (null at either end) and ``count`` is exact unless
``count_capped`` (then there are more than ``count`` rows). The order is the selector's.
"""

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination, PaginationBase

from escp4i.core.pagination import (
    COUNT_CAP,
    MAX_CURSOR_LENGTH,
    CappedCount,
    capped_count,
    keyset_page,
)

MAX_LIMIT = 100
# Far beyond any list we hold; an unbounded offset overflowed the database's integer (500).
MAX_OFFSET = 1_000_000


class PageInput(Schema):
    limit: int = Field(settings.ESCP4I_PAGE_SIZE, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class Pagination(LimitOffsetPagination):
    Input = PageInput  # type: ignore[assignment]  # same fields, our default page size

    def __init__(self, **kwargs: object) -> None:
        super().__init__(max_limit=MAX_LIMIT, **kwargs)


class KeysetPagination(PaginationBase):
    class Input(Schema):
        limit: int = Field(settings.ESCP4I_PAGE_SIZE, ge=1, le=MAX_LIMIT)
        cursor: str | None = Field(
            None,
            max_length=MAX_CURSOR_LENGTH,
            description="The `next` or `previous` value of another page; none for the first",
        )

    class Output(Schema):
        items: list[Any]
        count: int = Field(..., description=f"Matching rows, exact up to {COUNT_CAP:,}")
        count_capped: bool = Field(..., description="True when there are more than `count`")
        next: str | None = Field(..., description="Cursor of the next page")
        previous: str | None = Field(..., description="Cursor of the previous page")

    def paginate_queryset(
        self,
        queryset: QuerySet[Any],
        pagination: Any,
        request: HttpRequest,
        **params: Any,
    ) -> dict[str, Any]:
        page = keyset_page(queryset, size=pagination.limit, cursor=pagination.cursor or None)
        if page.has_other_pages:
            count = capped_count(queryset, cap=COUNT_CAP)
        else:  # everything is on this page: no count query
            count = CappedCount(len(page.object_list), capped=False)
        return {
            "items": page.object_list,
            "count": count.value,
            "count_capped": count.capped,
            "next": page.next_cursor,
            "previous": page.previous_cursor,
        }
