"""Key public journeys in a real browser: htmx filtering, partnership detail, key figures."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

# Screenshots for a human look at the design (e.g. /tmp/escp4i-catalogue.png).
SCREENSHOTS = Path(tempfile.gettempdir())

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    # pytest-base-url (a pytest-playwright dependency) defines its session fixture in a way
    # pytest 9 deprecates; not our code, so silence that one warning for these tests only.
    pytest.mark.filterwarnings("ignore::pytest.PytestRemovedIn10Warning"),
]


def test_filter_catalogue_updates_results_without_reload(site, page: Page):
    page.goto(f"{site}/partnerships/")
    expect(page.get_by_role("heading", name="24 partnerships found")).to_be_visible()
    page.evaluate("window.__noReload = true")

    page.get_by_label("Generation").select_option("2016")
    page.get_by_label("Category").select_option("strand1")
    expect(page.get_by_role("heading", name="5 partnerships found")).to_be_visible()
    expect(page).to_have_url(re.compile(r"generation=2016.*category=strand1"))
    assert page.evaluate("window.__noReload") is True  # htmx swap, not a page load

    page.get_by_role("searchbox", name="Search").fill("circular")
    expect(page.get_by_role("heading", name="1 partnership found")).to_be_visible()
    expect(page).to_have_url(re.compile(r"q=circular"))
    expect(page.get_by_role("link", name="ECCA")).to_be_visible()
    assert page.evaluate("window.__noReload") is True
    page.screenshot(path=SCREENSHOTS / "escp4i-catalogue.png", full_page=True)


def test_open_a_partnership_shows_members_and_sources(site, page: Page):
    page.goto(f"{site}/partnerships/?q=circular")
    page.get_by_role("link", name="ECCA").click()
    expect(page.get_by_role("heading", level=1, name="ECCA")).to_be_visible()
    members = page.get_by_role("table", name=re.compile("ECCA: .* documented member"))
    expect(members.get_by_role("link", name="Construction Cluster of Slovenia")).to_be_visible()
    expect(page.get_by_role("heading", name="Sources")).to_be_visible()
    expect(page.get_by_role("link", name="http://circularconstruction.eu/").first).to_be_visible()


def test_read_key_figures_with_map(site, page: Page):
    page.goto(f"{site}/key-figures/")
    table = page.get_by_role("table", name=re.compile("computed and reported figures"))
    row = table.get_by_role("row", name=re.compile("^Strand 1 partnerships"))
    expect(row.get_by_role("cell").nth(0)).to_have_text("5")
    expect(row.get_by_role("cell").nth(1)).to_have_text("9")
    expect(table.get_by_text("8 partnerships of unknown category").first).to_be_visible()
    expect(
        page.get_by_role("img", name=re.compile("Member cluster organisations by country"))
    ).to_be_visible()
    page.get_by_label("Generation", exact=True).select_option("2018")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Second generation")
    page.goto(f"{site}/key-figures/")
    page.screenshot(path=SCREENSHOTS / "escp4i-key-figures.png", full_page=True)
