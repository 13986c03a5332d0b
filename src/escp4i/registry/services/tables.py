"""Reading tabular files (CSV per RFC 4180, XLSX) into rows that remember their line numbers."""

from __future__ import annotations

import csv
import io
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from django.utils.translation import gettext as _

from escp4i.core.errors import ImportRejected
from escp4i.core.uploads import content_matches, looks_binary, too_large_error, upload_max_bytes

MAX_ROWS = 200_000


@dataclass(frozen=True, slots=True)
class Row:
    line: int
    values: dict[str, str]


@dataclass(frozen=True, slots=True)
class Table:
    headers: list[str]
    rows: list[Row]


def detect_format(filename: str) -> str:
    suffix = Path(filename).suffix.lower()
    if suffix == ".xlsx":
        return "xlsx"
    if suffix in {".csv", ".txt", ""}:
        return "csv"
    raise ImportRejected(
        _("Unsupported file type %(suffix)s: use .csv or .xlsx.") % {"suffix": suffix},
        errors=[],
    )


def read_table(stream: BinaryIO, *, fmt: str) -> Table:
    """Read a CSV or XLSX stream. Header cells are stripped; data cells are stripped strings.

    Refused before parsing: more than ``ESCP4I_UPLOAD_MAX_BYTES``, an XLSX that is not an
    OOXML workbook, a "CSV" whose bytes are a binary file (a workbook, a PDF...)."""
    limit = upload_max_bytes()
    raw = stream.read(limit + 1)
    if len(raw) > limit:
        raise _fail(str(too_large_error(len(raw)).message))
    if fmt == "xlsx":
        if not content_matches("xlsx", io.BytesIO(raw)):
            raise _fail(
                _("The file is not an XLSX workbook (checked by its content, not its name).")
            )
        return _read_xlsx(io.BytesIO(raw))
    if looks_binary(raw[:8]):
        raise _fail(
            _(
                "The file is a binary file (a spreadsheet, PDF or similar), not CSV text: "
                "export it as CSV (UTF-8) or upload the .xlsx workbook."
            )
        )
    return _read_csv(io.BytesIO(raw))


def _fail(message: str) -> ImportRejected:
    return ImportRejected(message, errors=[{"line": 1, "field": "", "message": message}])


def _read_csv(stream: BinaryIO) -> Table:
    raw = stream.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        message = _("The file is not UTF-8 encoded text (byte %(pos)s).") % {"pos": exc.start}
        raise _fail(message) from None
    if "\x00" in text:
        raise _fail(_("The file contains NUL bytes: it is not a CSV text file."))
    sample = text[:4096]
    delimiter = ","
    if sample.count(";") > sample.count(",") and sample.count("\t") == 0:
        # Spreadsheet exports in several EU locales use ';' as the field separator.
        header_line = sample.splitlines()[0] if sample else ""
        if header_line.count(";") > header_line.count(","):
            delimiter = ";"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        headers = [h.strip() for h in next(reader)]
    except StopIteration:
        raise _fail(_("The file is empty.")) from None
    except csv.Error as exc:
        raise _fail(_("Malformed CSV header: %(error)s") % {"error": exc}) from None
    rows: list[Row] = []
    while True:
        start_line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise ImportRejected(
                _("Malformed CSV at line %(line)s: %(error)s") % {"line": start_line, "error": exc},
                errors=[{"line": start_line, "field": "", "message": str(exc)}],
            ) from None
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(headers):
            extra = [c for c in cells[len(headers) :] if c.strip()]
            if extra:
                raise ImportRejected(
                    _("Line %(line)s has more cells than the header.") % {"line": start_line},
                    errors=[
                        {
                            "line": start_line,
                            "field": "",
                            "message": _("%(n)s cells but the header has %(h)s columns")
                            % {"n": len(cells), "h": len(headers)},
                        }
                    ],
                )
        values = {
            header: (cells[i].strip() if i < len(cells) else "") for i, header in enumerate(headers)
        }
        rows.append(Row(line=start_line, values=values))
        if len(rows) > MAX_ROWS:
            raise _fail(_("Too many rows: at most %(max)s per file.") % {"max": MAX_ROWS})
    return Table(headers=headers, rows=rows)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return str(value.isoformat())[:10]
    return str(value).strip()


def _read_xlsx(stream: BinaryIO) -> Table:
    raw_rows = _xlsx_rows(stream.read())
    if not raw_rows:
        raise _fail(_("The workbook's first sheet is empty."))
    headers = [_cell_text(h) for h in raw_rows[0]]
    while headers and not headers[-1]:
        headers.pop()
    rows: list[Row] = []
    for index, cells in enumerate(raw_rows[1:], start=2):
        texts = [_cell_text(c) for c in cells]
        if not any(texts):
            continue
        values = {h: (texts[i] if i < len(texts) else "") for i, h in enumerate(headers)}
        rows.append(Row(line=index, values=values))
    return Table(headers=headers, rows=rows)


def _xlsx_rows(content: bytes) -> list[tuple[object, ...]]:
    """The first sheet's rows as values. openpyxl parses an untrusted file lazily and, on a
    damaged one, raises whatever its zip, zlib or XML layer or its own parsers raise (BadZipFile,
    zlib.error, ParseError, KeyError, TypeError, IndexError ...): every one of them means "not a
    readable workbook", so all are reported as that (our own rejections pass through)."""
    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            # openpyxl warns about parts it skips (data validation, odd relationships): not
            # something the person importing can act on, and the data is still read.
            warnings.simplefilter("ignore", UserWarning)
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
            try:
                rows: list[tuple[object, ...]] = []
                for cells in workbook.worksheets[0].iter_rows(values_only=True):
                    rows.append(tuple(cells))
                    if len(rows) > MAX_ROWS + 1:
                        raise _fail(
                            _("Too many rows: at most %(max)s per file.") % {"max": MAX_ROWS}
                        )
            finally:
                workbook.close()
    except ImportRejected:
        raise
    except Exception as exc:  # see the docstring: a damaged file, whatever the cause
        detail = " ".join(str(exc).split())[:200] or type(exc).__name__
        message = _("The file is not a readable XLSX workbook (%(error)s).") % {"error": detail}
        raise _fail(message) from None
    return rows
