"""The label journey in a real browser: the coordinator's partners sign the charter, a programme
officer awards the label, the public verification page says "active" and the badge follows."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from escp4i.accounts.models import Role, User
from escp4i.accounts.services import role_grant
from escp4i.labels import services
from escp4i.registry.models import Partnership

PASSWORD = "correct-horse-battery-staple"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.filterwarnings("ignore::pytest.PytestRemovedIn10Warning"),
]


def _user(username: str, role: Role, **extra) -> User:
    user = User.objects.create_user(
        username=username, email=f"{username}@example.org", password=PASSWORD, **extra
    )
    role_grant(user=user, role=role, partnership=extra.pop("partnership", None))
    return user


def _login(page: Page, site: str, username: str, next_path: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{site}/accounts/login/?next={next_path}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_partners_sign_officer_awards_public_page_and_badge_show_active(site, page: Page):
    ecca = Partnership.objects.get(acronym="ECCA", generation__code="2016")
    officer = _user("officer", Role.PROGRAMME_OFFICER)
    coordinator = User.objects.create_user(username="coordinator", password=PASSWORD)
    role_grant(user=coordinator, role=Role.PARTNERSHIP_COORDINATOR, partnership=ecca)
    services.charter_version_publish(
        version="0.1-sample", title="Sample charter", text="Sample text.", actor=None
    )
    representatives = [
        _user(f"rep{i}", Role.CLUSTER_MANAGER, organisation=m.organisation)
        for i, m in enumerate(ecca.memberships.select_related("organisation"))
    ]
    assert len(representatives) >= 2
    label_path = f"/labels/{'ESCP4I-2016-ECCA'}/"

    # The coordinator opens the charter of the proposed label.
    services.label_propose(partnership=ecca, actor=officer)
    _login(page, site, "coordinator", label_path)
    expect(
        page.get_by_role("heading", level=1, name=re.compile("ESCP4I-2016-ECCA"))
    ).to_be_visible()
    page.get_by_role("button", name="Open the charter for signature").click()
    expect(page.get_by_text("The charter is open for signature.")).to_be_visible()

    # Each partner's representative signs.
    for rep in representatives:
        _login(page, site, rep.username, label_path)
        page.get_by_role("link", name="Sign the charter").click()
        expect(page.get_by_label("Charter text", exact=True)).to_contain_text("Sample text.")
        page.get_by_label("Representative's full name").fill(f"Person {rep.username}")
        page.get_by_label("Representative's position").fill("Director")
        page.get_by_label(re.compile("I am authorised to represent")).check()
        page.get_by_role("button", name="Sign the charter").click()
        expect(page.get_by_text("has signed the charter.")).to_be_visible()
    members = page.get_by_role("table", name="Members and charter signatures")
    expect(members.get_by_text("not yet signed")).to_have_count(0)

    # A programme officer awards it (the project dates are not in the sources: enter them).
    today = timezone.localdate()
    _login(page, site, "officer", label_path)
    page.get_by_label("Valid from (project start)").fill(today.isoformat())
    page.get_by_label("Valid until (project end)").fill(
        (today + dt.timedelta(days=700)).isoformat()
    )
    page.get_by_role("button", name="Award the label").click()
    expect(page.get_by_text("The label has been awarded.")).to_be_visible()

    # The public verification page and the badge show it, without logging in.
    page.context.clear_cookies()
    page.goto(f"{site}{label_path}")
    expect(page.get_by_test_id("label-status")).to_have_text("active")
    expect(page.get_by_role("img", name=re.compile("badge: active"))).to_be_visible()
    badge = page.request.get(f"{site}{label_path}badge.svg")
    assert badge.headers["content-type"].startswith("image/svg+xml")
    assert 'data-status="active"' in badge.text()
    page.goto(f"{site}{label_path}badge.svg")
    expect(page.locator("svg title")).to_contain_text("active")
    page.goto(f"{site}/labels/?status=active")
    expect(page.get_by_role("link", name="ESCP4I-2016-ECCA")).to_be_visible()
