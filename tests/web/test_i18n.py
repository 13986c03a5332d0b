"""French rendering of the public pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_accept_language_fr_renders_french(client, registry_data):
    html = client.get(reverse("web:partnership-list"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert '<html lang="fr">' in html
    assert "24 partenariats trouvés" in html
    assert "Aller au contenu principal" in html


def test_language_cookie_fr_renders_key_figures_in_french(client, registry_data, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    html = client.get(reverse("web:keyfigure-list")).content.decode()
    assert "Chiffres clés" in html
    assert "8 partenariats de catégorie inconnue" in html
    assert "plus de 17" in html  # qualifier translated, French number grouping
    assert 'viewBox="0 0 640' in html  # SVG coordinates are not localised ("12,5" would break)
    assert "," not in html.split('class="bar"')[0].rsplit('width="', 1)[1].split('"')[0]


def test_set_language_switches_to_french(client, registry_data):
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/partnerships/"})
    assert response.status_code == 302
    assert "Partenariats" in client.get(response["Location"]).content.decode()


# The layout's labels (navigation, skip link, language switcher, footer) in each language.
LAYOUT_LABELS = {
    "fr": {
        "Partnerships": "Partenariats",
        "Countries": "Pays",
        "Key figures": "Chiffres clés",
        "Calls": "Appels",
        "Events": "Événements",
        "Markets &amp; services": "Marchés et services",
        "Partner search": "Recherche de partenaires",
        "API docs": "Documentation de l\u2019API",
        "Language": "Langue",
        "Change": "Changer",
        "Log in": "Se connecter",
    },
    "de": {
        "Partnerships": "Partnerschaften",
        "Organisations": "Organisationen",
        "Countries": "Länder",
        "Key figures": "Kennzahlen",
        "Calls": "Aufrufe",
        "Events": "Veranstaltungen",
        "Markets &amp; services": "Märkte &amp; Angebote",
        "Partner search": "Partnersuche",
        "API docs": "API-Dokumentation",
        "Language": "Sprache",
        "Change": "Wechseln",
        "Log in": "Anmelden",
    },
}
# English text of the layout and of each page that must not survive a translated rendering.
LAYOUT_ENGLISH = [
    "Skip to main content",
    "European Strategic Cluster Partnerships<",
    "Privacy: what we store and your rights",
    "Map geometry",
    "Data: public sources",
]
PAGE_ENGLISH = {
    "/": ["Going International", "Browse partnerships", "At a glance", "See the key figures"],
    "/partnerships/": ["partnerships found", "Filter partnerships", "Apply filters"],
    "/partnerships/ecca/": ["documented member", "Recommended partners", "Target countries"],
    "/organisations/": ["Cluster organisations", "organisations found", "Filter organisations"],
    "/countries/": ["Countries of member organisations", "Target third countries"],
    "/countries/DE/": ["Member cluster organisations", "Partnerships with members here"],
    "/key-figures/": ["Partnerships by category", "Computed", "Reported", "Coverage"],
    "/labels/": ["ESCP-4i label registry", "Read the charter", "In preparation"],
    "/calls/": ["Calls for proposals", "Partnerships come from calls"],
    "/events/": ["International cluster matchmaking events", "Host fair", "Where"],
    "/events/{event}/": ["Participant types", "Third-country focus", ">Register<"],
    "/collaboration/markets/": ["Third markets", "Partnerships targeting it"],
    "/collaboration/services/": ["EU support services for going international"],
    "/collaboration/dialogues/": ["Policy dialogues and cooperation arrangements", "Filter<"],
    "/collaboration/partner-search/": ["Log in to post a request", "Filter partner searches"],
    "/privacy/": ["What we store", "Your rights and how to use them", "How long"],
    "/accounts/login/": ["Forgotten your password?", "Username"],
    "/no-such-page/": ["Page not found", "Go to the home page"],
}


@pytest.fixture
def public_event(organiser):
    import datetime as dt

    from escp4i.events import services as event_services
    from escp4i.registry.models import Country

    day = dt.date(2030, 4, 25)
    event = event_services.event_create(
        actor=organiser,
        name="EU-US Cluster Matchmaking",
        city="Hannover",
        country=Country.objects.get(pk="DE"),
        start_date=day,
        end_date=day,
        timezone_name="Europe/Berlin",
        host_fair="Hannover Messe",
        tables=2,
    )
    event_services.event_session_add(
        event=event,
        actor=organiser,
        date=day,
        start_time=dt.time(9, 0),
        end_time=dt.time(12, 0),
        slot_minutes=30,
        breaks=[],
        name="Morning",
    )
    return event


@pytest.mark.parametrize("language", ["fr", "de"])
def test_public_pages_render_without_english_labels(
    client, registry_data, public_event, settings, language
):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    leftovers = {}
    for path_pattern, page_english in PAGE_ENGLISH.items():
        path = path_pattern.format(event=public_event.slug)
        response = client.get(path)
        assert response.status_code == (404 if path == "/no-such-page/" else 200), path
        html = response.content.decode()
        assert f'<html lang="{language}">' in html, path
        found = [text for text in LAYOUT_ENGLISH + page_english if text in html]
        for english, translated in LAYOUT_LABELS[language].items():
            assert f">{translated}<" in html, (path, translated)
            if f">{english}<" in html:
                found.append(english)
        if found:
            leftovers[path] = found
    assert leftovers == {}


def test_the_checked_english_text_is_on_the_english_pages(
    client, registry_data, public_event, settings
):
    # Keeps the check above meaningful: every phrase it looks for is really on the page.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    absent = {}
    for path_pattern, page_english in PAGE_ENGLISH.items():
        path = path_pattern.format(event=public_event.slug)
        html = client.get(path).content.decode()
        labels = [f">{english}<" for english in LAYOUT_LABELS["de"]]
        missing = [text for text in LAYOUT_ENGLISH + page_english + labels if text not in html]
        if missing:
            absent[path] = missing
    assert absent == {}
