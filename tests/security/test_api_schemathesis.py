"""Schemathesis against the live OpenAPI schema (/api/v1/openapi.json), in process through WSGI.

For every operation, Hypothesis generates schema-valid and schema-violating requests (random path
parameters, and the ids of the real objects of tests/security/world.py so requests get past the
404s), sent anonymously or with the token of an officer, an applicant, a participant or an
evaluator. Every response must pass: no 5xx, a documented status code, a documented content type
and headers, a body that matches the documented schema. Each request runs in a savepoint that is
rolled back. Deterministic (derandomised) and bounded: MAX_EXAMPLES per operation.
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
    EVALUATOR,
    MANAGER,
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
CALLERS = [ANONYMOUS, OFFICER, MANAGER, PARTICIPANT, EVALUATOR]

SCHEMA = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]


def _candidates(world: World, path: str, name: str) -> list[Any]:
    """Values of real objects for the path parameter ``name`` of ``path``."""
    if name == "slug":
        if path.startswith("/api/v1/partnerships"):
            return [world.partnership_a.slug]
        if path.startswith("/api/v1/organisations"):
            return [world.org_a2.slug]
        return [world.event_a.slug, world.event_b.slug]
    values = {
        "code": ["1"] if "/strands/" in path else ["DE", "US"],
        "call_id": [world.call_open.pk, world.call_eval.pk, world.call_draft.pk],
        "proposal_id": [world.proposal_a.pk, world.proposal_e.pk],
        "assignment_id": [world.assignment.pk],
        "public_id": [world.label_a.public_id, world.label_awarded.public_id],
        "request_id": [world.request.pk],
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
def in_process_wsgi():
    """Requests through the WSGI handler run on this test's connection, inside its transaction:
    Django must not close that connection at the start and end of each request."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda operation: operation.label)
def test_operation_conforms_to_its_schema(operation, world: World, in_process_wsgi):
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
