"""Switching language from the header form, in a browser without JavaScript."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.filterwarnings("ignore::pytest.PytestRemovedIn10Warning"),
]


def test_switch_to_french_then_german_keeps_the_page(site, browser: Browser):
    # The switcher is a plain form (POST to set_language with `next`): no script needed.
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site}/partnerships/?generation=2016")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1, name="Partnerships")).to_be_visible()

    page.get_by_label("Language").select_option(label="Français")
    page.get_by_role("button", name="Change").click()
    expect(page).to_have_url(re.compile(r"/partnerships/\?generation=2016$"))
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1, name="Partenariats")).to_be_visible()
    expect(page.get_by_role("link", name="Aller au contenu principal")).to_be_attached()
    expect(page.get_by_label("Génération")).to_have_value("2016")

    page.get_by_label("Langue").select_option(label="Deutsch")
    page.get_by_role("button", name="Changer").click()
    expect(page).to_have_url(re.compile(r"/partnerships/\?generation=2016$"))
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.get_by_role("heading", level=1, name="Partnerschaften")).to_be_visible()
    expect(page.get_by_role("navigation", name="Hauptnavigation")).to_contain_text("Kennzahlen")

    # The choice is remembered on the next page.
    page.get_by_role("link", name="Kennzahlen").first.click()
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kennzahlen")
    context.close()


def test_switch_language_after_htmx_filtering_keeps_the_filters(site, page: Page):
    page.goto(f"{site}/partnerships/")
    page.get_by_label("Generation").select_option("2016")
    page.get_by_label("Category").select_option("strand1")
    expect(page.get_by_role("heading", name="5 partnerships found")).to_be_visible()
    expect(page).to_have_url(re.compile(r"generation=2016.*category=strand1"))

    page.get_by_label("Language").select_option(label="Deutsch")
    page.get_by_role("button", name="Change").click()
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page).to_have_url(re.compile(r"/partnerships/\?.*generation=2016.*category=strand1"))
    expect(page.get_by_role("heading", name="5 Partnerschaften gefunden")).to_be_visible()
