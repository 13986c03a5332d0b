"""Calls API through ninja's TestClient with bearer tokens."""

from __future__ import annotations

import pytest
from ninja import NinjaAPI
from ninja.testing import TestClient

from escp4i.accounts.services import api_token_create
from escp4i.api import calls
from escp4i.api.errors import register_error_handlers
from escp4i.calls.seed import calls_seed_shipped


@pytest.fixture
def api_client():
    api = NinjaAPI(urls_namespace="calls-api-test")
    register_error_handlers(api)
    api.add_router("/calls", calls.router)
    return TestClient(api)


def _auth(user):
    _token, secret = api_token_create(user=user, name="test")
    return {"Authorization": f"Bearer {secret}"}


def test_public_reads(api_client, registry_data):
    calls_seed_shipped()
    listing = api_client.get("/calls").json()
    assert {c["identifier"] for c in listing} == {"COS-CLUSTER-2014-3-03", "COS-CLUSINT-2016-03-01"}
    call_id = next(c["id"] for c in listing if c["identifier"] == "COS-CLUSINT-2016-03-01")
    detail = api_client.get(f"/calls/{call_id}").json()
    assert {s["code"] for s in detail["strands"]} == {"1.a", "1.b", "2"}
    assert any(f["from_programme_brief"] for f in detail["figures"])
    figures = api_client.get("/calls/figures").json()
    assert figures[0]["partnerships"] > 0
    assert api_client.get("/calls/999999").status_code == 404


def test_proposal_lifecycle_over_the_api(api_client, officer, applicant, open_call, partner_ids):
    applicant = _auth(applicant)
    response = api_client.post(
        f"/calls/{open_call.pk}/proposals",
        json={
            "strand": "1",
            "acronym": "APIP",
            "title": "API proposal",
            "requested_grant": "100000",
            "partner_ids": partner_ids,
        },
        headers=applicant,
    )
    assert response.status_code == 201, response.json()
    proposal = response.json()
    assert all(c["ok"] for c in proposal["eligibility"] if c["code"] != "in_time")
    submitted = api_client.post(f"/calls/proposals/{proposal['id']}/submit", headers=applicant)
    assert submitted.json()["state"] == "submitted"
    # The officer cannot see the ranking before the evaluation, but it exists and is empty-safe.
    ranking = api_client.get(f"/calls/{open_call.pk}/ranking", headers=_auth(officer))
    assert ranking.status_code == 200
    forbidden = api_client.get(f"/calls/{open_call.pk}/ranking", headers=applicant)
    assert forbidden.status_code == 403
    assert api_client.post(f"/calls/{open_call.pk}/close", headers=applicant).status_code == 403


def test_writes_need_a_token(api_client, open_call):
    assert api_client.post(f"/calls/{open_call.pk}/publish").status_code == 401
