"""Symmetry handling: which meetings are interchangeable, and that breaking the symmetry never
changes an optimum (checked against the same models without it)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from escp4i.scheduler import Participant, Schedule, SchedulingProblem, validate
from escp4i.scheduler import cpsat as cpsat_module
from escp4i.scheduler.breaks import total_breaks
from escp4i.scheduler.cpsat import Phase, probe_contiguous, solve_phase
from escp4i.scheduler.maxsat import solve_maxsat
from escp4i.scheduler.symmetry import canonical, interchangeable_meetings
from escp4i.scheduler.tables import assign_tables

from .conftest import make_problem


def test_delegates_with_one_meeting_each_with_the_same_host_are_interchangeable():
    # Host 1 meets 10, 11, 12 (one meeting each); 13 is unavailable in slot 1, so not alike
    # them; 14 also meets 2, so it is no leaf; 2's leaves 15 and 16: one meeting is fixed.
    problem = make_problem(
        4,
        3,
        [(1, 10), (1, 11), (1, 12), (1, 13), (1, 14), (2, 14), (2, 15), (2, 16)],
        forbidden={13: {1}},
        meeting_kwargs={8: {"fixed_slot": 2}},
    )
    assert interchangeable_meetings(problem) == [(1, 2, 3)]


def test_session_restriction_priority_and_precedence_separate_meetings():
    problem = make_problem(
        4,
        3,
        [(1, 10), (1, 11), (1, 12), (1, 13), (1, 14), (1, 15), (1, 16)],
        meeting_kwargs={
            2: {"allowed_slots": frozenset({1, 2})},
            3: {"priority": 2},
            4: {"after": (1,)},
            5: {"allowed_slots": frozenset({1, 2})},
        },
    )
    # 1 is a predecessor, 4 has one: neither is interchangeable; 3 has another priority.
    assert interchangeable_meetings(problem) == [(2, 5), (6, 7)]


def test_canonical_puts_scheduled_members_first_in_slot_order():
    assert canonical({1: 5, 2: 3, 4: 9, 7: 1}, [[1, 2, 3], [4]]) == {1: 3, 2: 5, 4: 9, 7: 1}
    assert canonical({2: 4, 3: 1}, [[1, 2, 3]]) == {1: 1, 2: 4}


@st.composite
def symmetric_problems(draw):
    """Small events with hosts meeting several one-meeting delegates (the symmetric case),
    some of them alike, plus a few other meetings and tables short enough to leave some out."""
    n_slots = draw(st.integers(3, 6))
    hosts = draw(st.integers(1, 3))
    pairs: list[tuple[int, ...]] = []
    forbidden: dict[int, set[int]] = {}
    pairs += [(1, 101), (1, 102)]  # two alike delegates of host 1: at least one group
    delegate = 102
    for host in range(1, hosts + 1):
        for _ in range(draw(st.integers(0, 3))):
            delegate += 1
            pairs.append((host, delegate))
            if draw(st.booleans()) and draw(st.booleans()):
                forbidden[delegate] = {draw(st.integers(1, n_slots))}
    for _ in range(draw(st.integers(0, 3))):
        a, b = draw(st.integers(1, hosts)), draw(st.integers(1, hosts + 1))
        if a != b and (a, b) not in pairs:
            pairs.append((a, b))
    tables = draw(st.integers(1, 3))
    problem = make_problem(n_slots, tables, pairs, forbidden=forbidden)
    lone = Participant(999)  # makes fairness a per-participant cap, as at real events
    return SchedulingProblem(
        problem.name, n_slots, tables, (*problem.participants, lone), problem.meetings
    )


def _without_symmetry(monkeypatch) -> None:
    monkeypatch.setattr(cpsat_module, "interchangeable_meetings", lambda problem: [])


def _optimum(problem, phase):
    result = solve_phase(problem, phase, time_limit_s=20, workers=1, seed=1)
    assert result.status in ("optimal", "infeasible")
    return result


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(symmetric_problems(), st.sampled_from([None, 1, 2]))
def test_symmetry_breaking_keeps_every_optimum(problem, cap):
    every = frozenset(m.id for m in problem.meetings)
    most = Phase("max_scheduled", frozenset(), optional_allowed=True)
    fewest = Phase("min_breaks", every, fairness=None, cap=cap)
    with pytest.MonkeyPatch.context() as plain:
        _without_symmetry(plain)
        reference_most = _optimum(problem, most)
        reference_fewest = _optimum(problem, fewest)
        reference_maxsat = solve_maxsat(problem, cap=cap)
    assert interchangeable_meetings(problem)  # the strategy always makes some
    got_most = _optimum(problem, most)
    assert len(got_most.slot_of) == len(reference_most.slot_of)
    got_fewest = _optimum(problem, fewest)
    assert got_fewest.status == reference_fewest.status
    got_maxsat = solve_maxsat(problem, cap=cap)
    assert got_maxsat.status == reference_maxsat.status
    if got_fewest.status == "optimal":
        breaks = total_breaks(problem, got_fewest.slot_of)
        assert breaks == total_breaks(problem, reference_fewest.slot_of)
        assert got_maxsat.breaks == reference_maxsat.breaks == breaks
        for slot_of in (got_fewest.slot_of, got_maxsat.slot_of):
            assignments, _failed = assign_tables(problem, slot_of)
            assert validate(problem, Schedule("feasible", assignments), require_all=True) == []
        probe = probe_contiguous(
            problem, max_breaks=breaks, cap=cap, time_limit_s=20, workers=1, seed=1
        )
        assert probe.status in ("optimal", "feasible")
        if breaks:
            refuted = probe_contiguous(
                problem, max_breaks=breaks - 1, cap=cap, time_limit_s=20, workers=1, seed=1
            )
            assert refuted.status == "infeasible"
