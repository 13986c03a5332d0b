"""Limit/offset pagination for public lists: ``{"items": [...], "count": n}``."""

from django.conf import settings
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

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
