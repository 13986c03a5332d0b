"""The importer: header mapping, codes or names, multi-values, all-or-nothing with every bad row."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from escp4i.core.errors import ImportRejected
from escp4i.registry.models import ClusterOrganisation, Membership, Partnership
from escp4i.registry.services import registry_import


def _csv(text: str) -> io.BytesIO:
    return io.BytesIO(text.encode("utf-8"))


def _snapshot():
    return (
        list(Partnership.objects.order_by("pk").values()),
        list(ClusterOrganisation.objects.order_by("pk").values()),
        list(Membership.objects.order_by("pk").values()),
    )


@pytest.mark.django_db
def test_import_organisations_with_header_mapping_and_country_names():
    data = (
        "Organisation Name,Country,Sectors,SME members,Total members,Website\n"
        "Cluster A,France,ICT;space,40,60,https://a.example.org\n"
        'Cluster B,DE,"food; packaging",,12,\n'
        "Cluster C,United Kingdom,,,,\n"
    )
    summary = registry_import(kind="organisations", stream=_csv(data), fmt="csv")
    assert summary.created == 3
    a = ClusterOrganisation.objects.get(name="Cluster A")
    assert a.country_id == "FR"
    assert a.sme_members == 40
    assert set(a.sectors.values_list("slug", flat=True)) == {"ict-microelectronics", "space"}
    b = ClusterOrganisation.objects.get(name="Cluster B")
    assert b.sme_members is None and b.total_members == 12
    assert ClusterOrganisation.objects.get(name="Cluster C").country_id == "GB"


@pytest.mark.django_db
def test_import_with_explicit_header_map():
    data = "Cluster,Land\nCluster A,NL\n"
    summary = registry_import(
        kind="organisations",
        stream=_csv(data),
        fmt="csv",
        header_map={"Land": "country"},
    )
    assert summary.created == 1
    assert ClusterOrganisation.objects.get().country_id == "NL"


@pytest.mark.django_db
def test_malformed_file_imports_nothing_and_lists_every_bad_row(registry_data):
    before = _snapshot()
    data = (
        "acronym,name,generation,category,target_countries,sme_count,website,source_urls\n"
        "NEW1,Good row,2016,strand1,US;ASEAN,10,https://ok.example.org,https://src.example.org\n"
        "NEW2,Bad country,2016,strand2,Atlantis,,,\n"
        ",Missing acronym,2016,,,,,\n"
        "NEW4,Bad number,2016,voluntary,,lots,,\n"
        "NEW5,Bad category and url,2031,strand9,,,not-a-url,\n"
    )
    with pytest.raises(ImportRejected) as excinfo:
        registry_import(kind="partnerships", stream=_csv(data), fmt="csv")
    errors = excinfo.value.extra["errors"]
    by_line = {}
    for error in errors:
        by_line.setdefault(error["line"], set()).add(error["field"])
    assert by_line == {
        3: {"target_countries"},
        4: {"acronym"},
        5: {"sme_count"},
        6: {"generation", "category", "website"},
    }
    assert all(error["message"] for error in errors)
    assert _snapshot() == before
    assert not Partnership.objects.filter(acronym="NEW1").exists()


@pytest.mark.django_db
def test_membership_referencing_unknown_partnership_is_rejected(registry_data):
    before = _snapshot()
    data = "partnership_acronym,generation,organisation_name,country_iso2,role\n"
    data += "ECCA,2016,New Cluster,SI,partner\nNOPE,2016,Other,SI,partner\n"
    with pytest.raises(ImportRejected) as excinfo:
        registry_import(kind="memberships", stream=_csv(data), fmt="csv")
    assert [e["line"] for e in excinfo.value.extra["errors"]] == [3]
    assert _snapshot() == before


@pytest.mark.django_db
def test_missing_required_column_is_reported():
    with pytest.raises(ImportRejected) as excinfo:
        registry_import(kind="organisations", stream=_csv("name\nX\n"), fmt="csv")
    assert excinfo.value.extra["errors"][0]["field"] == "country"


@pytest.mark.django_db
def test_duplicate_rows_in_one_file_are_rejected():
    data = "name,country\nCluster A,FR\ncluster a,France\n"
    with pytest.raises(ImportRejected) as excinfo:
        registry_import(kind="organisations", stream=_csv(data), fmt="csv")
    assert excinfo.value.extra["errors"][0]["line"] == 3


@pytest.mark.django_db
def test_dry_run_reports_but_writes_nothing():
    data = "name,country\nCluster A,FR\nCluster B,BE\n"
    summary = registry_import(kind="organisations", stream=_csv(data), fmt="csv", dry_run=True)
    assert summary.created == 2 and summary.dry_run
    assert ClusterOrganisation.objects.count() == 0


@pytest.mark.django_db
def test_import_is_idempotent():
    data = "name,country,website\nCluster A,FR,https://a.example.org\n"
    registry_import(kind="organisations", stream=_csv(data), fmt="csv")
    again = registry_import(kind="organisations", stream=_csv(data), fmt="csv")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)


@pytest.mark.django_db
def test_semicolon_separated_csv_is_read():
    data = "name;country;sectors\nCluster A;ES;water, energy\n"
    registry_import(kind="organisations", stream=_csv(data), fmt="csv")
    assert ClusterOrganisation.objects.get().country_id == "ES"


@pytest.mark.django_db
def test_xlsx_import_reports_rows_by_sheet_line():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Name", "Country", "Total members"])
    sheet.append(["Cluster X", "PL", 30])
    sheet.append(["Cluster Y", "Narnia", 5])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    with pytest.raises(ImportRejected) as excinfo:
        registry_import(kind="organisations", stream=buffer, fmt="xlsx")
    assert excinfo.value.extra["errors"] == [
        {"line": 3, "field": "country", "message": "unknown country 'Narnia'"}
    ]
    buffer.seek(0)
    sheet.delete_rows(3)
    fixed = io.BytesIO()
    workbook.save(fixed)
    fixed.seek(0)
    assert registry_import(kind="organisations", stream=fixed, fmt="xlsx").created == 1
    assert ClusterOrganisation.objects.get().total_members == 30


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("payload", "fragment"),
    [
        (b"\xff\xfe\x00bad", "UTF-8"),
        (b"", "empty"),
        (b"name,country\n", "no data rows"),
    ],
)
def test_unreadable_files_are_rejected_with_a_reason(payload, fragment):
    with pytest.raises(ImportRejected) as excinfo:
        registry_import(kind="organisations", stream=io.BytesIO(payload), fmt="csv")
    text = excinfo.value.message + " ".join(e["message"] for e in excinfo.value.extra["errors"])
    assert fragment in text


@pytest.mark.django_db
def test_not_an_xlsx_file_is_rejected():
    with pytest.raises(ImportRejected):
        registry_import(kind="organisations", stream=io.BytesIO(b"PK\x03\x04junk"), fmt="xlsx")
