"""Exporting the registry tables as CSV, XLSX or JSON, in exactly the columns the importer reads.

Exporting a table and importing the file into an empty database gives back the same rows
(partnerships, organisations, then memberships). Multi-valued cells are joined with "; " (the
importer splits on ";"); target regions are written by name, which the importer resolves.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Sequence
from typing import Literal

from django.db.models import F, QuerySet

from escp4i.registry.models import ClusterOrganisation, Membership, Partnership

ExportKind = Literal["partnerships", "organisations", "memberships"]
ExportFormat = Literal["csv", "xlsx", "json"]
EXPORT_KINDS: tuple[ExportKind, ...] = ("partnerships", "organisations", "memberships")
EXPORT_FORMATS: tuple[ExportFormat, ...] = ("csv", "xlsx", "json")

COLUMNS: dict[ExportKind, tuple[str, ...]] = {
    "partnerships": (
        "acronym",
        "name",
        "generation",
        "category",
        "sectors",
        "target_countries",
        "coordinator",
        "website",
        "sme_count",
        "start_date",
        "end_date",
        "source_urls",
        "notes",
    ),
    "organisations": (
        "name",
        "country",
        "region",
        "sectors",
        "sme_members",
        "total_members",
        "website",
        "validation_status",
        "source_urls",
        "notes",
    ),
    "memberships": (
        "partnership",
        "generation",
        "organisation",
        "country",
        "role",
        "source_urls",
        "notes",
    ),
}

CONTENT_TYPES: dict[ExportFormat, str] = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}

Cell = str | int | None


def _multi(values: Iterable[str]) -> str:
    return "; ".join(values)


def _date(value: object) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else ""


def _partnership_rows(generation: str | None) -> Iterable[list[Cell]]:
    qs: QuerySet[Partnership] = Partnership.objects.select_related("generation").prefetch_related(
        "target_countries", "target_regions"
    )
    if generation:
        qs = qs.filter(generation__code=generation)
    for p in qs.order_by(F("generation__code").asc(nulls_first=True), "acronym", "pk"):
        targets = [
            *sorted(c.code for c in p.target_countries.all()),
            *sorted(r.name for r in p.target_regions.all()),
        ]
        yield [
            p.acronym,
            p.name,
            p.generation.code if p.generation else "",
            p.category,
            p.sectors_text,
            _multi(targets),
            p.coordinator_name,
            p.website,
            p.sme_count,
            _date(p.start_date),
            _date(p.end_date),
            _multi(p.source_urls),
            p.notes,
        ]


def _organisation_rows(generation: str | None) -> Iterable[list[Cell]]:
    qs = ClusterOrganisation.objects.all()
    if generation:
        qs = qs.filter(
            pk__in=Membership.objects.filter(partnership__generation__code=generation).values(
                "organisation"
            )
        )
    for o in qs.order_by("name", "country_id", "pk"):
        yield [
            o.name,
            o.country_id,
            o.region,
            o.sectors_text,
            o.sme_members,
            o.total_members,
            o.website,
            o.validation_status,
            _multi(o.source_urls),
            o.notes,
        ]


def _membership_rows(generation: str | None) -> Iterable[list[Cell]]:
    qs = Membership.objects.select_related("partnership__generation", "organisation")
    if generation:
        qs = qs.filter(partnership__generation__code=generation)
    ordering = (
        F("partnership__generation__code").asc(nulls_first=True),
        "partnership__acronym",
        "-role",
        "organisation__name",
        "pk",
    )
    for m in qs.order_by(*ordering):
        yield [
            m.partnership.acronym,
            m.partnership.generation.code if m.partnership.generation else "",
            m.organisation.name,
            m.organisation.country_id,
            m.role,
            _multi(m.source_urls),
            m.notes,
        ]


_ROWS = {
    "partnerships": _partnership_rows,
    "organisations": _organisation_rows,
    "memberships": _membership_rows,
}


def registry_export(
    *, kind: ExportKind, fmt: ExportFormat, generation: str | None = None
) -> tuple[bytes, str, str]:
    """Export one registry table. Returns (content, content type, file name).

    ``generation`` (a code such as "2016") limits the rows to that generation: its partnerships,
    their memberships, and the organisations that are members of them.
    """
    if kind not in _ROWS:
        raise ValueError(f"unknown export kind {kind!r}")
    header = COLUMNS[kind]
    rows = list(_ROWS[kind](generation))
    if fmt == "csv":
        content = _to_csv(header, rows)
    elif fmt == "xlsx":
        content = _to_xlsx(kind, header, rows)
    elif fmt == "json":
        content = _to_json(header, rows)
    else:
        raise ValueError(f"unknown export format {fmt!r}")
    return content, CONTENT_TYPES[fmt], f"escp4i-{kind}{_file_suffix(generation)}.{fmt}"


def _file_suffix(generation: str | None) -> str:
    """The generation code as it may appear in a Content-Disposition file name: codes are short
    and plain ("2016"); anything else a caller sends (newlines, non-Latin-1) is left out."""
    safe = re.sub(r"[^A-Za-z0-9_-]", "", generation or "")[:32]
    return f"-{safe}" if safe else ""


def _to_csv(header: Sequence[str], rows: Sequence[Sequence[Cell]]) -> bytes:
    buffer = io.StringIO(newline="")
    # RFC 4180: CRLF line ends, fields quoted only when they need it, quotes doubled.
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    writer.writerows([["" if cell is None else cell for cell in row] for row in rows])
    return buffer.getvalue().encode("utf-8")


def _to_json(header: Sequence[str], rows: Sequence[Sequence[Cell]]) -> bytes:
    objects = [dict(zip(header, row, strict=True)) for row in rows]
    return json.dumps(objects, ensure_ascii=False, indent=2).encode("utf-8")


def _to_xlsx(kind: str, header: Sequence[str], rows: Sequence[Sequence[Cell]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # noqa: S101  # a new workbook always has one sheet
    sheet.title = kind
    sheet.append(list(header))
    bold = Font(bold=True)
    for cell in sheet[1]:
        cell.font = bold
    sheet.freeze_panes = "A2"
    widths = [len(h) for h in header]
    for row_index, row in enumerate(rows, start=2):
        for col_index, value in enumerate(row, start=1):
            if value is None:
                continue
            cell = sheet.cell(row=row_index, column=col_index)
            if isinstance(value, str):
                cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
                # Text that starts with "=" is data, never a formula.
                cell.data_type = "s"
            else:
                cell.value = value
            widths[col_index - 1] = max(widths[col_index - 1], min(len(str(value)), 60))
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width + 2
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
