"""Profile services: permission re-check, validation, atomic save, audit of old -> new."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from escp4i.core.errors import PermissionDenied
from escp4i.core.models import AuditEntry
from escp4i.registry.models import ClusterOrganisation, Partnership
from escp4i.registry.services.profiles import organisation_update, partnership_update


@pytest.fixture
def ecca(registry_data):
    return Partnership.objects.get(slug="ecca")


def test_partnership_update_saves_changes_and_audits_them(coordinator, ecca):
    old_name = ecca.name
    partnership_update(
        actor=coordinator,
        partnership=ecca,
        data={
            "name": "  ECCA renamed  ",
            "start_date": dt.date(2016, 1, 1),
            "end_date": "2017-12-31",
            "sme_count": "42",
            "target_regions": ["asean"],
            "sectors": ["construction"],
            "notes": None,
        },
    )
    ecca.refresh_from_db()
    assert ecca.name == "ECCA renamed"
    assert ecca.end_date == dt.date(2017, 12, 31)
    assert ecca.sme_count == 42
    assert list(ecca.target_regions.values_list("slug", flat=True)) == ["asean"]
    assert list(ecca.sectors.values_list("slug", flat=True)) == ["construction"]
    entry = AuditEntry.objects.get(action="partnership.update")
    changes = entry.data["changes"]
    assert changes["name"] == {"old": old_name, "new": "ECCA renamed"}
    assert changes["start_date"] == {"old": None, "new": "2016-01-01"}
    assert changes["sectors"]["new"] == ["construction"]
    assert "notes" in changes  # None for a text field means "clear it"
    assert ecca.notes == ""


def test_partnership_update_without_changes_writes_no_audit(coordinator, ecca):
    partnership_update(actor=coordinator, partnership=ecca, data={"name": ecca.name})
    assert not AuditEntry.objects.filter(action="partnership.update").exists()


def test_partnership_update_rechecks_permission(participant, ecca):
    with pytest.raises(PermissionDenied):
        partnership_update(actor=participant, partnership=ecca, data={"name": "x"})
    ecca.refresh_from_db()
    assert ecca.name != "x"


def test_partnership_update_collects_every_field_error_and_writes_nothing(coordinator, ecca):
    before = (ecca.name, ecca.website)
    with pytest.raises(ValidationError) as excinfo:
        partnership_update(
            actor=coordinator,
            partnership=ecca,
            data={
                "name": "",
                "website": "no url",
                "start_date": "2020-02-30",
                "sme_count": -1,
                "target_countries": ["US", "XX"],
                "acronym": "NEW",
            },
        )
    errors = excinfo.value.message_dict
    assert set(errors) == {
        "name",
        "website",
        "start_date",
        "sme_count",
        "target_countries",
        "acronym",
    }
    assert "XX" in errors["target_countries"][0]
    assert (ecca.name, ecca.website) == before  # the caller's instance is restored
    ecca.refresh_from_db()
    assert (ecca.name, ecca.website) == before
    assert not ecca.target_countries.exists()


def test_partnership_dates_must_be_ordered(officer, ecca):
    with pytest.raises(ValidationError) as excinfo:
        partnership_update(
            actor=officer,
            partnership=ecca,
            data={"start_date": dt.date(2018, 1, 1), "end_date": dt.date(2017, 1, 1)},
        )
    assert excinfo.value.message_dict == {"end_date": ["The end date is before the start date."]}


def test_m2m_values_must_be_lists(officer, ecca):
    with pytest.raises(ValidationError) as excinfo:
        partnership_update(actor=officer, partnership=ecca, data={"target_countries": "US"})
    assert "target_countries" in excinfo.value.message_dict


def test_organisation_update_by_its_cluster_manager(cluster_manager):
    organisation = cluster_manager.organisation
    organisation_update(
        actor=cluster_manager,
        organisation=organisation,
        data={"sme_members": 12, "total_members": 30, "sectors": ["agro-food-packaging"]},
    )
    organisation.refresh_from_db()
    assert (organisation.sme_members, organisation.total_members) == (12, 30)
    entry = AuditEntry.objects.get(action="organisation.update")
    assert entry.actor == cluster_manager
    assert entry.target_pk == str(organisation.pk)


def test_organisation_update_checks_member_counts(cluster_manager):
    with pytest.raises(ValidationError) as excinfo:
        organisation_update(
            actor=cluster_manager,
            organisation=cluster_manager.organisation,
            data={"sme_members": 31, "total_members": 30},
        )
    assert list(excinfo.value.message_dict) == ["sme_members"]


def test_organisation_name_must_stay_unique_in_its_country(officer, cluster_manager):
    own = cluster_manager.organisation
    other = ClusterOrganisation.objects.create(
        name="Other SE cluster", slug="other", country_id="SE"
    )
    with pytest.raises(ValidationError):
        organisation_update(actor=officer, organisation=other, data={"name": own.name})


def test_organisation_update_rechecks_permission(coordinator, cluster_manager):
    with pytest.raises(PermissionDenied):
        organisation_update(
            actor=coordinator, organisation=cluster_manager.organisation, data={"notes": "x"}
        )
