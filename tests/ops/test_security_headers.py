"""Security headers, the Content-Security-Policy with no inline script anywhere, and
``manage.py check --deploy`` clean under the documented production environment."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import uuid
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "src" / "escp4i" / "web" / "templates"
MAIN_PAGES = [
    "/",
    "/partnerships/",
    "/organisations/",
    "/countries/",
    "/countries/DE/",
    "/key-figures/",
    "/labels/",
    "/calls/",
    "/events/",
    "/collaboration/markets/",
    "/accounts/login/",
    "/accounts/password_reset/",
]


class _InlineFinder(HTMLParser):
    """Collects what a `script-src 'self'; style-src 'self'` policy would block."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        for name, _value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…> inline event handler")
            if name == "style":
                self.problems.append(f"<{tag} style=…> inline style attribute")
            if name.startswith("hx-on"):
                self.problems.append(f"<{tag} {name}=…> needs eval")
        if tag == "script":
            executable = names.get("type") in (None, "", "text/javascript", "module")
            if executable and not names.get("src"):
                self.problems.append("inline <script>")
        if tag == "style":
            self.problems.append("inline <style>")
        if tag in ("a", "form", "iframe") and any(
            (v or "").strip().lower().startswith("javascript:") for _n, v in attrs
        ):
            self.problems.append(f"<{tag}> javascript: URL")


def _inline_problems(html: str) -> list[str]:
    finder = _InlineFinder()
    finder.feed(html)
    return finder.problems


def test_finder_catches_what_the_policy_blocks():
    html = (
        '<script>alert(1)</script><script src="/static/x.js"></script>'
        '<script type="application/json">{}</script><button onclick="x()">b</button>'
        '<p style="color:red">p</p><style>p{}</style><a href="javascript:x()">a</a>'
    )
    assert len(_inline_problems(html)) == 5


@pytest.mark.django_db
@pytest.mark.parametrize("path", MAIN_PAGES)
def test_main_pages_send_csp_and_have_no_inline_script(client, path, registry_data):
    response = client.get(path)
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in csp.split(";") if part.strip()}
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert _inline_problems(response.content.decode()) == []
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_no_template_has_inline_script_or_style():
    """Every template, including pages the tests above do not render."""
    problems = {}
    for template in sorted(TEMPLATES.rglob("*.html")):
        text = re.sub(r"\{[%#].*?[%#]\}|\{\{.*?\}\}", "x", template.read_text(encoding="utf-8"))
        found = _inline_problems(text)
        if found:
            problems[str(template.relative_to(TEMPLATES))] = found
    assert problems == {}


def test_report_only_mode(client, settings, db):
    settings.ESCP4I_CSP_REPORT_ONLY = True
    response = client.get("/health")
    assert "Content-Security-Policy" not in response
    assert "script-src 'self'" in response["Content-Security-Policy-Report-Only"]


def test_view_with_its_own_policy_keeps_it(client, db):
    response = client.get("/labels/NOPE/badge.svg")
    assert response["Content-Security-Policy"] == "default-src 'none'; style-src 'unsafe-inline'"


def test_https_settings_redirect_and_send_hsts(settings, db):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 3600
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    client = Client()
    assert client.get("/partnerships/").status_code == 301
    # Load balancers probe over plain http: the health endpoints are exempt.
    assert client.get("/health").status_code == 200
    assert client.get("/health/ready").status_code == 200
    response = client.get("/partnerships/", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=3600; includeSubDomains"


def _production_env(tmp_path: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("ESCP4I_", "CELERY_", "DJANGO_", "SECRET_KEY"))
    }
    # The production values of deploy/systemd/escp4i.env.example.
    example = (ROOT / "deploy" / "systemd" / "escp4i.env.example").read_text(encoding="utf-8")
    for line in example.splitlines():
        if line and not line.startswith("#") and "=" in line:
            name, _sep, value = line.partition("=")
            env[name] = value
    env.update(
        SECRET_KEY="check-deploy-" + uuid.uuid4().hex * 2,
        ESCP4I_VAR_DIR=str(tmp_path),
        ESCP4I_MEDIA_ROOT=str(tmp_path / "media"),
        ESCP4I_STATIC_ROOT=str(tmp_path / "static"),
    )
    return env


def _check_deploy(env):
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "check", "--deploy", "--fail-level", "DEBUG"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_with_production_environment(tmp_path):
    result = _check_deploy(_production_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_check_deploy_flags_a_plain_http_configuration(tmp_path):
    """The check above can fail: without ESCP4I_HTTPS the same command reports warnings."""
    env = _production_env(tmp_path)
    for name in ("ESCP4I_HTTPS", "ESCP4I_HSTS_SECONDS"):
        env.pop(name)
    result = _check_deploy(env)
    assert result.returncode != 0
    assert "security.W008" in result.stderr + result.stdout  # no SSL redirect
