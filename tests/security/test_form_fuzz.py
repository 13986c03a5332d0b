"""Web forms never answer 5xx, whatever is posted.

Each page below is rendered for a user who may use it; every ``<form>`` on it is read (action,
method, field names and types, options) and Hypothesis sends it random values: the form's own
values and options, junk (NUL bytes, huge numbers, impossible dates, very long text, markup),
missing fields, unknown fields, several values for one field, random files. The Django client
re-raises any exception a view lets through, and every response must be below 500. Each request
runs in a savepoint that is rolled back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.security.http import request
from tests.security.world import (
    ANONYMOUS,
    EVALUATOR,
    MANAGER,
    NO_ROLE,
    OFFICER,
    ORGANISER,
    PARTICIPANT,
    World,
)

pytestmark = pytest.mark.django_db

EXAMPLES_PER_FORM = 12

JUNK = [
    "",
    " ",
    "0",
    "-1",
    "1.5",
    "99999999999999999999",
    "1e309",
    "NaN",
    "abc",
    "2020-02-30",
    "9999-12-31",
    "0000-00-00",
    "25:61",
    "2020-01-01T25:00",
    "\x00",
    "a\x00b",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "\U0001d518\U0001d52b\U0001d526",  # mathematical Fraktur letters
    "x" * 5000,
    "1,2,3",
    "a=1, b",
    "10:30-",
    "/\\evil.example",
    "//evil.example",
    "https://evil.example/",
]


@dataclass
class Field:
    name: str
    kind: str  # input type, "select", "textarea"
    value: str = ""
    options: list[str] = field(default_factory=list)


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, Field] = field(default_factory=dict)


class FormParser(HTMLParser):
    def __init__(self, page_url: str) -> None:
        super().__init__()
        self.page_url = page_url
        self.forms: list[Form] = []
        self._select: Field | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            action = a.get("action") or self.page_url
            self.forms.append(Form(action=action, method=(a.get("method") or "get").upper()))
            return
        if not self.forms:
            return
        form = self.forms[-1]
        name = a.get("name")
        if tag == "input" and name and name != "csrfmiddlewaretoken":
            kind = a.get("type", "text").lower()
            entry = form.fields.setdefault(name, Field(name, kind, a.get("value", "")))
            if kind in ("radio", "checkbox"):
                entry.options.append(a.get("value", "on"))
        elif tag == "textarea" and name:
            form.fields.setdefault(name, Field(name, "textarea"))
        elif tag == "select" and name:
            self._select = form.fields.setdefault(name, Field(name, "select"))
        elif tag == "option" and self._select is not None:
            self._select.options.append(a.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def forms_on(html: str, page_url: str) -> list[Form]:
    parser = FormParser(page_url)
    parser.feed(html)
    # only our own pages: the language switcher and logout are in every layout (fuzzed once)
    return [f for f in parser.forms if urlsplit(f.action).netloc in ("", "testserver")]


def _value(entry: Field) -> st.SearchStrategy[Any]:
    own = [v for v in [entry.value, *entry.options] if v is not None]
    base = st.one_of(st.sampled_from(own or [""]), st.sampled_from(JUNK), st.text(max_size=40))
    if entry.kind == "file":
        return st.builds(
            SimpleUploadedFile,
            st.sampled_from(["plan.pdf", "table.csv", "book.xlsx", "x.exe", "noext", "a" * 250]),
            st.binary(max_size=300),
        )
    if entry.kind in ("select", "checkbox"):
        return st.one_of(base, st.lists(base, max_size=3))
    return base


@st.composite
def payloads(draw, form: Form) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name, entry in form.fields.items():
        if draw(st.integers(0, 9)) == 0:
            continue  # a missing field
        data[name] = draw(_value(entry))
    if draw(st.booleans()):
        data[draw(st.sampled_from(["unexpected", "form", "id", "pk"]))] = draw(
            st.sampled_from(JUNK)
        )
    return data


# (principal, URL name, kwargs) of the pages whose forms are fuzzed
PAGES: list[tuple[str, str, Any]] = [
    (ANONYMOUS, "login", lambda w: {}),
    (ANONYMOUS, "password_reset", lambda w: {}),
    (NO_ROLE, "password_change", lambda w: {}),
    (ANONYMOUS, "web:partnership-list", lambda w: {}),
    (ANONYMOUS, "web:organisation-list", lambda w: {}),
    (ANONYMOUS, "labels:label-list", lambda w: {}),
    (ANONYMOUS, "collaboration:service-list", lambda w: {}),
    (ANONYMOUS, "collaboration:dialogue-list", lambda w: {}),
    (ANONYMOUS, "web:keyfigure-list", lambda w: {}),
    (OFFICER, "web:partnership-edit", lambda w: {"slug": w.partnership_a.slug}),
    (OFFICER, "web:organisation-edit", lambda w: {"slug": w.org_a2.slug}),
    (OFFICER, "web:registry-import", lambda w: {}),
    (OFFICER, "labels:label-detail", lambda w: {"public_id": w.label_a.public_id}),
    (OFFICER, "labels:label-detail", lambda w: {"public_id": w.label_awarded.public_id}),
    (MANAGER, "labels:label-sign", lambda w: {"public_id": w.label_a.public_id}),
    (MANAGER, "calls:proposal-create", lambda w: {"call_id": w.call_open.pk}),
    (MANAGER, "calls:proposal-edit", lambda w: {"proposal_id": w.proposal_a.pk}),
    (MANAGER, "calls:proposal-detail", lambda w: {"proposal_id": w.proposal_a.pk}),
    (OFFICER, "calls:proposal-detail", lambda w: {"proposal_id": w.proposal_e.pk}),
    (OFFICER, "calls:proposal-consensus", lambda w: {"proposal_id": w.proposal_e.pk}),
    (OFFICER, "calls:call-manage", lambda w: {"call_id": w.call_eval.pk}),
    (EVALUATOR, "calls:assignment-detail", lambda w: {"assignment_id": w.assignment.pk}),
    (ORGANISER, "events:event-create", lambda w: {}),
    (ORGANISER, "events:event-manage", lambda w: {"slug": w.event_a.slug}),
    (NO_ROLE, "events:registration-create", lambda w: {"slug": w.event_a.slug}),
    (PARTICIPANT, "events:registration-edit", lambda w: {"slug": w.event_a.slug}),
    (PARTICIPANT, "events:participant-list", lambda w: {"slug": w.event_a.slug}),
    (
        PARTICIPANT,
        "events:participant-detail",
        lambda w: {"slug": w.event_a.slug, "registration_id": w.extra["free_registration"].pk},
    ),
    (PARTICIPANT, "events:request-list", lambda w: {"slug": w.event_a.slug}),
    (PARTICIPANT, "events:agenda", lambda w: {"slug": w.event_a.slug}),
    (PARTICIPANT, "events:meeting-feedback", lambda w: {"meeting_id": w.meeting.pk}),
]

_LAYOUT_ACTIONS = {reverse("set_language"), reverse("logout")}
_FUZZ = settings(
    max_examples=EXAMPLES_PER_FORM,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _fuzz(world: World, principal: str, form: Form) -> None:
    client = world.clients[principal]

    @_FUZZ
    @given(data=payloads(form))
    def run(data):
        response = request(client, form.method, form.action, data)
        assert response.status_code < 500, (form.method, form.action, data)

    run()


@pytest.mark.parametrize(
    ("principal", "name", "kwargs"), PAGES, ids=[f"{p}-{n}" for p, n, _k in PAGES]
)
def test_forms_never_answer_5xx(world: World, principal, name, kwargs):
    url = reverse(name, kwargs=kwargs(world))
    page = request(world.clients[principal], "GET", url)
    assert page.status_code == 200, (url, page.status_code)
    forms = [f for f in forms_on(page.content.decode(), url) if f.action not in _LAYOUT_ACTIONS]
    assert forms, f"{url} shows no form to fuzz"
    for form in forms:
        _fuzz(world, principal, form)


def test_layout_forms_never_answer_5xx(world: World):
    page = request(world.clients[NO_ROLE], "GET", reverse("web:home"))
    forms = [
        f
        for f in forms_on(page.content.decode(), reverse("web:home"))
        if f.action in _LAYOUT_ACTIONS
    ]
    assert {f.action for f in forms} == _LAYOUT_ACTIONS
    for form in forms:
        _fuzz(world, NO_ROLE, form)
