"""Schemathesis against the live OpenAPI schema (/api/v1/openapi.json), in process through WSGI.

For every operation, Hypothesis generates schema-valid and schema-violating requests (random path
parameters, and the ids of the real objects of tests/security/world.py so requests get past the
404s), sent anonymously or with the token of an officer, an applicant, a participant, an
evaluator, a partnership coordinator or the twin manager (whose organisation expressed interest
in the partner search). Every response must pass: no 5xx, a documented status code, a
documented content type and headers, a body that matches the documented schema. Each request
runs in a savepoint that is rolled back. Deterministic (derandomised) and bounded: MAX_EXAMPLES
per operation.

The API rate limits stay on (every request is counted, 429 is documented on every operation)
but are set above what one operation's run sends: the negative cases carry made-up tokens, and
with the shipped ``ESCP4I_API_TOKEN_MAX_FAILURES`` the run soon tested nothing but the limiter
(tests/api/test_rate_limits.py tests that).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from escp4i.wsgi import application
from tests.security.world import (
    ANONYMOUS,
    COORDINATOR,
    EVALUATOR,
    MANAGER,
    MANAGER_OTHER,
    OFFICER,
    PARTICIPANT,
    World,
)

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = 40
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
# Hypothesis draws the first callers most often (its simplest values): the manager (applicant,
# author of the partner search, member of partnership A) and the coordinator (author of a forum
# thread, free to express interest) rather than anonymous callers, who get no further than the
# 401 of a token-protected operation (the negative cases also drop the token on purpose).
CALLERS = [MANAGER, COORDINATOR, OFFICER, PARTICIPANT, MANAGER_OTHER, EVALUATOR, ANONYMOUS]
# Far above the requests one operation's run sends (examples, shrinking, replay).
RUN_RATE_LIMIT = 100_000

SCHEMA = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]


def _candidates(world: World, path: str, name: str) -> list[Any]:
    """Values of real objects for the path parameter ``name`` of ``path``."""
    if name == "slug":
        if path.startswith("/api/v1/partnerships"):
            return [world.partnership_a.slug]
        if path.startswith("/api/v1/organisations"):
            return [world.org_a2.slug]
        if path.startswith("/api/v1/collaboration/forum"):
            return [world.space_programme.slug, world.space_a.slug]
        return [world.event_a.slug, world.event_b.slug]
    values = {
        "code": ["1"] if "/strands/" in path else ["DE", "US"],
        "call_id": [world.call_open.pk, world.call_eval.pk, world.call_draft.pk],
        "proposal_id": [world.proposal_a.pk, world.proposal_e.pk],
        "assignment_id": [world.assignment.pk],
        "public_id": [world.label_a.public_id, world.label_awarded.public_id],
        "request_id": [world.request.pk],
        "search_id": [world.search.pk, world.search_hidden.pk],
        "interest_id": [world.interest.pk],
        "thread_id": [world.thread.pk, world.thread_a.pk, world.thread_hidden.pk],
        "post_id": [world.post.pk, world.post_a.pk],
    }
    return values.get(name, [])


def _real_path_parameters(world: World, path: str) -> Iterator[dict[str, Any]]:
    names = re.findall(r"{(\w+)}", path)
    choices = {name: _candidates(world, path, name) for name in names}
    if not names or any(not values for values in choices.values()):
        return
    for i in range(max(len(values) for values in choices.values())):
        yield {name: values[i % len(values)] for name, values in choices.items()}


def _strategy(operation: Any, world: World) -> st.SearchStrategy[Any]:
    strategies = [
        operation.as_strategy(generation_mode=mode, path_parameters=fixed)
        for fixed in [None, *_real_path_parameters(world, operation.path)]
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    ]
    return st.one_of(strategies)


@pytest.fixture
def rate_limits_above_the_run(settings):
    settings.ESCP4I_API_RATE_LIMIT_IP = RUN_RATE_LIMIT
    settings.ESCP4I_API_RATE_LIMIT_TOKEN = RUN_RATE_LIMIT
    settings.ESCP4I_API_TOKEN_MAX_FAILURES = RUN_RATE_LIMIT


@pytest.fixture
def in_process_wsgi():
    """Requests through the WSGI handler run on this test's connection, inside its transaction:
    Django must not close that connection at the start and end of each request."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda operation: operation.label)
def test_operation_conforms_to_its_schema(
    operation, world: World, in_process_wsgi, rate_limits_above_the_run
):
    @given(case=_strategy(operation, world), caller=st.sampled_from(CALLERS))
    @settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.filter_too_much,
            HealthCheck.large_base_example,
            HealthCheck.data_too_large,
        ],
    )
    def run(case, caller):
        headers = {} if caller == ANONYMOUS else {"Authorization": f"Bearer {world.tokens[caller]}"}
        with transaction.atomic():
            case.call_and_validate(headers=headers, checks=CHECKS)
            transaction.set_rollback(True)

    run()


def test_every_operation_is_exercised():
    """The schema the test reads is the API's (not an empty or partial one)."""
    labels = {operation.label for operation in OPERATIONS}
    assert len(labels) >= 60
    assert "PATCH /api/v1/partnerships/{slug}" in labels
    assert "POST /api/v1/imports/{kind}" in labels


def _operation(label: str) -> Any:
    return next(operation for operation in OPERATIONS if operation.label == label)


def test_rate_limited_responses_conform_to_the_schema(world: World, in_process_wsgi, settings):
    """Both kinds of 429, the address limit (middleware) and too many failed token
    authentications (ninja handler), match what every operation documents: the shared error
    body and a Retry-After header."""
    settings.ESCP4I_API_RATE_LIMIT_IP = 1
    settings.ESCP4I_API_TOKEN_MAX_FAILURES = 1
    countries = _operation("GET /api/v1/countries").Case()
    assert countries.call().status_code == 200
    limited = countries.call_and_validate(checks=CHECKS)
    assert limited.status_code == 429
    assert limited.json()["code"] == "rate_limited"
    assert int(limited.headers["retry-after"][0]) == limited.json()["extra"]["retry_after"]

    settings.ESCP4I_API_RATE_LIMIT_IP = RUN_RATE_LIMIT
    me = _operation("GET /api/v1/me").Case()
    assert me.call(headers={"Authorization": "Bearer escp4i_wrong"}).status_code == 401
    good = {"Authorization": f"Bearer {world.tokens[OFFICER]}"}
    throttled = me.call_and_validate(headers=good, checks=CHECKS)
    assert throttled.status_code == 429
    assert throttled.json()["code"] == "rate_limited"
