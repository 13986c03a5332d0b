"""Bad files through the registry importer (Hypothesis): random bytes, encodings and BOMs,
delimiters, quoting, line ends, huge fields, missing and duplicate headers, odd cell values, XLSX
workbooks with odd cells, damaged XLSX files.

Property: ``registry_import`` either imports cleanly (and the summary counts the rows) or raises
``ImportRejected`` listing problems with a line number and a clear message, and then nothing was
written; no other exception ever escapes.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from escp4i.core.errors import ImportRejected
from escp4i.registry.models import ClusterOrganisation, Generation, Membership, Partnership
from escp4i.registry.services import IMPORT_KINDS, registry_import
from escp4i.registry.services.imports import FIELD_ALIASES, REQUIRED

pytestmark = pytest.mark.django_db

PROPERTY = settings(
    max_examples=80,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.function_scoped_fixture,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)


@pytest.fixture(autouse=True)
def _generation(db):
    Generation.objects.get_or_create(code="2016", defaults={"name": "2016"})


def _counts() -> tuple[int, int, int]:
    return (
        Partnership.objects.count(),
        ClusterOrganisation.objects.count(),
        Membership.objects.count(),
    )


def check_import(kind: str, content: bytes, fmt: str, dry_run: bool = False) -> None:
    before = _counts()
    try:
        summary = registry_import(kind=kind, stream=io.BytesIO(content), fmt=fmt, dry_run=dry_run)
    except ImportRejected as exc:
        assert exc.message.strip()
        errors = exc.extra["errors"]
        assert errors, "a rejected file lists its problems"
        for error in errors:
            assert isinstance(error["line"], int) and error["line"] >= 1
            assert isinstance(error["field"], str)
            assert isinstance(error["message"], str) and error["message"].strip()
            assert "Traceback" not in error["message"]
        assert _counts() == before, "nothing is written when a file is rejected"
        return
    assert summary.rows >= 1
    assert summary.created + summary.updated + summary.unchanged == summary.rows
    if dry_run:
        assert _counts() == before


# --- cell and header strategies --------------------------------------------------------------

_header_names = sorted(
    {
        spelling
        for fields in FIELD_ALIASES.values()
        for f, s in fields.items()
        for spelling in (f, *s)
    }
)
_headers = st.lists(
    st.one_of(st.sampled_from(_header_names), st.text(max_size=12), st.just("")),
    min_size=0,
    max_size=8,
)
_good_cells = st.sampled_from(
    [
        "DE",
        "France",
        "FRA",
        "Kosovo",
        "2016",
        "2017",
        "strand1",
        "pending",
        "coordinator",
        "partner",
        "ICT; space",
        "https://example.org",
        "http://a.example/b;https://b.example",
        "ftp://nope",
        "2020-01-31",
        "2020-02-30",
        "31/01/2020",
        "12",
        "1,200",
        "1 200",
        "-3",
        "²",
        "٣",
        "99999999999999999999",
        "North America",
        "Latin America",
        "validated",
        "ECCA",
        "x" * 300,
    ]
)
_cells = st.one_of(
    _good_cells,
    st.text(max_size=30),
    st.text(alphabet='",;\t\r\n ', max_size=6),
    st.just("y" * 140_000),  # larger than the csv module's default field limit
)


def _headers_for(kind: str) -> st.SearchStrategy[list[str]]:
    """Mostly the kind's own columns (required ones first), with aliases, junk, blanks and
    duplicates mixed in, so rows get past the header checks and reach the value checks."""
    fields = FIELD_ALIASES[kind]
    spellings = sorted({s for f, aliases in fields.items() for s in (f, *aliases)})
    required = list(REQUIRED[kind])
    extra = st.lists(
        st.one_of(st.sampled_from(spellings), st.sampled_from(_header_names), st.text(max_size=8)),
        max_size=5,
    )
    return st.one_of(
        extra.map(lambda more: required + more),
        st.permutations(list(fields)),  # every field once, in any order
        _headers,
    )


ARABIC_INDIC_DATE = "\u0662\u0660\u0662\u0660-\u0660\u0661-\u0660\u0661"  # 2020-01-01
_POOLS = {
    "count": ["", "12", "0", "1,200", "1 200", "1.200", "-3", "12.5", "²", "٣", "x", "9" * 20],
    "country": ["DE", "France", "FRA", "fr", "Kosovo", "XX", "", "٣", "Germany "],
    "url": [
        "https://example.org",
        "http://a.example/b;https://b.example",
        "ftp://nope",
        "not a url",
        "https://e.org/" + "a" * 300,
        "",
    ],
    "date": ["2020-01-31", "2019-12-31", "2020-02-30", "31/01/2020", ARABIC_INDIC_DATE, ""],
    "generation": ["2016", "2016", "", "2099", "x"],
    "category": ["strand1", "strand2", "voluntary", "pending", "Strand 1", "", "zzz"],
    "role": ["coordinator", "partner", "", "boss"],
    "validation_status": ["validated", "", "unknown", "maybe"],
    "target_countries": ["US; CA", "North America", "Latin America", "Atlantis", "JP,KR", ""],
    "text": ["A", "Cluster ä", "ECCA", "x" * 300, "", " spaced "],
}
_FIELD_POOL = {
    "sme_count": "count",
    "sme_members": "count",
    "total_members": "count",
    "country": "country",
    "website": "url",
    "source_urls": "url",
    "start_date": "date",
    "end_date": "date",
    "generation": "generation",
    "category": "category",
    "role": "role",
    "validation_status": "validation_status",
    "target_countries": "target_countries",
}


def _field_values(field_name: str) -> st.SearchStrategy[str]:
    pool = _POOLS[_FIELD_POOL.get(field_name, "text")]
    return st.one_of(st.sampled_from(pool), st.text(max_size=20))


@st.composite
def csv_files(draw, kind: str, damaged: bool) -> bytes:
    """A CSV file for ``kind``. Well-formed ones (UTF-8, with or without BOM, rows no wider
    than the header) carry odd values to the row checks; damaged ones add stray quotes, NULs,
    BOMs and CRs, fields beyond the csv module's limit, rows wider than the header and other
    encodings."""
    if damaged:
        headers = draw(_headers_for(kind))
        width = max(len(headers), 1)
        rows = draw(st.lists(st.lists(_cells, max_size=width + 1), max_size=5))
    else:  # every field of the kind once, in any order, each under one of its spellings,
        # with values meant for that field (valid, borderline and wrong)
        fields = draw(st.permutations(list(FIELD_ALIASES[kind])))
        headers = [draw(st.sampled_from((f, *FIELD_ALIASES[kind][f]))) for f in fields]
        row = st.tuples(*[_field_values(f) for f in fields]).map(list)
        rows = draw(st.lists(row, min_size=1, max_size=4))
    # the importer reads "," and ";" (tab-separated files are rejected as malformed)
    delimiter = draw(st.sampled_from([",", ";", "\t"] if damaged else [",", ";"]))
    quoting = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC]))
    terminator = draw(st.sampled_from(["\r\n", "\n", "\r"]))
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, quoting=quoting, lineterminator=terminator)
    writer.writerows([headers, *rows])
    text = buffer.getvalue()
    if damaged:
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(['"', '""', "\x00", "\ufeff", "\r"])) + text[at:]
        encoding = draw(st.sampled_from(["utf-8", "utf-16", "latin-1", "cp1252"]))
    else:
        encoding = draw(st.sampled_from(["utf-8", "utf-8-sig"]))
    return text.encode(encoding, errors="replace")


def _xlsx_value():
    return st.one_of(
        _good_cells,
        st.text(max_size=20).map(lambda t: ILLEGAL_CHARACTERS_RE.sub("", t)),
        st.none(),
        st.booleans(),
        st.integers(-(10**20), 10**20),
        st.floats(allow_nan=False, allow_infinity=False),
        st.dates(min_value=dt.date(1900, 3, 1)),
        st.datetimes(min_value=dt.datetime(1900, 3, 1)),  # noqa: DTZ001  # naive, as in a sheet
        st.times(),
        st.sampled_from(["=1/0", "=A1", "#DIV/0!", '=HYPERLINK("http://x")']),
    )


@st.composite
def xlsx_files(draw, kind: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    headers = draw(st.one_of(_headers_for(kind), st.lists(_xlsx_value(), max_size=5)))
    headers = [ILLEGAL_CHARACTERS_RE.sub("", h) if isinstance(h, str) else h for h in headers]
    if headers:
        sheet.append(headers)
    for row in draw(st.lists(st.lists(_xlsx_value(), max_size=8), max_size=5)):
        sheet.append(row)
    if draw(st.booleans()):
        workbook.create_sheet("second").append(["ignored"])
    out = io.BytesIO()
    workbook.save(out)
    content = out.getvalue()
    damage = draw(st.sampled_from(["none", "none", "truncate", "flip"]))
    if damage == "truncate":
        content = content[: draw(st.integers(0, len(content)))]
    elif damage == "flip":
        at = draw(st.integers(0, len(content) - 1))
        content = content[:at] + bytes([content[at] ^ 0xFF]) + content[at + 1 :]
    return content


# --- properties ------------------------------------------------------------------------------


@PROPERTY
@given(
    kind=st.sampled_from(IMPORT_KINDS),
    content=st.binary(max_size=600),
    fmt=st.sampled_from(["csv", "xlsx"]),
)
def test_random_bytes_import_or_are_rejected_cleanly(kind, content, fmt):
    check_import(kind, content, fmt)


@PROPERTY
@given(data=st.data(), kind=st.sampled_from(IMPORT_KINDS), dry_run=st.booleans())
def test_odd_values_in_csv_files_import_or_are_rejected_cleanly(data, kind, dry_run):
    check_import(kind, data.draw(csv_files(kind, damaged=False)), "csv", dry_run)


@PROPERTY
@given(data=st.data(), kind=st.sampled_from(IMPORT_KINDS))
def test_damaged_csv_files_are_rejected_cleanly(data, kind):
    check_import(kind, data.draw(csv_files(kind, damaged=True)), "csv")


@PROPERTY
@given(data=st.data(), kind=st.sampled_from(IMPORT_KINDS))
def test_odd_xlsx_workbooks_import_or_are_rejected_cleanly(data, kind):
    check_import(kind, data.draw(xlsx_files(kind)), "xlsx")


@pytest.mark.parametrize(
    ("kind", "content", "fragment"),
    [
        ("organisations", b"name,name,country\nA,B,DE\n", "column"),
        ("organisations", b"Name,Organisation name,Country\nA,B,DE\n", "column"),
        ("organisations", b"name,country,sme members\nA,DE,\xc2\xb2\n", "whole number"),
        ("organisations", b"name,country,sme members\nA,DE,99999999999999\n", "too large"),
        ("partnerships", b"acronym,name,website\nX,Y,https://e.org/" + b"a" * 300 + b"\n", "200"),
    ],
)
def test_found_by_the_properties(kind, content, fragment):
    """Inputs the properties found: two columns for one field (the second silently won),
    superscript digits (``"²".isdigit()`` is true, ``int("²")`` fails), counts beyond the
    database's integer and URLs beyond the field's length (a ValidationError at save time, a 500
    on the import page)."""
    with pytest.raises(ImportRejected) as caught:
        registry_import(kind=kind, stream=io.BytesIO(content), fmt="csv")
    messages = " ".join(e["message"] for e in caught.value.extra["errors"])
    assert fragment in messages
    assert _counts() == (0, 0, 0)
