"""Cached key figures and country pages: served from the cache until a registry write changes
the data version."""

from __future__ import annotations

import io

import pytest
from django.utils import translation

from escp4i.core.cache import cached, data_changed, data_version
from escp4i.core.errors import NotFound
from escp4i.dashboards.selectors import key_figures_cached
from escp4i.registry.models import ClusterOrganisation, Generation, Partnership
from escp4i.registry.selectors import country_get_cached
from escp4i.registry.services import registry_import
from escp4i.registry.services.profiles import organisation_update, partnership_update


def _partnerships(generation: Generation) -> float:
    return float(key_figures_cached(generation=generation).figure("partnerships").computed)


def test_cached_values_last_until_their_data_changes(db):
    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    assert cached("things", "k", compute) == 1
    assert cached("things", "k", compute) == 1
    version = data_version("things")
    data_changed("things")
    assert data_version("things") == version + 1
    assert cached("things", "k", compute) == 2
    assert cached("other", "k", compute) == 3  # another tag, another value


def test_a_zero_timeout_turns_the_cache_off(db, settings):
    settings.ESCP4I_FIGURES_CACHE_SECONDS = 0
    values = iter(range(10))
    assert cached("things", "k", lambda: next(values)) == 0
    assert cached("things", "k", lambda: next(values)) == 1


def test_key_figures_are_cached_until_an_import_invalidates_them(
    registry_data, django_assert_num_queries
):
    generation = Generation.objects.get(code="2016")
    assert _partnerships(generation) == 13
    with django_assert_num_queries(0):
        assert _partnerships(generation) == 13
    # A write behind the services' back is not seen (that is what the cache is for) ...
    Partnership.objects.filter(acronym="ECCA", generation=generation).update(generation=None)
    assert _partnerships(generation) == 13
    # ... an import through the service is, and the figures are computed afresh.
    csv = "acronym,name,generation\nNEWCO,New partnership,2016\nNEWER,Newer one,2016\n"
    registry_import(kind="partnerships", stream=io.BytesIO(csv.encode()), fmt="csv")
    assert _partnerships(generation) == 14  # ECCA moved out, two came in


def test_a_profile_edit_invalidates_the_key_figures(registry_data, officer):
    generation = Generation.objects.get(code="2016")
    before = key_figures_cached(generation=generation).figure("smes").computed
    ecca = Partnership.objects.get(acronym="ECCA", generation=generation)
    assert ecca.sme_count is None
    partnership_update(actor=officer, partnership=ecca, data={"sme_count": 100})
    after = key_figures_cached(generation=generation).figure("smes").computed
    assert after == before + 100


def test_a_dry_run_import_leaves_the_cache_alone(registry_data):
    version = data_version("registry")
    csv = "acronym,name,generation\nDRYCO,Dry run,2016\n"
    registry_import(kind="partnerships", stream=io.BytesIO(csv.encode()), fmt="csv", dry_run=True)
    assert data_version("registry") == version


@pytest.mark.django_db(transaction=True)
def test_the_version_is_bumped_again_when_the_write_commits(registry_data):
    version = data_version("registry")
    csv = "acronym,name,generation\nLATECO,Committed later,2016\n"
    registry_import(kind="partnerships", stream=io.BytesIO(csv.encode()), fmt="csv")
    # Once at the write, once at commit: a value cached in between is not kept.
    assert data_version("registry") == version + 2


def test_cached_figures_are_kept_per_language(registry_data):
    generation = Generation.objects.get(code="2016")
    with translation.override("en"):
        english = key_figures_cached(generation=generation).figure("partnerships").label
    with translation.override("fr"):
        french = key_figures_cached(generation=generation).figure("partnerships").label
    assert english == "Partnerships"
    assert french != english


def test_country_pages_are_cached_until_a_registry_write(
    client, registry_data, officer, django_assert_max_num_queries
):
    organisation = ClusterOrganisation.objects.filter(country_id="SI").order_by("pk").first()
    assert organisation is not None
    assert organisation.name in client.get("/countries/SI/").content.decode()
    # Served again from the cache: only the request's own queries (support services), none
    # for the registry lists and counts.
    with django_assert_max_num_queries(2):
        assert client.get("/countries/SI/").status_code == 200
    with django_assert_max_num_queries(0):
        country_get_cached(code="si")
    organisation_update(actor=officer, organisation=organisation, data={"name": "Renamed SI"})
    html = client.get("/countries/SI/").content.decode()
    assert "Renamed SI" in html
    api = client.get("/api/v1/countries/SI").json()
    assert "Renamed SI" in [row["name"] for row in api["organisations"]]


@pytest.mark.parametrize("code", ["XX", "D E", "©Ë\x18 ä", "DEU", ""])
def test_an_unknown_country_is_not_cached(db, django_assert_num_queries, code):
    # Any text can reach the view from the URL; none of it may break the cache key.
    for _ in range(2):
        with django_assert_num_queries(1), pytest.raises(NotFound):
            country_get_cached(code=code)
