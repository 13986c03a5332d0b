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
