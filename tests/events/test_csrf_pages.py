"""CSRF on the event pages with forms (organiser and participant views)."""

from __future__ import annotations

import pytest
from django.test import Client

from escp4i.events.models import SchedulingMode
from tests.web.test_csrf import _check_page


@pytest.fixture
def csrf_client():
    return Client(enforce_csrf_checks=True)


def test_event_form_pages_need_the_token(csrf_client, make_event, make_participant, organiser):
    event = make_event(scheduling_mode=SchedulingMode.OPTIMISER)
    registration = make_participant(event)
    csrf_client.force_login(organiser)
    for path in ("/events/new/", f"/events/{event.slug}/manage/"):
        _check_page(csrf_client, path)
    csrf_client.logout()
    csrf_client.force_login(registration.user)
    _check_page(csrf_client, f"/events/{event.slug}/profile/")
