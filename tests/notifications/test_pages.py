"""Inbox (filters, pagination, htmx, empty states, unread count in the navigation), the e-mail
settings page and the unsubscribe page (no login, RFC 8058 one-click POST)."""

from __future__ import annotations

import pytest
from django.test import Client

from escp4i.notifications import selectors, services, tokens
from escp4i.notifications.models import EmailFrequency, NotificationCategory, NotificationKind


def _send(user, kind=NotificationKind.REQUEST_RECEIVED, title="Hello", **kwargs):
    return services.notification_send(user=user, kind=kind, title=title, **kwargs)


def test_inbox_requires_login(client):
    response = client.get("/notifications/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_inbox_empty_state_and_nav_count(client, user):
    client.force_login(user)
    html = client.get("/notifications/").content.decode()
    assert "No notifications yet." in html
    assert 'data-testid="nav-unread"' not in html
    _send(user)
    _send(user, title="Second")
    html = client.get("/").content.decode()
    assert 'data-testid="nav-unread">2<' in html


def test_inbox_pagination_filters_and_htmx(client, user, settings, django_assert_max_num_queries):
    settings.ESCP4I_PAGE_SIZE = 3
    for i in range(5):
        _send(user, title=f"Event news {i}")
    label = _send(user, kind=NotificationKind.LABEL_UPDATE, title="Label news")
    services.notification_mark_read(user=user, notification_id=label.pk)
    client.force_login(user)
    with django_assert_max_num_queries(8):
        first = client.get("/notifications/").content.decode()
    assert "Page 1 of 2" in first and "Label news" in first
    second = client.get("/notifications/?page=2").content.decode()
    assert "Event news 0" in second
    fragment = client.get(
        "/notifications/?category=labels", headers={"HX-Request": "true"}
    ).content.decode()
    assert "<html" not in fragment and "Label news" in fragment and "Event news" not in fragment
    unread = client.get("/notifications/?unread=on&category=labels").content.decode()
    assert "No notification matches these filters." in unread


def test_mark_read_and_all_read(client, user, officer):
    mine = _send(user, url="/events/")
    _send(user, title="B")
    _send(officer, title="Not yours")
    client.force_login(user)
    assert client.post(f"/notifications/{mine.pk}/read/")["Location"] == "/events/"
    client.post("/notifications/read-all/")
    assert selectors.notification_unread_count(user=user) == 0
    assert selectors.notification_unread_count(user=officer) == 1
    other = selectors.notification_list(user=officer).get()
    assert client.post(f"/notifications/{other.pk}/read/")["Location"] == "/notifications/"
    assert selectors.notification_unread_count(user=officer) == 1


def test_preferences_page_saves_choices(client, user):
    client.force_login(user)
    page = client.get("/notifications/settings/").content.decode()
    assert "Matchmaking events" in page and "Weekly digest" in page
    data = {c.value: "immediate" for c in NotificationCategory}
    data["events"] = "weekly"
    response = client.post("/notifications/settings/", data)
    assert response.status_code == 302
    assert selectors.notification_preferences(user=user)[NotificationCategory.EVENTS] == (
        EmailFrequency.WEEKLY
    )
    data["labels"] = "hourly"
    bad = client.post("/notifications/settings/", data)
    assert bad.status_code == 200 and "Select a valid choice" in bad.content.decode()
    assert selectors.notification_preferences(user=user)[NotificationCategory.LABELS] == (
        EmailFrequency.IMMEDIATE
    )


@pytest.fixture
def csrf_client():
    return Client(enforce_csrf_checks=True)


def test_unsubscribe_get_confirms_post_switches_off_without_login(csrf_client, user):
    token = tokens.unsubscribe_token(user_id=user.pk, categories=["events"])
    url = f"/notifications/unsubscribe/{token}/"
    page = csrf_client.get(url)
    assert page.status_code == 200
    assert "Stop e-mails about Matchmaking events?" in page.content.decode()
    prefs = selectors.notification_preferences(user=user)
    assert prefs[NotificationCategory.EVENTS] == EmailFrequency.IMMEDIATE  # a GET changes nothing
    # what a mail client sends for RFC 8058 one-click: a POST, no cookie, no CSRF token
    done = csrf_client.post(
        url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert done.status_code == 200
    html = done.content.decode()
    assert "you will no longer get e-mails about Matchmaking events" in html
    assert 'href="/notifications/settings/"' in html
    assert selectors.notification_preferences(user=user)[NotificationCategory.EVENTS] == (
        EmailFrequency.OFF
    )


def test_unsubscribe_tampered_and_expired_links(client, user, monkeypatch, settings):
    token = tokens.unsubscribe_token(user_id=user.pk, categories=["events"])
    bad = client.post(f"/notifications/unsubscribe/{token}x/")
    assert bad.status_code == 400 and "not valid" in bad.content.decode()
    settings.ESCP4I_UNSUBSCRIBE_MAX_AGE_DAYS = 1

    from django.core import signing
    from django.utils import timezone

    past = timezone.now().timestamp() - 2 * 86400
    monkeypatch.setattr(signing.time, "time", lambda: past)
    old = tokens.unsubscribe_token(user_id=user.pk, categories=["events"])
    monkeypatch.undo()
    expired = client.post(f"/notifications/unsubscribe/{old}/")
    assert expired.status_code == 410 and "expired" in expired.content.decode()
    assert selectors.notification_preferences(user=user)[NotificationCategory.EVENTS] == (
        EmailFrequency.IMMEDIATE
    )
