"""The authorisation matrix (tests/security/matrix.py) against the live URLconf and API.

* Every URL pattern of the web URLconf and every operation of the API schema must have a row,
  and every method a web page accepts must be classified: an endpoint added later fails here
  until someone decides who may use it.
* Every row is requested as every principal (each request in a savepoint that is rolled back) and
  must give the expected outcome.
* Object-level: for a private object, a principal who may not see it gets exactly what it gets
  for an id that does not exist (same status, same message), so ids cannot be probed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.http import HttpResponse
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse

from escp4i.api.api import api
from tests.security.http import drain, request
from tests.security.matrix import (
    ADMIN_ROWS,
    API_ROWS,
    FORBIDDEN,
    LOGIN,
    NOT_FOUND,
    OK,
    UNAUTHENTICATED,
    WEB_ROWS,
    Row,
)
from tests.security.world import ANONYMOUS, OFFICER, PRINCIPALS, World

pytestmark = pytest.mark.django_db

SKIPPED_NAMESPACES = ("admin", "api-v1")  # the admin has its rows; the API is read from its schema
WRITE_METHODS = ("GET", "POST")  # the methods probed on every web page


# --- enumeration ---------------------------------------------------------------------------------


def web_url_names() -> dict[str, str]:
    """URL name -> route prefix, for every pattern outside the admin and the API."""
    names: dict[str, str] = {}
    unnamed: list[str] = []
    for entry in _iter_patterns():
        name, route, namespace = entry
        if namespace.split(":")[0] in SKIPPED_NAMESPACES:
            continue
        if not name:
            unnamed.append(route)
            continue
        names[name] = route
    assert not unnamed, f"unnamed URL patterns cannot be classified: {unnamed}"
    return names


def _iter_patterns(
    patterns: list[Any] | None = None, prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str, str]]:
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _iter_patterns(entry.url_patterns, prefix + str(entry.pattern), inner)
        else:
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name or ""
            yield name, prefix + str(entry.pattern), namespace


def api_operations() -> set[tuple[str, str]]:
    paths = api.get_openapi_schema()["paths"]
    return {(method.upper(), path) for path, ops in paths.items() for method in ops}


def test_every_web_endpoint_has_a_row():
    classified = {row.endpoint for row in WEB_ROWS}
    missing = sorted(set(web_url_names()) - classified)
    assert not missing, f"URL patterns missing from tests/security/matrix.py: {missing}"
    stale = sorted(classified - set(web_url_names()))
    assert not stale, f"matrix rows for URL names that no longer exist: {stale}"


def test_every_admin_url_is_behind_the_admin_site():
    """All admin URLs sit in the admin namespace, whose ``has_permission`` admits officers only;
    ADMIN_ROWS check that on a sample of its pages."""
    outside = [
        route
        for name, route, namespace in _iter_patterns()
        if route.startswith("admin/") and namespace.split(":")[0] != "admin"
    ]
    assert not outside
    assert {row.endpoint for row in ADMIN_ROWS} <= {
        name for name, _route, namespace in _iter_patterns() if namespace == "admin"
    }


def test_every_api_operation_has_a_row():
    classified = {(row.method, row.endpoint.split(" ", 1)[1]) for row in API_ROWS}
    missing = sorted(api_operations() - classified)
    assert not missing, f"API operations missing from tests/security/matrix.py: {missing}"
    stale = sorted(classified - api_operations())
    assert not stale, f"matrix rows for API operations that no longer exist: {stale}"


def test_private_rows_deny_with_404_except_to_those_who_see_the_object():
    for row in WEB_ROWS + API_ROWS:
        if not row.private:
            continue
        forbidden = {p for p, outcome in row.expect.items() if outcome == FORBIDDEN}
        assert forbidden <= row.sees, f"{row.label}: 403 leaks existence to {forbidden - row.sees}"
        assert row.missing is not None, f"{row.label}: private rows need a missing-object variant"


def test_every_row_names_every_principal():
    for row in WEB_ROWS + ADMIN_ROWS + API_ROWS:
        assert set(row.expect) == set(PRINCIPALS), row.label


def test_every_method_a_page_accepts_is_classified(world: World):
    """Probe GET and POST on every page as an officer (past login and role checks, method
    decorators answer 405): any method that is not refused needs a row."""
    rows = {(row.endpoint, row.method) for row in WEB_ROWS}
    args = {row.endpoint: row.args for row in WEB_ROWS}
    unclassified = []
    for name in web_url_names():
        url = reverse(name, kwargs=args[name](world))
        for method in WRITE_METHODS:
            if (name, method) in rows:
                continue
            response = request(world.clients[OFFICER], method, url)
            if response.status_code != 405:
                unclassified.append(f"{method} {name} -> {response.status_code}")
    assert not unclassified, f"methods accepted but not in the matrix: {unclassified}"


# --- running the rows ----------------------------------------------------------------------------


def _web_outcome(response: HttpResponse) -> str:
    status = response.status_code
    if status in (301, 302, 303, 307):
        location = response["Location"]
        if location.startswith((reverse("login"), reverse("admin:login"))):
            return LOGIN
        return OK
    if status in (401, 403, 404, 405) or status >= 500:
        return str(status)
    return OK


def _api_outcome(response: HttpResponse) -> str:
    status = response.status_code
    if status in (401, 403, 404, 405) or status >= 500:
        return str(status)
    return OK


def _web_call(world: World, row: Row, principal: str, kwargs: dict[str, Any]) -> HttpResponse:
    data = row.data(world) if row.data else None
    return request(world.clients[principal], row.method, reverse(row.endpoint, kwargs=kwargs), data)


def _api_call(world: World, row: Row, principal: str, kwargs: dict[str, Any]) -> HttpResponse:
    path = row.endpoint.split(" ", 1)[1]
    for key, value in kwargs.items():
        path = path.replace(f"{{{key}}}", str(value))
    headers = {}
    if principal != ANONYMOUS:
        headers["Authorization"] = f"Bearer {world.tokens[principal]}"
    client = Client()
    with transaction.atomic():
        if row.multipart:
            response = client.post(path, row.data(world) if row.data else {}, headers=headers)
        elif row.data is not None:
            response = client.generic(
                row.method,
                path,
                json.dumps(row.data(world)),
                content_type="application/json",
                headers=headers,
            )
        else:
            response = client.generic(row.method, path, headers=headers)
        transaction.set_rollback(True)
    drain(response)
    return response


def _message(response: HttpResponse) -> str:
    """What a denial tells the user: the API message, or the lead paragraph of the error page."""
    if response["Content-Type"].startswith("application/json"):
        body = response.json()
        return f"{body.get('code')}: {body.get('message')}"
    match = re.search(r'<p class="lead">(.*?)</p>', response.content.decode(), re.S)
    return match.group(1).strip() if match else ""


def _check(world: World, row: Row, call: Any, outcome: Any) -> None:
    wrong = []
    for principal in PRINCIPALS:
        expected = row.expect[principal]
        response = call(world, row, principal, row.args(world))
        got = outcome(response)
        if got != expected:
            wrong.append(f"{principal}: expected {expected}, got {got}")
        if row.missing is None or expected in (LOGIN, UNAUTHENTICATED):
            continue
        absent = call(world, row, principal, row.missing(world))
        got_absent = outcome(absent)
        # a nonexistent object is 404 (a 403 from a public parent the principal may not use,
        # such as another organiser's event, comes first and is fine)
        allowed = {row.missing_outcome} | ({FORBIDDEN} if expected == FORBIDDEN else set())
        if got_absent not in allowed:
            wrong.append(
                f"{principal}: missing object gave {got_absent}, not {row.missing_outcome}"
            )
        elif row.private and got == NOT_FOUND and _message(absent) != _message(response):
            wrong.append(
                f"{principal}: not theirs ({_message(response)!r}) reads differently from "
                f"missing ({_message(absent)!r})"
            )
    assert not wrong, f"{row.label}:\n  " + "\n  ".join(wrong)


@pytest.mark.parametrize("row", WEB_ROWS + ADMIN_ROWS, ids=lambda r: r.label)
def test_web_row(world: World, row: Row):
    _check(world, row, _web_call, _web_outcome)


@pytest.mark.parametrize("row", API_ROWS, ids=lambda r: r.label)
def test_api_row(world: World, row: Row):
    _check(world, row, _api_call, _api_outcome)


def test_outcomes_are_not_all_the_same():
    """Guard against a matrix that could not fail: every outcome kind occurs."""
    seen = {o for row in WEB_ROWS + ADMIN_ROWS + API_ROWS for o in row.expect.values()}
    assert {OK, LOGIN, UNAUTHENTICATED, FORBIDDEN, NOT_FOUND} <= seen
