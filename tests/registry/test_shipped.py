from __future__ import annotations

from escp4i.registry.models import ClusterOrganisation, Membership, Partnership
from escp4i.registry.services import registry_load_shipped


def test_shipped_data_loads_every_row(registry_data):
    assert Partnership.objects.count() == 24
    assert Membership.objects.count() == 102
    assert ClusterOrganisation.objects.count() == 83
    assert registry_data.partnerships.created == 24


def test_loading_twice_changes_nothing(registry_data):
    again = registry_load_shipped()
    assert again.partnerships.created == again.partnerships.updated == 0
    assert again.memberships.created == again.memberships.updated == 0
    assert Partnership.objects.count() == 24
    assert ClusterOrganisation.objects.count() == 83


def test_provenance_is_kept_per_row(registry_data):
    assert not Partnership.objects.filter(source_urls=[]).exists()
    assert not Membership.objects.filter(source_urls=[]).exists()
    ecca = Partnership.objects.get(acronym="ECCA")
    assert "http://circularconstruction.eu/" in ecca.source_urls


def test_unknown_values_stay_unknown(registry_data):
    adpack = Partnership.objects.get(acronym="AdPack")
    assert adpack.sme_count is None
    assert adpack.coordinator_name == ""
    assert adpack.target_countries.count() == 0
    mobigoin = Partnership.objects.get(acronym="MobiGoIn")
    assert mobigoin.category == "unknown"
    unknown_generation = Partnership.objects.filter(generation__isnull=True)
    assert set(unknown_generation.values_list("acronym", flat=True)) == {
        "REINA Plus",
        "FoodNet",
        "COSMENERG4i",
    }


def test_targets_keep_regions_as_regions(registry_data):
    enw = Partnership.objects.get(acronym="EnW")
    assert set(enw.target_countries.values_list("code", flat=True)) == {"US", "MA"}
    assert list(enw.target_regions.values_list("slug", flat=True)) == ["south-america"]


def test_sectors_are_mapped_to_focus_areas(registry_data):
    ecca = Partnership.objects.get(acronym="ECCA")
    assert "construction" in set(ecca.sectors.values_list("slug", flat=True))
    sports = Partnership.objects.get(acronym="EU4SportsClusters Alliance")
    assert "sports" in set(sports.sectors.values_list("slug", flat=True))
