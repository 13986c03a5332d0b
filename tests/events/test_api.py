"""The events API through HTTP (ninja TestClient on the real API when the lead has mounted the
router at /events, otherwise on a local API with the same error handlers)."""

import icalendar
import pytest
from ninja import NinjaAPI
from ninja.testing import TestClient

from escp4i.accounts.services import api_token_create
from escp4i.api import events as events_api
from escp4i.api.api import api as main_api
from escp4i.api.errors import register_error_handlers


def _client() -> TestClient:
    if any(router is events_api.router for _prefix, router in main_api._routers):
        return TestClient(main_api)
    local = NinjaAPI(urls_namespace="events-api-test")
    register_error_handlers(local)
    local.add_router("/events", events_api.router)
    return TestClient(local)


_CLIENT = None


@pytest.fixture
def api_client():
    global _CLIENT  # one API instance per test session (ninja forbids re-adding)
    if _CLIENT is None:
        _CLIENT = _client()
    return _CLIENT


def _auth(user):
    _row, secret = api_token_create(user=user, name="tests")
    return {"Authorization": f"Bearer {secret}"}


def test_event_reads_are_public(api_client, make_event):
    event = make_event()
    listing = api_client.get("/events")
    assert listing.status_code == 200
    assert listing.json()["items"][0]["slug"] == event.slug
    detail = api_client.get(f"/events/{event.slug}")
    assert detail.json()["sessions"][0]["slots"] == 6
    assert detail.json()["tables"] == ["T1", "T2"]
    assert api_client.get("/events/nope").status_code == 404


def test_request_flow_and_agenda(
    api_client, make_event, make_participant, participant, registry_data
):
    event = make_event()
    other = make_participant(event, country="US", kind="third_country")
    headers = _auth(participant)
    created = api_client.post(
        f"/events/{event.slug}/registrations",
        json={
            "participant_type": "eu_cluster",
            "new_organisation_name": "Test Cluster",
            "new_organisation_country": "fr",
            "max_meetings": 5,
        },
        headers=headers,
    )
    assert created.status_code == 201, created.json()
    opp = api_client.post(
        f"/events/{event.slug}/opportunities",
        json={"kind": "technology_offer", "title": "Sensors", "countries": ["us"]},
        headers=headers,
    )
    assert opp.status_code == 201
    directory = api_client.get(f"/events/{event.slug}/registrations?country=US", headers=headers)
    assert [r["id"] for r in directory.json()] == [other.pk]
    sent = api_client.post(
        f"/events/{event.slug}/requests",
        json={"recipient_id": other.pk, "message": "Hello"},
        headers=headers,
    )
    assert sent.status_code == 201
    duplicate = api_client.post(
        f"/events/{event.slug}/requests", json={"recipient_id": other.pk}, headers=headers
    )
    assert duplicate.status_code == 409
    assert duplicate.json()["code"] == "request_not_possible"
    assert "already sent" in duplicate.json()["message"]
    request_id = sent.json()["id"]
    assert (
        api_client.post(f"/events/requests/{request_id}/accept", headers=headers).status_code == 403
    )
    accepted = api_client.post(f"/events/requests/{request_id}/accept", headers=_auth(other.user))
    assert accepted.status_code == 200
    assert accepted.json()["status"] == "scheduled"
    agenda = api_client.get(f"/events/{event.slug}/agenda", headers=headers)
    assert len(agenda.json()) == 1 and agenda.json()[0]["table"] == "T1"
    ics = api_client.get(f"/events/{event.slug}/agenda.ics", headers=headers)
    assert len(icalendar.Calendar.from_ical(ics.content).walk("VEVENT")) == 1
    meetings = api_client.get(f"/events/{event.slug}/meetings", headers=_auth(event.organiser))
    assert len(meetings.json()) == 1


def test_writes_need_token(api_client, make_event):
    event = make_event()
    response = api_client.post(
        f"/events/{event.slug}/registrations", json={"participant_type": "sme"}
    )
    assert response.status_code == 401


def test_opportunity_of_unknown_kind_is_422_not_500(api_client, make_event, make_participant):
    """Regression: an unknown ``kind`` reached ``OpportunityKind(kind)`` and raised ValueError."""
    event = make_event()
    registration = make_participant(event)
    response = api_client.post(
        f"/events/{event.slug}/opportunities",
        json={"kind": "offer", "title": "We offer"},
        headers=_auth(registration.user),
    )
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_request"
    assert registration.opportunities.count() == 0
