"""Key figures computed by the platform must equal an independent count over the shipped CSVs."""

from __future__ import annotations

import csv
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from escp4i.dashboards.selectors import key_figures
from escp4i.registry.models import Generation, Partnership

DATA = Path(__file__).resolve().parents[2] / "src" / "escp4i" / "registry" / "data"

# EU member states on 8 March 2016 (EU-28, the United Kingdom included), written out by hand so
# the test does not reuse the code under test.
EU28 = {
    *("AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE"),
    *("IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "GB"),
}


def _csv(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _independent_counts(generation: str) -> dict[str, object]:
    partnerships = [row for row in _csv("partnerships.csv") if row["generation"] == generation]
    members = [row for row in _csv("members.csv") if row["generation"] == generation]
    organisations = {(row["organisation_name"].lower(), row["country_iso2"]) for row in members}
    countries = {country for _name, country in organisations}
    categories = Counter(row["category"] or "unknown" for row in partnerships)
    smes = [int(row["sme_count_if_stated"]) for row in partnerships if row["sme_count_if_stated"]]
    return {
        "partnerships": len(partnerships),
        "categories": categories,
        "organisations": len(organisations),
        "countries": len(countries),
        "eu_countries": len(countries & EU28),
        "smes": sum(smes),
        "sme_stated": len(smes),
        "membership_rows": len(members),
        "partnerships_with_members": len({row["partnership_acronym"] for row in members}),
    }


@pytest.mark.parametrize("code", ["2016", "2018"])
def test_key_figures_equal_independent_count_over_shipped_csvs(registry_data, code):
    expected = _independent_counts(code)
    figures = key_figures(generation=Generation.objects.get(code=code))

    assert figures.figure("partnerships").computed == expected["partnerships"]
    for category in ("strand1", "strand2", "voluntary", "pending", "unknown"):
        assert figures.by_category[category] == expected["categories"].get(category, 0), category
    assert figures.figure("organisations").computed == expected["organisations"]
    assert figures.figure("countries").computed == expected["countries"]
    if code == "2016":
        assert figures.figure("eu_countries").computed == expected["eu_countries"]
    if expected["sme_stated"]:
        assert figures.figure("smes").computed == expected["smes"]
    else:
        assert figures.figure("smes").computed is None
    avg = Decimal(expected["membership_rows"]) / Decimal(expected["partnerships_with_members"])
    assert figures.figure("avg_partners").computed == avg.quantize(Decimal("0.1"))


def test_first_generation_figures_match_the_dataset_readme(registry_data):
    """The dataset README states 57 organisations, 19 countries of which 18 EU (UK included)."""
    figures = key_figures(generation=Generation.objects.get(code="2016"))
    assert figures.figure("organisations").computed == 57
    assert figures.figure("countries").computed == 19
    assert figures.figure("eu_countries").computed == 18
    assert "57 of 138" in figures.figure("organisations").coverage


def test_eu_countries_use_the_generation_date_so_uk_counts_in_2016(registry_data):
    generation = Generation.objects.get(code="2016")
    before = key_figures(generation=generation).figure("eu_countries").computed
    generation.label_date = generation.label_date.replace(year=2021)
    generation.save()
    after = key_figures(generation=generation).figure("eu_countries").computed
    assert before is not None and after is not None
    assert before - after == 1  # the United Kingdom left the EU on 1 February 2020


def test_unknown_values_are_counted_as_unknown_not_zero(registry_data):
    figures = key_figures(generation=Generation.objects.get(code="2016"))
    total = Partnership.objects.filter(generation__code="2016").count()
    stated = Partnership.objects.filter(generation__code="2016", sme_count__isnull=False).count()
    smes = figures.figure("smes")
    assert smes.unknown == total - stated
    assert f"{stated} of {total}" in smes.coverage
    assert figures.figure("strand2").unknown == figures.by_category["unknown"]


def test_reported_figures_carry_source_and_date(registry_data):
    figures = key_figures(generation=Generation.objects.get(code="2016"))
    reported = figures.figure("partnerships").reported
    assert reported is not None
    assert reported.value == 24
    assert reported.source_url.startswith("https://")
    assert reported.as_of.isoformat() == "2016-03-08"


def test_key_figures_query_count_is_constant(registry_data, django_assert_num_queries):
    # Three aggregates whatever the data size: partnerships, memberships (with the distinct and
    # EU countries counted in the same pass), reported figures.
    generation = Generation.objects.get(code="2016")
    with django_assert_num_queries(3):
        key_figures(generation=generation)
    with django_assert_num_queries(3):
        key_figures(generation=generation, include_synthetic=True)
