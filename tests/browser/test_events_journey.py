"""The matchmaking journey in a real browser: organiser creates an event → two participants
register → request → accept → organiser runs the optimiser and publishes → both agendas show
the meeting → the .ics downloads and parses."""

from __future__ import annotations

import tempfile
from pathlib import Path

import icalendar
import pytest
from playwright.sync_api import Page, expect

from escp4i.accounts.models import Role, User
from escp4i.accounts.services import role_grant

PASSWORD = "correct-horse-battery-staple"
SCREENSHOTS = Path(tempfile.gettempdir())

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.filterwarnings("ignore::pytest.PytestRemovedIn10Warning"),
]


def _user(name: str, role: Role) -> User:
    user = User.objects.create_user(username=name, email=f"{name}@example.org", password=PASSWORD)
    role_grant(user=user, role=role)
    return user


def _login(page: Page, site: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{site}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def _register(page: Page, site: str, slug: str, org_name: str, country: str) -> None:
    page.goto(f"{site}/events/{slug}/register/")
    page.get_by_label("…or a new organisation: name").fill(org_name)
    page.get_by_label("New organisation: country").select_option(country)
    page.get_by_label("I register as").select_option("eu_cluster")
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_text("You are registered")).to_be_visible()


def test_matchmaking_journey(site, page: Page, settings):
    settings.ESCP4I_SCHEDULER_TIME_LIMIT_S = 5
    _user("orga", Role.EVENT_ORGANISER)
    _user("alice", Role.PARTICIPANT)
    _user("bob", Role.PARTICIPANT)

    _login(page, site, "orga")
    page.goto(f"{site}/events/new/")
    page.get_by_label("Name").fill("EU-US Cluster Matchmaking 2030")
    page.get_by_label("City").fill("Hannover")
    page.get_by_label("Country", exact=True).select_option("DE")
    page.get_by_label("Time zone (IANA)").fill("Europe/Berlin")
    page.get_by_label("First day").fill("2030-04-25")
    page.get_by_label("Last day").fill("2030-04-25")
    page.get_by_label("Tables").fill("3")
    page.get_by_label("Scheduling").select_option("optimiser")
    page.get_by_role("button", name="Create event").click()
    expect(page.get_by_text("Event created")).to_be_visible()
    slug = page.url.rstrip("/").split("/")[-2]
    page.get_by_label("Day").fill("2030-04-25")
    page.get_by_label("Starts").fill("09:00")
    page.get_by_label("Ends").fill("11:00")
    page.get_by_label("Breaks").fill("10:00-10:30")
    page.get_by_role("button", name="Add session").click()
    expect(page.get_by_text("3 slots")).to_be_visible()

    _login(page, site, "alice")
    _register(page, site, slug, "Alpha Cluster", "FR")
    _login(page, site, "bob")
    _register(page, site, slug, "Beta Cluster", "US")

    page.goto(f"{site}/events/{slug}/participants/")
    page.get_by_role("link", name="Alpha Cluster").click()
    page.get_by_label("Message").fill("Let us talk about sensors.")
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_text("Request sent to Alpha Cluster")).to_be_visible()

    _login(page, site, "alice")
    page.goto(f"{site}/events/{slug}/requests/")
    page.get_by_role("button", name="Accept request from Beta Cluster").click()
    expect(page.get_by_text("Request accepted")).to_be_visible()

    _login(page, site, "orga")
    page.goto(f"{site}/events/{slug}/manage/")
    page.get_by_role("button", name="Run the optimiser").click()
    expect(page.get_by_test_id("run-status")).to_have_text("Finished", timeout=30_000)
    page.get_by_role("button", name="Publish the schedule").click()
    expect(page.get_by_text("Schedule published: 1 meetings")).to_be_visible()
    expect(page.locator("td.busy")).to_have_count(1)
    page.screenshot(path=SCREENSHOTS / "escp4i-events-grid.png", full_page=True)

    for username, partner in (("alice", "Beta Cluster"), ("bob", "Alpha Cluster")):
        _login(page, site, username)
        page.goto(f"{site}/events/{slug}/agenda/")
        row = page.get_by_role("row").filter(has_text=partner)
        expect(row).to_contain_text("Thu 25 Apr")
        page.screenshot(path=SCREENSHOTS / f"escp4i-agenda-{username}.png", full_page=True)
        with page.expect_download() as download_info:
            page.get_by_role("link", name="Download calendar (.ics)").click()
        content = Path(download_info.value.path()).read_bytes()
        calendar = icalendar.Calendar.from_ical(content)
        (vevent,) = calendar.walk("VEVENT")
        assert partner in str(vevent["SUMMARY"])
        assert vevent["DTSTART"].params["TZID"] == "Europe/Berlin"
