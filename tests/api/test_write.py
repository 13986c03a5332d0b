"""Token-authenticated writes: authentication, permission, effect, audit."""

from __future__ import annotations

import pytest

from escp4i.accounts.models import ApiToken
from escp4i.accounts.services import api_token_revoke
from escp4i.core.models import AuditEntry
from escp4i.registry.models import ClusterOrganisation, Partnership

ECCA = "/api/v1/partnerships/ecca"
CHANGE = {"website": "https://ecca.example.org/", "sme_count": 120}


def test_write_without_token_is_401(patch_json, registry_data):
    response = patch_json(ECCA, CHANGE)
    assert response.status_code == 401
    assert Partnership.objects.get(slug="ecca").sme_count is None


def test_write_with_unknown_token_is_401(patch_json, registry_data):
    assert patch_json(ECCA, CHANGE, token="escp4i_not-a-real-token").status_code == 401
    assert patch_json(ECCA, CHANGE, token="garbage").status_code == 401


def test_write_with_revoked_token_is_401(patch_json, coordinator, coordinator_token):
    api_token_revoke(token=ApiToken.objects.get(user=coordinator))
    assert patch_json(ECCA, CHANGE, token=coordinator_token).status_code == 401


def test_write_by_inactive_user_is_401(patch_json, coordinator, coordinator_token):
    coordinator.is_active = False
    coordinator.save()
    assert patch_json(ECCA, CHANGE, token=coordinator_token).status_code == 401


def test_write_with_wrong_role_is_403(patch_json, participant_token, registry_data):
    response = patch_json(ECCA, CHANGE, token=participant_token)
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert Partnership.objects.get(slug="ecca").sme_count is None
    assert not AuditEntry.objects.filter(action="partnership.update").exists()


def test_coordinator_may_not_edit_another_partnership(patch_json, coordinator_token):
    other = Partnership.objects.exclude(slug="ecca").first()
    response = patch_json(f"/api/v1/partnerships/{other.slug}", CHANGE, token=coordinator_token)
    assert response.status_code == 403


def test_coordinator_edits_own_partnership(patch_json, coordinator, coordinator_token):
    response = patch_json(
        ECCA, {**CHANGE, "target_countries": ["us", "CA"]}, token=coordinator_token
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["sme_count"] == 120
    assert {c["code"] for c in body["target_countries"]} == {"US", "CA"}
    partnership = Partnership.objects.get(slug="ecca")
    assert partnership.website == "https://ecca.example.org/"
    entry = AuditEntry.objects.get(action="partnership.update")
    assert entry.actor == coordinator
    assert entry.target_model == "registry.partnership"
    assert entry.target_pk == str(partnership.pk)
    assert entry.data["changes"]["sme_count"] == {"old": None, "new": 120}
    assert entry.data["changes"]["target_countries"] == {"old": [], "new": ["CA", "US"]}
    token = ApiToken.objects.get(user=coordinator)
    assert token.last_used_at is not None


def test_patch_unknown_field_is_schema_422(patch_json, coordinator_token):
    response = patch_json(ECCA, {"acronym": "HIJACK"}, token=coordinator_token)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_request"
    assert body["extra"]["errors"][0]["loc"][-1] == "acronym"


def test_patch_invalid_values_are_422_per_field(patch_json, coordinator_token):
    response = patch_json(
        ECCA,
        {
            "website": "not a url",
            "start_date": "2020-01-01",
            "end_date": "2019-01-01",
            "target_countries": ["ZZ"],
        },
        token=coordinator_token,
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_error"
    assert set(body["extra"]["fields"]) == {"website", "end_date", "target_countries"}
    assert Partnership.objects.get(slug="ecca").start_date is None


def test_cluster_manager_edits_own_organisation_only(patch_json, cluster_manager, manager_token):
    own = cluster_manager.organisation
    response = patch_json(
        f"/api/v1/organisations/{own.slug}",
        {"sme_members": 40, "total_members": 55, "sectors": ["agro-food-packaging"]},
        token=manager_token,
    )
    assert response.status_code == 200, response.content
    own.refresh_from_db()
    assert (own.sme_members, own.total_members) == (40, 55)
    assert list(own.sectors.values_list("slug", flat=True)) == ["agro-food-packaging"]
    other = ClusterOrganisation.objects.exclude(pk=own.pk).first()
    response = patch_json(
        f"/api/v1/organisations/{other.slug}", {"sme_members": 1}, token=manager_token
    )
    assert response.status_code == 403


def test_organisation_member_counts_must_be_consistent(patch_json, cluster_manager, manager_token):
    own = cluster_manager.organisation
    response = patch_json(
        f"/api/v1/organisations/{own.slug}",
        {"sme_members": 90, "total_members": 10},
        token=manager_token,
    )
    assert response.status_code == 422
    assert "sme_members" in response.json()["extra"]["fields"]


def test_officer_edits_any_organisation(patch_json, officer_token, registry_data):
    organisation = ClusterOrganisation.objects.order_by("pk").first()
    response = patch_json(
        f"/api/v1/organisations/{organisation.slug}", {"region": "Skåne"}, token=officer_token
    )
    assert response.status_code == 200
    assert response.json()["region"] == "Skåne"


def test_patch_missing_object_is_404(patch_json, officer_token, registry_data):
    response = patch_json("/api/v1/partnerships/nope", CHANGE, token=officer_token)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize(
    ("fixture", "roles"),
    [
        ("officer_token", {"programme_officer"}),
        ("coordinator_token", {"partnership_coordinator"}),
        ("participant_token", {"participant"}),
    ],
)
def test_me_lists_roles(client, request, fixture, roles):
    token = request.getfixturevalue(fixture)
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    body = response.json()
    assert {r["role"] for r in body["roles"]} == roles
    assert body["is_officer"] == ("programme_officer" in roles)


def test_me_shows_coordinated_partnership_and_organisation(client, coordinator_token):
    body = client.get("/api/v1/me", headers={"Authorization": f"Bearer {coordinator_token}"}).json()
    assert body["roles"][0]["partnership"] == "ecca"
    assert body["organisation"] is not None


def test_me_needs_a_token(client, db):
    assert client.get("/api/v1/me").status_code == 401
