"""The partner-search journey in a real browser: an organisation posts a request → another
organisation finds it with the htmx filters and expresses interest → the author sees the
notification in the in-app inbox and opens it → the author closes the request with an outcome;
the interested organisation is told."""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from escp4i.accounts.models import Role, User
from escp4i.accounts.services import role_grant
from escp4i.registry.models import ClusterOrganisation, Country

PASSWORD = "correct-horse-battery-staple"
SCREENSHOTS = Path(tempfile.gettempdir())

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.filterwarnings("ignore::pytest.PytestRemovedIn10Warning"),
]


def _member(username: str, organisation: str, country: str) -> User:
    org = ClusterOrganisation.objects.create(
        name=organisation,
        slug=organisation.lower().replace(" ", "-"),
        country=Country.objects.get(pk=country),
    )
    user = User.objects.create_user(
        username=username, email=f"{username}@example.org", password=PASSWORD, organisation=org
    )
    role_grant(user=user, role=Role.CLUSTER_MANAGER)
    return user


def _login(page: Page, site: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{site}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_partner_search_journey(live_server, page: Page):
    site = live_server.url
    _member("alice", "Alpha Packaging Cluster", "FR")
    _member("bob", "Beta Food Valley", "DE")
    deadline = (timezone.localdate() + dt.timedelta(days=30)).isoformat()

    # Alice posts a request for her organisation.
    _login(page, site, "alice")
    page.goto(f"{site}/collaboration/partner-search/")
    page.get_by_role("link", name="Post a partner search").click()
    page.get_by_label("Kind of search").select_option("market_entry")
    page.get_by_label("Title").fill("Packaging partners for Japan")
    page.get_by_label("Description").fill("We look for clusters with food-packaging SMEs.")
    page.get_by_label("Agro-food & packaging").check()
    page.get_by_label("Partner countries sought").select_option(["DE", "IT"])
    page.get_by_label("Target markets").select_option(["JP"])
    page.get_by_label("Deadline").fill(deadline)
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("Your partner search is published.")).to_be_visible()
    expect(page.get_by_role("heading", name="Packaging partners for Japan")).to_be_visible()

    # Bob finds it through the htmx filters and expresses interest.
    _login(page, site, "bob")
    page.goto(f"{site}/collaboration/partner-search/")
    page.get_by_label("Target market").select_option("JP")
    expect(page.get_by_text("1 partner search found")).to_be_visible()
    page.get_by_role("searchbox", name="Search").fill("packaging japan")
    expect(page).to_have_url(re.compile(r"\?q=packaging(\+|%20)japan&.*target_market=JP"))
    expect(page.get_by_text("1 partner search found")).to_be_visible()
    page.get_by_role("link", name="Packaging partners for Japan").click()
    page.get_by_label("Message to the organisation").fill("We know Japanese retail buyers.")
    page.get_by_role("button", name="Express interest").click()
    expect(page.get_by_text("Your interest was sent to Alpha Packaging Cluster.")).to_be_visible()
    expect(page.get_by_role("button", name="Withdraw our interest")).to_be_visible()

    # Alice is notified in her inbox and opens the notification.
    _login(page, site, "alice")
    page.get_by_role("link", name="Notifications").click()
    expect(page.get_by_test_id("unread-count")).to_have_text("1 unread")
    item = page.get_by_role("listitem").filter(
        has_text="Beta Food Valley is interested in your partner search"
    )
    expect(item).to_contain_text("We know Japanese retail buyers.")
    item.get_by_role("button", name="Open").click()
    expect(page.get_by_role("heading", name="Interests received")).to_be_visible()
    expect(page.get_by_text("We know Japanese retail buyers.")).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "escp4i-partner-search.png", full_page=True)

    # Alice closes it with an outcome: read-only from now on.
    page.get_by_role("link", name="Close with an outcome").click()
    page.get_by_label("Outcome").select_option("found_partners")
    page.get_by_label("Note (optional)").fill("Beta Food Valley joins the mission.")
    page.get_by_role("button", name="Close the request").click()
    expect(page.get_by_text("Partner search closed: Found partners")).to_be_visible()
    expect(page.get_by_text("Closed: Found partners", exact=True)).to_be_visible()
    expect(page.get_by_text("This request is read-only.")).to_be_visible()
    expect(page.get_by_role("link", name="Edit", exact=True)).to_have_count(0)

    # Bob, who expressed interest, is told of the outcome.
    _login(page, site, "bob")
    page.get_by_role("link", name="Notifications").click()
    expect(
        page.get_by_text("Partner search closed: “Packaging partners for Japan”")
    ).to_be_visible()
