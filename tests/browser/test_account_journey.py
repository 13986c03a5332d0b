"""A person in a real browser: unread notifications in the navigation, the inbox, e-mail
settings, the personal-data download and account deletion."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from escp4i.accounts.models import User
from escp4i.notifications.models import EmailFrequency, NotificationCategory
from escp4i.notifications.selectors import notification_preferences
from escp4i.notifications.services import notification_send

PASSWORD = "correct-horse-battery-staple"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.filterwarnings("ignore::pytest.PytestRemovedIn10Warning"),
]


def test_inbox_settings_download_and_delete(site, page: Page):
    user = User.objects.create_user(username="ada", email="ada@example.org", password=PASSWORD)
    for title in ("Cells Inc asks to meet you", "Your agenda is published"):
        notification_send(user=user, kind="request_received", title=title, url="/events/")
    page.goto(f"{site}/accounts/login/?next=/")
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    expect(page.get_by_test_id("nav-unread")).to_contain_text("2")
    page.get_by_test_id("nav-notifications").click()
    expect(page.get_by_text("Cells Inc asks to meet you")).to_be_visible()
    page.get_by_role("button", name="Mark all as read").click()
    expect(page.get_by_test_id("nav-unread")).to_have_count(0)

    page.get_by_role(
        "link", name="E-mail settings: immediately, daily or weekly digest, or off"
    ).click()
    page.get_by_role("group", name="Matchmaking events").get_by_label("Weekly digest").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your notification settings are saved.")).to_be_visible()
    assert notification_preferences(user=user)[NotificationCategory.EVENTS] == EmailFrequency.WEEKLY

    page.get_by_role("link", name="ada").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download my data (JSON)").click()
    data = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert data["sections"]["accounts"]["profile"]["email"] == "ada@example.org"

    page.get_by_role("link", name="Delete my account and erase my personal data").click()
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_label("I understand that this cannot be undone.").check()
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_text("Your account is deleted")).to_be_visible()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()
    user.refresh_from_db()
    assert user.is_deleted and user.email is None
