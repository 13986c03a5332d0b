"""Exports: RFC 4180 CSV, XLSX, JSON; and export -> import into an empty registry round trips."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from openpyxl import load_workbook

from escp4i.registry.exports import COLUMNS, registry_export
from escp4i.registry.models import (
    ClusterOrganisation,
    Generation,
    Membership,
    Partnership,
    ReportedFigure,
    Sector,
)
from escp4i.registry.services import registry_import
from escp4i.registry.taxonomy import focus_areas_for_terms

TRICKY_NOTES = 'Said "hello", then left;\nsecond line = fine, ünïcødé'


def _enrich():
    """Edge cases the shipped data lacks: quotes, newlines, dates, counts, formulas-lookalikes."""
    ecca = Partnership.objects.get(slug="ecca")
    ecca.start_date, ecca.end_date = dt.date(2016, 1, 1), dt.date(2017, 6, 30)
    ecca.sme_count = 321
    ecca.notes = TRICKY_NOTES
    ecca.coordinator_name = "=SUM(A1:A2)"
    ecca.save()
    org = ClusterOrganisation.objects.get(name="Packbridge", country_id="SE")
    org.sectors_text = "packaging; ICT"
    org.sme_members, org.total_members = 40, 60
    org.website = "https://packbridge.example.org/"
    org.region = "Skåne, Malmö"
    org.validation_status = "validated"
    org.notes = TRICKY_NOTES
    org.save()
    org.sectors.set(Sector.objects.filter(slug__in=focus_areas_for_terms(["packaging", "ICT"])))


def _state():
    partnerships = {
        (
            p.acronym,
            p.name,
            p.generation.code if p.generation else None,
            p.category,
            p.sectors_text,
            tuple(sorted(c.code for c in p.target_countries.all())),
            tuple(sorted(r.slug for r in p.target_regions.all())),
            tuple(sorted(s.slug for s in p.sectors.all())),
            p.coordinator_name,
            p.website,
            p.sme_count,
            p.start_date,
            p.end_date,
            tuple(p.source_urls),
            p.notes,
        )
        for p in Partnership.objects.select_related("generation")
    }
    organisations = {
        (
            o.name,
            o.country_id,
            o.region,
            o.sectors_text,
            tuple(sorted(s.slug for s in o.sectors.all())),
            o.sme_members,
            o.total_members,
            o.website,
            o.validation_status,
            tuple(o.source_urls),
            o.notes,
        )
        for o in ClusterOrganisation.objects.all()
    }
    memberships = {
        (
            m.partnership.acronym,
            m.partnership.generation.code if m.partnership.generation else None,
            m.organisation.name,
            m.organisation.country_id,
            m.role,
            tuple(m.source_urls),
            m.notes,
        )
        for m in Membership.objects.select_related("partnership__generation", "organisation")
    }
    return partnerships, organisations, memberships


def _empty_registry():
    """Delete every registry row except reference data; keep bare generations (not importable)."""
    generations = list(Generation.objects.values("code", "name"))
    Membership.objects.all().delete()
    Partnership.objects.all().delete()
    ClusterOrganisation.objects.all().delete()
    ReportedFigure.objects.all().delete()
    Generation.objects.all().delete()
    for values in generations:
        Generation.objects.create(**values)


def _json_to_csv(content: bytes) -> bytes:
    rows = json.loads(content)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows({k: "" if v is None else v for k, v in row.items()} for row in rows)
    return buffer.getvalue().encode("utf-8")


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_export_then_import_into_empty_registry_round_trips(registry_data, fmt):
    _enrich()
    before = _state()
    files = {
        kind: registry_export(kind=kind, fmt=fmt)[0]
        for kind in ("partnerships", "organisations", "memberships")
    }
    _empty_registry()
    assert not Partnership.objects.exists()
    for kind in ("partnerships", "organisations", "memberships"):
        content = files[kind]
        import_fmt = fmt
        if fmt == "json":
            content, import_fmt = _json_to_csv(content), "csv"
        registry_import(kind=kind, stream=io.BytesIO(content), fmt=import_fmt)
    after = _state()
    assert after[0] == before[0]
    assert after[1] == before[1]
    assert after[2] == before[2]


def test_csv_is_rfc4180(registry_data):
    _enrich()
    content, content_type, filename = registry_export(kind="partnerships", fmt="csv")
    assert content_type == "text/csv; charset=utf-8"
    assert filename == "escp4i-partnerships.csv"
    text = content.decode("utf-8")
    assert text.startswith(",".join(COLUMNS["partnerships"]) + "\r\n")
    assert text.endswith("\r\n")
    assert '"Said ""hello"", then left;\nsecond line = fine, ünïcødé"' in text
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert len(rows) == Partnership.objects.count()
    ecca = next(r for r in rows if r["acronym"] == "ECCA")
    assert ecca["notes"] == TRICKY_NOTES
    assert (
        ecca["source_urls"].count("; ") == len(Partnership.objects.get(slug="ecca").source_urls) - 1
    )


def test_xlsx_has_bold_frozen_header_and_text_not_formulas(registry_data):
    _enrich()
    content, content_type, _filename = registry_export(kind="partnerships", fmt="xlsx")
    assert content_type.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(content)).active
    assert [c.value for c in sheet[1]] == list(COLUMNS["partnerships"])
    assert all(c.font.bold for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    coordinator = COLUMNS["partnerships"].index("coordinator") + 1
    cells = [row[coordinator - 1] for row in sheet.iter_rows(min_row=2)]
    formula_like = next(c for c in cells if c.value == "=SUM(A1:A2)")
    assert formula_like.data_type == "s"


def test_json_is_a_list_of_objects_with_the_import_columns(registry_data):
    content, content_type, _filename = registry_export(kind="memberships", fmt="json")
    assert content_type == "application/json"
    rows = json.loads(content)
    assert len(rows) == Membership.objects.count()
    assert all(list(row) == list(COLUMNS["memberships"]) for row in rows)


def test_generation_filter(registry_data):
    content, _ct, filename = registry_export(kind="memberships", fmt="json", generation="2016")
    assert filename == "escp4i-memberships-2016.json"
    rows = json.loads(content)
    assert rows and {r["generation"] for r in rows} == {"2016"}
    content, _ct, _fn = registry_export(kind="organisations", fmt="json", generation="2016")
    expected = ClusterOrganisation.objects.filter(
        memberships__partnership__generation__code="2016"
    ).distinct()
    assert len(json.loads(content)) == expected.count()


@pytest.mark.parametrize(
    ("kind", "ceiling"), [("partnerships", 3), ("organisations", 1), ("memberships", 1)]
)
def test_export_queries_do_not_grow_with_rows(
    registry_data, django_assert_max_num_queries, kind, ceiling
):
    with django_assert_max_num_queries(ceiling):
        registry_export(kind=kind, fmt="csv")


@pytest.mark.parametrize("generation", ["\r\nSet-Cookie: x=1", "\U0004358a", "../../etc"])
def test_generation_never_breaks_the_download_header(client, db, generation):
    """Regression (found by schemathesis): the generation went into the Content-Disposition file
    name as it was, and a newline or a non-Latin-1 character made the download a 500."""
    for url in ("/api/v1/export/memberships.csv", "/registry/export/memberships.csv"):
        response = client.get(url, {"generation": generation})
        assert response.status_code == 200
        disposition = response["Content-Disposition"]
        assert disposition.startswith('attachment; filename="escp4i-memberships')
        assert "\n" not in disposition and "/" not in disposition
