"""The pure state machine: every (state, action) pair is either in the table or refused."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from escp4i.core.errors import InvalidTransition
from escp4i.labels import workflow
from escp4i.labels.workflow import LabelAction, LabelState

S, A = LabelState, LabelAction

EXPECTED = {
    (S.PROPOSED, A.OPEN_CHARTER): S.CHARTER_OPEN,
    (S.CHARTER_OPEN, A.COMPLETE_SIGNATURES): S.SIGNED,
    (S.SIGNED, A.AWARD): S.AWARDED,
    (S.AWARDED, A.START_EXPIRING): S.EXPIRING,
    (S.AWARDED, A.EXPIRE): S.EXPIRED,
    (S.EXPIRING, A.EXPIRE): S.EXPIRED,
    (S.AWARDED, A.RENEW): S.RENEWED,
    (S.EXPIRING, A.RENEW): S.RENEWED,
    **{
        (s, A.REVOKE): S.REVOKED
        for s in (S.PROPOSED, S.CHARTER_OPEN, S.SIGNED, S.AWARDED, S.EXPIRING)
    },
}
ALL_PAIRS = list(itertools.product(LabelState, LabelAction))


def test_table_is_the_documented_one():
    assert workflow.TRANSITIONS == EXPECTED


@pytest.mark.parametrize(("state", "action"), [p for p in ALL_PAIRS if p in EXPECTED])
def test_allowed_transition(state, action):
    assert workflow.transition(state, action) == EXPECTED[(state, action)]
    workflow.ensure_transition(state, EXPECTED[(state, action)])
    assert action in workflow.allowed_actions(state)


@pytest.mark.parametrize(("state", "action"), [p for p in ALL_PAIRS if p not in EXPECTED])
def test_forbidden_transition_raises_invalid_transition(state, action):
    with pytest.raises(InvalidTransition) as excinfo:
        workflow.transition(state, action)
    assert excinfo.value.extra["state"] == state.value
    assert excinfo.value.extra["action"] == action.value
    assert str(state.label) in excinfo.value.message


@pytest.mark.parametrize(
    ("state", "target"),
    [
        (s, t)
        for s, t in itertools.product(LabelState, LabelState)
        if t not in {v for (src, _a), v in EXPECTED.items() if src == s}
    ],
)
def test_ensure_transition_refuses_every_other_target(state, target):
    with pytest.raises(InvalidTransition):
        workflow.ensure_transition(state, target)


def test_final_states_have_no_way_out():
    assert {S.EXPIRED, S.RENEWED, S.REVOKED} == workflow.FINAL_STATES
    for state in workflow.FINAL_STATES:
        assert workflow.next_states(state) == frozenset()


def test_every_state_is_reachable_from_proposed_or_a_renewal():
    reached, frontier = {S.PROPOSED, S.AWARDED}, [S.PROPOSED, S.AWARDED]
    while frontier:
        for target in workflow.next_states(frontier.pop()):
            if target not in reached:
                reached.add(target)
                frontier.append(target)
    assert reached == set(LabelState)


def test_public_status_words():
    assert workflow.public_status(S.AWARDED) == "active"
    assert workflow.public_status(S.EXPIRING) == "expiring"
    assert workflow.public_status(S.CHARTER_OPEN) == "in preparation"
    assert workflow.public_status(S.REVOKED) == "revoked"


def test_lifecycle_doc_lists_every_transition_and_who_triggers_it():
    doc = (Path(__file__).parents[2] / "docs" / "label-lifecycle.md").read_text(encoding="utf-8")
    for (source, action), target in workflow.TRANSITIONS.items():
        assert f"{source.value} --> {target.value}" in doc, (source, target)
        assert f"`{action.value}`" in doc
        assert workflow.TRIGGERED_BY[action] in doc
