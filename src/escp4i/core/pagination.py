"""Keyset (seek) pagination for long lists, and counts that stop counting at a ceiling.

A page is fetched with ``WHERE (ordering values) > (the last row's values) ORDER BY ... LIMIT n``
instead of ``OFFSET``, so page 5,000 costs what page 1 costs and rows inserted meanwhile never
shift a page. The ordering must end in a unique field (``pk``) so ties are broken the same way
every time, and its fields must not be NULL (annotate a ``Coalesce`` for nullable ones).

The cursor is the opaque, URL-safe encoding of those values and of the direction (the rows
after them, or before them for a "previous" link); a tampered cursor raises
:class:`InvalidCursor` (HTTP 400), never a server error.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Generic, TypeVar

from django.core.exceptions import FieldError, ValidationError
from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext as _

from escp4i.core.errors import DomainError

M = TypeVar("M", bound=Model)

MAX_CURSOR_LENGTH = 2048
# Lists say "more than 10,000 found" rather than count every row of a broad search.
COUNT_CAP = 10_000


class InvalidCursor(DomainError):
    code = "invalid_cursor"
    status = 400


@dataclass(frozen=True, slots=True)
class KeysetPage(Generic[M]):
    object_list: list[M]
    next_cursor: str | None
    previous_cursor: str | None

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None

    @property
    def has_previous(self) -> bool:
        return self.previous_cursor is not None

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous

    def __iter__(self):  # type: ignore[no-untyped-def]  # iterates the page's rows
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)


def _parse(ordering: Sequence[str]) -> list[tuple[str, bool]]:
    fields = [(name.removeprefix("-"), name.startswith("-")) for name in ordering]
    if not fields:
        raise ValueError("Keyset pagination needs an ordering.")
    return fields


def _encode(values: Sequence[Any], *, forward: bool) -> str:
    def plain(value: Any) -> Any:
        if isinstance(value, dt.datetime | dt.date | dt.time):
            return value.isoformat()
        if isinstance(value, Decimal):
            return str(value)
        return value

    payload = {"d": "n" if forward else "p", "v": [plain(v) for v in values]}
    raw = json.dumps(payload, separators=(",", ":"), ensure_ascii=False)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(
    queryset: QuerySet[Any], fields: list[tuple[str, bool]], cursor: str
) -> tuple[list[Any], bool]:
    """The cursor's values (typed like the ordering fields) and whether it points forward."""
    invalid = InvalidCursor(_("This page link is not valid (bad cursor)."))
    if len(cursor) > MAX_CURSOR_LENGTH:
        raise invalid
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        payload = json.loads(raw.decode())
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise invalid from exc
    if not isinstance(payload, dict) or payload.get("d") not in {"n", "p"}:
        raise invalid
    values = payload.get("v")
    if not isinstance(values, list) or len(values) != len(fields):
        raise invalid
    decoded = []
    query = queryset.query.clone()  # resolve_ref may add joins: never to the caller's query
    for (name, _desc), value in zip(fields, values, strict=True):
        if value is None or isinstance(value, list | dict):
            raise invalid
        try:
            output_field = query.resolve_ref(name).output_field
            decoded.append(output_field.to_python(value))
        except (ValidationError, FieldError, TypeError, ValueError) as exc:
            raise invalid from exc
    return decoded, payload["d"] == "n"


def _seek(fields: list[tuple[str, bool]], values: list[Any], *, forward: bool) -> Q:
    """Rows strictly after ``values`` in the ordering (before them when not ``forward``).

    Built as ``a >= x AND (a > x OR (b >= y AND (b > y OR c > z)))``: the leading range
    condition on the first field lets an index on the ordering serve the seek.
    """
    condition: Q | None = None
    for (name, descending), value in reversed(list(zip(fields, values, strict=True))):
        less = descending == forward  # forward on an ascending field means "greater"
        strict = Q(**{f"{name}__{'lt' if less else 'gt'}": value})
        if condition is None:
            condition = strict
        else:
            loose = Q(**{f"{name}__{'lte' if less else 'gte'}": value})
            condition = loose & (strict | condition)
    assert condition is not None  # noqa: S101  # _parse guarantees at least one field
    return condition


def _values_of(row: Any, fields: list[tuple[str, bool]]) -> list[Any]:
    values = []
    for name, _desc in fields:
        value: Any = row
        for part in name.split("__"):
            value = value.pk if part == "pk" else getattr(value, part)
        values.append(value)
    return values


def cursor_after(row: Model, ordering: Sequence[str]) -> str:
    """The cursor of the page that starts right after ``row`` (links, benchmarks, tests)."""
    return _encode(_values_of(row, _parse(ordering)), forward=True)


def keyset_page(
    queryset: QuerySet[M],
    *,
    size: int,
    cursor: str | None = None,
    ordering: Sequence[str] | None = None,
) -> KeysetPage[M]:
    """One page of ``queryset`` in ``ordering`` (ending in the primary key; default: the
    queryset's own ``order_by``), starting at ``cursor`` (a page's ``next_cursor`` or
    ``previous_cursor``; none for the first page).

    The ordering's fields must be model fields or annotations that the rows carry as
    attributes (``generation__code`` is read as ``row.generation.code``).
    """
    if size < 1:
        raise ValueError("Page size must be positive.")
    if ordering is None:
        ordering = [str(name) for name in queryset.query.order_by]
    fields = _parse(ordering)
    if fields[-1][0] not in {"pk", "id"}:
        raise ValueError("A keyset ordering must end in the primary key.")
    forward = True
    qs = queryset
    if cursor:
        values, forward = _decode(queryset, fields, cursor)
        qs = qs.filter(_seek(fields, values, forward=forward))
    order = [f"{'-' if desc == forward else ''}{name}" for name, desc in fields]
    rows = list(qs.order_by(*order)[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    if not forward:
        rows.reverse()
    if not rows:
        return KeysetPage(rows, next_cursor=None, previous_cursor=None)
    first = _encode(_values_of(rows[0], fields), forward=False)
    last = _encode(_values_of(rows[-1], fields), forward=True)
    if forward:
        return KeysetPage(
            rows, next_cursor=last if more else None, previous_cursor=first if cursor else None
        )
    return KeysetPage(rows, next_cursor=last, previous_cursor=first if more else None)


@dataclass(frozen=True, slots=True)
class CappedCount:
    """A row count that stops at ``cap``: ``value`` is exact unless ``capped``."""

    value: int
    capped: bool


def capped_count(queryset: QuerySet[Any], *, cap: int) -> CappedCount:
    """Count at most ``cap`` + 1 rows (``SELECT count(*) FROM (... LIMIT cap + 1)``), selecting
    only primary keys so annotations (ranks, correlated counts) are not computed for them."""
    n = queryset.order_by().values("pk")[: cap + 1].count()
    return CappedCount(min(n, cap), n > cap)
