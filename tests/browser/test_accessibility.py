"""Automated accessibility checks (WCAG 2.1 A/AA) with axe-core on the main pages, in English and
French, as the public and as each kind of logged-in user.

axe-core is vendored (tests/browser/vendor/axe-core/, version in VERSION there) and injected into
each page after it has loaded; nothing comes from the network. Any violation with impact
"serious" or "critical" fails the test, listed page by page with the rule id, its help text and
the offending elements. No rule is disabled. axe's "incomplete" results (for instance the
contrast of SVG chart labels, whose background axe cannot compute) are not failures; they need a
human look and were reviewed by hand (docs/accessibility.md).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from escp4i.accounts.models import User
from escp4i.calls.models import Call
from escp4i.collaboration.models import (
    ForumSpace,
    ForumThread,
    PartnerSearch,
    PartnerSearchStatus,
    SupportService,
)
from escp4i.events.demo import DEMO_ORGANISER, SPECS
from escp4i.events.models import Event, Registration, RegistrationStatus, ScheduleRun
from escp4i.labels.models import Label
from escp4i.labels.workflow import LabelState
from escp4i.notifications.services import notification_send
from escp4i.registry.models import ClusterOrganisation, Partnership

AXE_DIR = Path(__file__).resolve().parent / "vendor" / "axe-core"
AXE_VERSION = (AXE_DIR / "VERSION").read_text(encoding="utf-8").splitlines()[0]  # "axe-core 4.x.y"
AXE_SOURCE = (AXE_DIR / "axe.min.js").read_text(encoding="utf-8")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = {"serious", "critical"}
LANGUAGES = ("en", "fr")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore::pytest.PytestRemovedIn10Warning"),
]

_AXE_RUN = """async (tags) => {
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: tags},
    resultTypes: ["violations"],
  });
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => ({target: n.target.join(" "), summary: n.failureSummary || ""})),
  }));
}"""


def axe_blocking_violations(page: Page) -> list[dict[str, Any]]:
    """Inject axe-core (once per document) and return its serious and critical violations."""
    if not page.evaluate("typeof window.axe === 'object'"):
        # Evaluated through the DevTools protocol: the site's CSP (no inline scripts) stays on.
        page.evaluate(AXE_SOURCE)
    violations: list[dict[str, Any]] = page.evaluate(_AXE_RUN, AXE_TAGS)
    return [v for v in violations if v["impact"] in BLOCKING_IMPACTS]


def describe(where: str, violations: list[dict[str, Any]]) -> str:
    """One readable block per violation: rule id, impact, help, then each offending element."""
    lines = []
    for v in violations:
        lines.append(f"{where}: {v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>")
        for node in v["nodes"][:10]:
            summary = " ".join(node["summary"].split())
            lines.append(f"    {node['target']}  --  {summary}")
        if len(v["nodes"]) > 10:
            lines.append(f"    … and {len(v['nodes']) - 10} more elements")
    return "\n".join(lines)


@dataclass(frozen=True)
class Check:
    """A page to check: who looks at it, where, and optionally what they do first (a form
    submitted with errors, an htmx filter, a saved form showing its message)."""

    name: str
    path: str
    as_user: str | None = None
    action: Callable[[Page], None] | None = field(default=None, compare=False)
    # None: the page follows the chosen language; otherwise the one language it is written in.
    language: str | None = None


def _submit_empty(form_selector: str) -> Callable[[Page], None]:
    """Submit a form without filling it (server-side validation errors) and wait for them."""

    def act(page: Page) -> None:
        form = page.locator(form_selector)
        # Skip the browser's own "required" bubbles: the server-rendered errors are what we check.
        form.evaluate("f => f.setAttribute('novalidate', '')")
        form.locator("button[type=submit]").last.click()
        expect(page.locator(".form-errors")).to_be_visible()  # only on the re-rendered form

    return act


def _login_fails(page: Page) -> None:
    page.locator("#id_username").fill("nobody")
    page.locator("#id_password").fill("wrong-password")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".form-errors")).to_be_visible()


def _filter_catalogue(page: Page) -> None:
    page.locator("#id_category").select_option("strand1")
    expect(page).to_have_url(re.compile(r"category=strand1"))
    page.wait_for_load_state("networkidle")


def _open_api_operations(page: Page) -> None:
    """Swagger UI draws itself after load: open a read and a write operation, "Try it out" on
    both, then the token dialog, so their controls are checked too."""
    for method in ("get", "post"):
        operation = page.locator(f".opblock-{method}").first
        operation.locator(".opblock-summary-control").click()
        operation.locator(".try-out__btn").click()
        expect(operation.locator(".btn.execute")).to_be_visible()
    page.locator(".btn.authorize").first.click()
    expect(page.locator(".modal-ux")).to_be_visible()


def _save_preferences(page: Page) -> None:
    page.locator("main form button[type=submit]").last.click()
    expect(page.locator(".messages")).to_be_visible()


def _seed_demo() -> dict[str, Any]:
    """The `make demo` data, then the objects whose pages we visit."""
    out = StringIO()
    call_command("load_escp4i", stdout=out)
    call_command("load_collaboration", stdout=out)
    call_command("seed_calls", stdout=out)
    call_command("seed_labels", demo=True, stdout=out)
    call_command("seed_demo_events", time_limit=2.0, stdout=out)
    call_command("seed_demo_collaboration", stdout=out)

    event = Event.objects.get(slug=SPECS[0].slug)  # optimised and published schedule
    other_event = Event.objects.get(slug=SPECS[1].slug)
    registration = (
        Registration.objects.filter(event=event, status=RegistrationStatus.APPROVED)
        .exclude(user__event_registrations__event=other_event)
        .order_by("pk")
        .first()
    )
    assert registration is not None
    participant = registration.user
    notification_send(
        user=participant,
        kind="request_received",
        title="Ohio Advanced Manufacturing Network asks to meet you",
        url=reverse("events:request-list", args=[event.slug]),
    )
    peer = Registration.objects.filter(event=event).exclude(pk=registration.pk).first()
    assert peer is not None
    search = PartnerSearch.objects.filter(status=PartnerSearchStatus.OPEN).order_by("pk").first()
    assert search is not None
    return {
        "event": event,
        "other_event": other_event,
        "peer": peer,
        "run": ScheduleRun.objects.filter(event=event).latest("pk"),
        "participant": participant.username,
        "partnership": Partnership.objects.filter(is_synthetic=False).order_by("acronym").first(),
        "organisation": ClusterOrganisation.objects.filter(is_synthetic=False)
        .order_by("name")
        .first(),
        "call": Call.objects.order_by("pk").first(),
        "label": Label.objects.filter(state=LabelState.AWARDED).first(),
        "proposed_label": Label.objects.filter(state=LabelState.PROPOSED)
        .order_by("public_id")
        .first(),
        "service": SupportService.objects.order_by("slug").first(),
        "space": ForumSpace.objects.order_by("slug").first(),
        "thread": ForumThread.objects.order_by("pk").first(),
        "search": search,
    }


def _checks(d: dict[str, Any]) -> list[Check]:
    ev, p = d["event"].slug, d["participant"]
    officer, organiser = "demo-label-officer", DEMO_ORGANISER
    return [
        # Public pages
        Check("home", reverse("web:home")),
        Check("partnership catalogue", reverse("web:partnership-list")),
        Check(
            "partnership catalogue, htmx filter",
            reverse("web:partnership-list"),
            action=_filter_catalogue,
        ),
        Check(
            "partnership detail", reverse("web:partnership-detail", args=[d["partnership"].slug])
        ),
        Check("organisation list", reverse("web:organisation-list")),
        Check(
            "organisation detail",
            reverse("web:organisation-detail", args=[d["organisation"].slug]),
        ),
        Check("key figures", reverse("web:keyfigure-list")),
        Check("countries", reverse("web:country-list")),
        Check("third country", reverse("web:country-detail", args=["US"])),
        Check("markets", reverse("collaboration:market-list")),
        Check("third-country market", reverse("collaboration:market-detail", args=["us"])),
        Check("support services", reverse("collaboration:service-list")),
        Check(
            "support service detail",
            reverse("collaboration:service-detail", args=[d["service"].slug]),
        ),
        Check("policy dialogues", reverse("collaboration:dialogue-list")),
        Check("partner search list", reverse("collaboration:partner-search-list")),
        Check(
            "partner search detail",
            reverse("collaboration:partner-search-detail", args=[d["search"].pk]),
        ),
        Check("forum index", reverse("collaboration:forum-index")),
        Check("forum space", reverse("collaboration:forum-space", args=[d["space"].slug])),
        Check("forum thread", reverse("collaboration:forum-thread", args=[d["thread"].pk])),
        Check("events", reverse("events:event-list")),
        Check("event detail", reverse("events:event-detail", args=[ev])),
        Check("labels", reverse("labels:label-list")),
        Check("label detail", reverse("labels:label-detail", args=[d["label"].public_id])),
        Check("charter", reverse("labels:charter-detail")),
        Check("calls", reverse("calls:call-list")),
        Check("call detail", reverse("calls:call-detail", args=[d["call"].pk])),
        Check("login", reverse("login")),
        Check("login, wrong password", reverse("login"), action=_login_fails),
        Check("password reset", reverse("password_reset")),
        Check("privacy", reverse("web:privacy")),
        Check("not found", "/no-such-page/"),
        # Swagger UI and the API descriptions are in English only.
        Check("API docs", "/api/v1/docs", action=_open_api_operations, language="en"),
        # A participant of the published event
        Check("inbox", reverse("notifications:inbox"), p),
        Check("notification settings", reverse("notifications:preferences"), p),
        Check(
            "notification settings, saved",
            reverse("notifications:preferences"),
            p,
            _save_preferences,
        ),
        Check("account", reverse("account:detail"), p),
        Check("account deletion", reverse("account:delete"), p),
        Check("event agenda", reverse("events:agenda", args=[ev]), p),
        Check("event participants", reverse("events:participant-list", args=[ev]), p),
        Check(
            "event participant",
            reverse("events:participant-detail", args=[ev, d["peer"].pk]),
            p,
        ),
        Check("meeting requests", reverse("events:request-list", args=[ev]), p),
        Check("registration profile", reverse("events:registration-edit", args=[ev]), p),
        Check(
            "event registration",
            reverse("events:registration-create", args=[d["other_event"].slug]),
            p,
        ),
        Check("new partner search", reverse("collaboration:partner-search-create"), p),
        Check(
            "new partner search, with errors",
            reverse("collaboration:partner-search-create"),
            p,
            _submit_empty("main form[method=post]"),
        ),
        Check(
            "new forum thread",
            reverse("collaboration:forum-thread-create", args=[d["space"].slug]),
            p,
        ),
        Check("call application", reverse("calls:proposal-create", args=[d["call"].pk]), p),
        Check("my proposals", reverse("calls:proposal-mine"), p),
        # The organiser of the event
        Check("event dashboard", reverse("events:event-manage", args=[ev]), organiser),
        Check("scheduling run", reverse("events:run-detail", args=[ev, d["run"].pk]), organiser),
        Check("meeting grid", reverse("events:grid", args=[ev]), organiser),
        Check("event analytics", reverse("events:analytics", args=[ev]), organiser),
        Check("new event", reverse("events:event-create"), organiser),
        Check(
            "new event, with errors",
            reverse("events:event-create"),
            organiser,
            _submit_empty("main form[method=post]"),
        ),
        # A programme officer
        Check("call management", reverse("calls:call-manage", args=[d["call"].pk]), officer),
        Check("call ranking", reverse("calls:call-ranking", args=[d["call"].pk]), officer),
        Check(
            "label detail (officer)",
            reverse("labels:label-detail", args=[d["proposed_label"].public_id]),
            officer,
        ),
        Check("label audit", reverse("labels:label-audit", args=[d["label"].public_id]), officer),
        Check("my labels", reverse("labels:label-mine"), officer),
        Check(
            "partnership edit",
            reverse("web:partnership-edit", args=[d["partnership"].slug]),
            officer,
        ),
        Check(
            "organisation edit",
            reverse("web:organisation-edit", args=[d["organisation"].slug]),
            officer,
        ),
        Check("registry import", reverse("web:registry-import"), officer),
    ]


def _session_cookie(site: str, username: str) -> dict[str, str]:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": site,
    }


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_main_pages_have_no_serious_axe_violations(live_server, browser: Browser):
    """Every page in `_checks`, in English and French: no serious or critical violation."""
    site = live_server.url
    data = _seed_demo()
    checks = _checks(data)
    users = sorted({c.as_user for c in checks if c.as_user}, key=str)
    failures: list[str] = []
    checked = 0
    for language in LANGUAGES:
        for user in [None, *users]:
            context = browser.new_context(base_url=site)
            cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": site}]
            if user:
                cookies.append(_session_cookie(site, user))
            context.add_cookies(cookies)
            page = context.new_page()
            for check in (c for c in checks if c.as_user == user):
                where = f"[{language}] {check.name} {check.path} ({user or 'anonymous'})"
                response = page.goto(check.path)
                assert response is not None
                expected_status = 404 if check.name == "not found" else 200
                assert response.status == expected_status, f"{where}: HTTP {response.status}"
                # Blocks that htmx loads after the page (hx-trigger="load") are part of it.
                page.wait_for_function("() => !document.querySelector('[hx-trigger=load]')")
                page_language = check.language or language
                assert page.evaluate("document.documentElement.lang") == page_language, where
                if check.action:
                    check.action(page)
                violations = axe_blocking_violations(page)
                if violations:
                    failures.append(describe(where, violations))
                checked += 1
            context.close()
    assert checked == len(checks) * len(LANGUAGES)
    assert not failures, (
        f"{len(failures)} of {checked} page checks have serious or critical axe violations "
        f"(WCAG 2.1 A/AA, {AXE_VERSION}):\n" + "\n".join(failures)
    )


def test_axe_check_reports_rule_help_and_target(browser: Browser):
    """The checker itself: a page with known violations is reported with rule, help, target."""
    page = browser.new_page()
    page.set_content(
        '<!DOCTYPE html><html lang="en"><head><title>t</title></head><body><main>'
        '<img src="data:," id="no-alt">'
        '<p style="color:#bbb;background:#fff">Faint text</p>'
        '<p id="dup">a</p><input type="text" id="unlabelled">'
        "</main></body></html>"
    )
    violations = axe_blocking_violations(page)
    page.close()
    by_rule = {v["id"]: v for v in violations}
    assert {"image-alt", "color-contrast", "label"} <= set(by_rule)
    message = describe("[en] demo /", violations)
    assert "image-alt (critical): Images must have alternative text" in message
    assert "#no-alt" in message
    assert "color-contrast (serious)" in message
    assert "#unlabelled" in message
