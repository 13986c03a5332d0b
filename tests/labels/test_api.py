"""The labels API on a test NinjaAPI with the project's error mapping (the lead mounts the same
router at /api/v1/labels)."""

from __future__ import annotations

import datetime as dt

import pytest
from ninja import NinjaAPI
from ninja.testing import TestClient

from escp4i.accounts.services import api_token_create
from escp4i.api.errors import register_error_handlers
from escp4i.api.labels import router
from escp4i.labels.models import Label
from escp4i.labels.workflow import LabelState
from tests.labels.conftest import reach

S = LabelState

_api = NinjaAPI(urls_namespace="labels-api-test")
register_error_handlers(_api)
_api.add_router("/labels", router, url_name_prefix="labels-test")


@pytest.fixture
def api():
    return TestClient(_api)


def token(user):
    return {"Authorization": f"Bearer {api_token_create(user=user, name='t')[1]}"}


def test_public_reads(api, world, officer, charter, today):
    label = reach(S.AWARDED, world, officer, today)
    body = api.get("/labels").json()
    assert body["count"] == 1
    assert body["items"][0]["status"] == "active"
    assert body["items"][0]["badge_url"] == f"/labels/{label.public_id}/badge.svg"
    detail = api.get(f"/labels/{label.public_id}").json()
    assert detail["valid_until"] == label.valid_until.isoformat()
    assert {m["signed"] for m in detail["members"]} == {True}
    assert api.get("/labels/status-counts").json()["awarded"] == 1
    assert api.get("/labels/charter").json()["sha256"] == charter.sha256
    assert api.get("/labels/NOPE").status_code == 404


def test_sign_award_revoke_through_the_api(api, world, officer, charter, today):
    label = reach(S.CHARTER_OPEN, world, officer, today)
    for org, rep in zip(world.orgs, world.reps, strict=True):
        response = api.post(
            f"/labels/{label.public_id}/signatures",
            json={
                "organisation": org.slug,
                "representative_name": "Rep",
                "representative_title": "Director",
                "text_sha256": charter.sha256,
            },
            headers=token(rep),
        )
        assert response.status_code == 201, response.json()
    officer_headers = token(officer)
    response = api.post(
        f"/labels/{label.public_id}/award",
        json={
            "expected_state": "signed",
            "valid_until": (today + dt.timedelta(days=9)).isoformat(),
        },
        headers=officer_headers,
    )
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == "awarded"
    again = api.post(f"/labels/{label.public_id}/award", json={}, headers=officer_headers)
    assert again.status_code == 409
    assert again.json()["code"] == "invalid_transition"
    stale = api.post(
        f"/labels/{label.public_id}/revoke",
        json={"reason": "x", "expected_state": "signed"},
        headers=officer_headers,
    )
    assert stale.status_code == 409
    assert stale.json()["code"] == "conflict"
    events = api.get(f"/labels/{label.public_id}/events", headers=officer_headers).json()
    assert [e["action"] for e in events][-2:] == ["complete_signatures", "award"]
    assert events[-1]["actor"] == officer.username


def test_writes_need_a_token_and_the_role(api, world, officer, charter, today):
    label = reach(S.SIGNED, world, officer, today)
    assert api.post(f"/labels/{label.public_id}/award", json={}).status_code == 401
    response = api.post(
        f"/labels/{label.public_id}/award", json={}, headers=token(world.coordinator)
    )
    assert response.status_code == 403
    assert (
        api.get(f"/labels/{label.public_id}/events", headers=token(world.reps[0])).status_code
        == 403
    )
    assert Label.objects.get(pk=label.pk).state == S.SIGNED


def test_renew_and_strategy(api, world, officer, charter, today):
    label = reach(S.AWARDED, world, officer, today)
    response = api.post(
        f"/labels/{label.public_id}/strategy",
        json={"text": "Plan"},
        headers=token(world.coordinator),
    )
    assert response.status_code == 200
    new_end = (label.valid_until + dt.timedelta(days=100)).isoformat()
    response = api.post(
        f"/labels/{label.public_id}/renew",
        json={"basis": "later_call", "new_end": new_end},
        headers=token(officer),
    )
    assert response.status_code == 200, response.json()
    assert response.json()["sequence"] == 2
    assert response.json()["valid_until"] == new_end


def test_authorise_representative(api, world, charter):
    response = api.post(
        "/labels/representatives",
        json={"organisation": world.orgs[0].slug, "username": world.coordinator.username},
        headers=token(world.reps[0]),
    )
    assert response.status_code == 201
    response = api.post(
        "/labels/representatives",
        json={"organisation": world.orgs[0].slug, "username": world.coordinator.username},
        headers=token(world.reps[1]),
    )
    assert response.status_code == 403
