"""CSRF on every form: every POST form in every template carries the token, rendered pages
have it in each POST form, and a POST without it is refused (403)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.test import Client

from escp4i.registry.models import Partnership

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "escp4i" / "web" / "templates"
_FORM = re.compile(r"<form\b[^>]*>.*?</form>", re.S | re.I)


def test_every_post_form_in_every_template_has_the_token():
    missing, post_forms = [], 0
    for template in sorted(TEMPLATES.rglob("*.html")):
        for form in _FORM.findall(template.read_text(encoding="utf-8")):
            opening = form.split(">", 1)[0].lower()
            if 'method="post"' not in opening:
                assert 'method="get"' in opening, f"{template.name}: form without a method"
                continue
            post_forms += 1
            if "{% csrf_token %}" not in form:
                missing.append(f"{template.relative_to(TEMPLATES)}: {opening[:80]}")
    assert post_forms >= 40
    assert missing == []


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self._current: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._current = {"action": attrs.get("action") or "", "token": False}
            self.forms.append(self._current)
        if (
            tag == "input"
            and self._current is not None
            and attrs.get("name") == "csrfmiddlewaretoken"
            and attrs.get("value")
        ):
            self._current["token"] = True

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None


def _check_page(client: Client, path: str) -> int:
    response = client.get(path)
    assert response.status_code == 200, path
    parser = _Forms()
    parser.feed(response.content.decode())
    assert parser.forms, f"{path}: no POST form"
    for form in parser.forms:
        assert form["token"], f"{path}: POST form to {form['action']!r} without a CSRF token"
        target = form["action"] or path
        refused = client.post(target, {})
        assert refused.status_code == 403, f"{path}: POST to {target} without token accepted"
    return len(parser.forms)


@pytest.fixture
def csrf_client():
    return Client(enforce_csrf_checks=True)


def test_public_and_account_pages(csrf_client, db):
    for path in ("/", "/accounts/login/", "/accounts/password_reset/", "/admin/login/"):
        _check_page(csrf_client, path)


def test_signed_in_pages(csrf_client, officer, coordinator, cluster_manager):
    ecca = Partnership.objects.get(acronym="ECCA", generation__code="2016")
    pages = {
        officer: ["/registry/import/", "/accounts/password_change/", "/notifications/"],
        coordinator: [f"/partnerships/{ecca.slug}/edit/"],
        cluster_manager: [f"/organisations/{cluster_manager.organisation.slug}/edit/"],
    }
    for user, paths in pages.items():
        csrf_client.force_login(user)
        for path in paths:
            assert _check_page(csrf_client, path) >= 1
        csrf_client.logout()


def test_the_token_is_what_makes_the_post_pass(csrf_client, officer):
    """The refusals above are CSRF refusals: the same POST with the token is accepted."""
    csrf_client.force_login(officer)
    page = csrf_client.get("/")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.content).group(1)
    data = {"language": "fr", "next": "/"}
    assert csrf_client.post("/i18n/setlang/", data).status_code == 403
    accepted = csrf_client.post("/i18n/setlang/", {**data, "csrfmiddlewaretoken": token.decode()})
    assert accepted.status_code == 302
