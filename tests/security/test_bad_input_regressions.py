"""Regressions for what the form fuzzer and the matrix found, each on the smallest input."""

from __future__ import annotations

import pytest
from django.urls import reverse

from escp4i.events.models import Opportunity, Table
from escp4i.labels.models import Label
from tests.security.http import request
from tests.security.world import (
    EVALUATOR,
    NO_ROLE,
    OFFICER,
    ORGANISER,
    PARTICIPANT,
    World,
)

pytestmark = pytest.mark.django_db


def _post(world: World, principal: str, name: str, data: dict, **kwargs):
    return request(world.clients[principal], "POST", reverse(name, kwargs=kwargs), data)


def test_label_decision_with_an_unknown_expected_state_is_a_message(world: World):
    """``expected_state`` was passed to ``LabelState(...)`` unchecked: ValueError, 500."""
    kwargs = {"public_id": world.label_a.public_id}
    response = _post(
        world, OFFICER, "labels:label-revoke", {"reason": "x", "expected_state": "0"}, **kwargs
    )
    assert response.status_code == 302
    response = _post(world, OFFICER, "labels:label-open", {"expected_state": "0"}, **kwargs)
    assert response.status_code == 302
    assert Label.objects.get(pk=world.label_a.pk).state == world.label_a.state


def test_assignment_page_shows_no_errors_before_anything_is_sent(world: World):
    """The declaration form was bound to the (empty) POST data of a GET: 422 and "required"."""
    url = reverse("calls:assignment-detail", kwargs={"assignment_id": world.assignment.pk})
    response = request(world.clients[EVALUATOR], "GET", url)
    assert response.status_code == 200
    assert "This field is required" not in response.content.decode()


@pytest.mark.parametrize("tables", ["²", "99999999999999999999", "T" * 81, "1" * 5000])
def test_odd_table_input_is_refused_with_a_message(world: World, tables):
    """``"²".isdigit()`` is true and ``int("²")`` fails; a huge count built a huge range; a
    name over 80 characters was a DataError on PostgreSQL."""
    before = list(Table.objects.filter(event=world.event_a).values_list("name", flat=True))
    response = _post(
        world, ORGANISER, "events:tables-set", {"tables": tables}, slug=world.event_a.slug
    )
    assert response.status_code == 302
    after = list(Table.objects.filter(event=world.event_a).values_list("name", flat=True))
    assert after == before


@pytest.mark.parametrize(
    ("field", "value"),
    [("tables", "²"), ("participant_caps", "sme=²"), ("open_request_cap", "9" * 20)],
)
def test_event_form_refuses_odd_numbers_on_the_form(world: World, field, value):
    response = _post(world, ORGANISER, "events:event-create", {field: value})
    assert response.status_code == 200  # the form again, with its errors
    assert "errorlist" in response.content.decode() or "error" in response.content.decode()


@pytest.mark.parametrize("key", ["99999999999999999999", "-99999999999999999999", "1e3"])
def test_impossible_keys_in_model_choices_are_invalid_choices(world: World, key):
    """Django looks model choices up with a query: a key beyond the integer column raised
    OverflowError (SQLite) or DataError (PostgreSQL)."""
    slug = world.event_a.slug
    response = _post(world, PARTICIPANT, "events:registration-edit", {"sessions": [key]}, slug=slug)
    assert response.status_code == 200
    response = _post(world, NO_ROLE, "events:registration-create", {"organisation": key}, slug=slug)
    assert response.status_code == 200
    response = _post(
        world,
        OFFICER,
        "calls:proposal-assign",
        {"evaluator": key},
        proposal_id=world.proposal_e.pk,
    )
    assert response.status_code == 302  # back to the proposal with "Choose an evaluator."


@pytest.mark.parametrize("key", ["abc", "99999999999999999999", ""])
def test_deleting_an_opportunity_with_a_junk_id_changes_nothing(world: World, key):
    data = {"form": "opportunity-delete", "opportunity": key}
    response = _post(world, PARTICIPANT, "events:registration-edit", data, slug=world.event_a.slug)
    assert response.status_code == 302
    assert Opportunity.objects.filter(registration=world.registration).count() == 1


@pytest.mark.parametrize(
    ("target", "safe"),
    [
        ("/events/", True),
        ("//evil.example/", False),
        ("/\\evil.example", False),
        ("https://evil.example/", False),
    ],
)
def test_meeting_action_redirects_only_within_the_site(world: World, target, safe):
    """``next`` was accepted when it started with "/" but not "//": "/\\evil.example" is
    another site for browsers (open redirect)."""
    response = _post(
        world,
        PARTICIPANT,
        "events:meeting-action",
        {"next": target},
        meeting_id=world.meeting.pk,
        action="held",
    )
    assert response.status_code == 302
    expected = target if safe else reverse("events:agenda", kwargs={"slug": world.event_a.slug})
    assert response["Location"] == expected


@pytest.mark.parametrize(
    "url",
    [
        "/partnerships/?q=a%00b",
        "/key-figures/?generation=%00",
        "/registry/export/memberships.csv?generation=%00",
        "/countries/D%00E/",
    ],
)
def test_nul_characters_are_a_400_page(client, url):
    """PostgreSQL cannot hold or compare text with NUL: raw query values and path segments
    reached querysets (DataError, 500)."""
    response = client.get(url)
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()


def test_nul_characters_in_api_input_are_a_422(client):
    response = client.get("/api/v1/partnerships", {"q": "a\x00b"})
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_request"
    response = client.patch(
        "/api/v1/partnerships/x", data='{"notes": "a\\u0000b"}', content_type="application/json"
    )
    assert response.status_code == 422
    response = client.post("/accounts/login/", {"username": "a\x00", "password": "b"})
    assert response.status_code == 400
