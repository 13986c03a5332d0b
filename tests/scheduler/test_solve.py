"""Hand-made instances with known optima; every result is re-checked by ``validate``."""

from __future__ import annotations

import pytest

from escp4i.scheduler import Session, fcfs, random_self_schedule, solve, total_breaks, validate

from .conftest import make_problem


def _solve(problem, fairness=2, **kwargs):
    schedule = solve(problem, time_limit_s=10, workers=1, seed=1, fairness=fairness, **kwargs)
    if schedule.status != "infeasible":
        assert validate(problem, schedule, fairness=fairness) == []
    return schedule


def test_chain_has_zero_breaks_and_is_proven_optimal():
    # 1 meets 2, 3 and 4: three meetings in consecutive slots, no break possible to avoid.
    problem = make_problem(5, 1, [(1, 2), (1, 3), (1, 4)])
    schedule = _solve(problem)
    assert schedule.status == "optimal"
    assert schedule.breaks == 0
    assert schedule.lower_bound == 0
    assert schedule.gap == 0.0
    assert schedule.scheduled == 3


def test_forced_break_by_unavailability():
    # Participant 1 has two meetings but is unavailable in slot 2 of 3: one break is forced.
    problem = make_problem(3, 2, [(1, 2), (1, 3)], forbidden={1: {2}})
    schedule = _solve(problem)
    assert schedule.status == "optimal"
    assert schedule.breaks == 1
    assert schedule.lower_bound == 1


def test_known_optimum_with_single_table_bottleneck():
    # One table, 3 slots, meetings (1,2), (3,4), (1,3): with 1 table, each slot holds one
    # meeting; order (1,2),(1,3),(3,4) gives 0 breaks.
    problem = make_problem(3, 1, [(1, 2), (3, 4), (1, 3)])
    schedule = _solve(problem)
    assert schedule.breaks == 0
    slot = schedule.slot_of()
    assert slot[3] == 2  # the shared meeting sits in the middle


def test_fixed_meeting_is_respected():
    problem = make_problem(4, 2, [(1, 2), (1, 3)], meeting_kwargs={2: {"fixed_slot": 4}})
    schedule = _solve(problem)
    assert schedule.slot_of()[2] == 4
    assert schedule.breaks == 0  # meeting 1 goes to slot 3


def test_precedence_is_respected():
    problem = make_problem(4, 2, [(1, 2), (3, 4)], meeting_kwargs={1: {"after": (2,)}})
    schedule = _solve(problem)
    slot = schedule.slot_of()
    assert slot[2] < slot[1]


def test_session_restriction():
    morning = frozenset({1, 2})
    afternoon = frozenset({3, 4})
    problem = make_problem(
        4,
        2,
        [(1, 2), (1, 3)],
        meeting_kwargs={1: {"allowed_slots": afternoon}, 2: {"allowed_slots": morning}},
        sessions=(Session("morning", (1, 2)), Session("afternoon", (3, 4))),
    )
    schedule = _solve(problem)
    slot = schedule.slot_of()
    assert slot[1] in afternoon and slot[2] in morning
    assert schedule.breaks == 0  # slots 2 and 3


def test_infeasible_fixed_clash_is_reported():
    problem = make_problem(
        3,
        2,
        [(1, 2), (1, 3)],
        meeting_kwargs={1: {"fixed_slot": 2}, 2: {"fixed_slot": 2}},
    )
    schedule = solve(problem, time_limit_s=5, workers=1, seed=1, fairness=2)
    # Both cannot be held: one is left out with a reason, never double-booked.
    assert validate(problem, schedule) == []
    assert schedule.scheduled == 1
    assert [u.reason for u in schedule.unscheduled] == ["capacity"]


def test_fairness_zero_is_infeasible_when_someone_must_have_a_break():
    # Participant 1 must have a break (unavailable in slot 2); participant 4 has 0 breaks.
    problem = make_problem(3, 2, [(1, 2), (1, 3), (4, 5)], forbidden={1: {2}})
    schedule = solve(problem, time_limit_s=5, workers=1, seed=1, fairness=0)
    assert schedule.status == "infeasible"
    # The best schedule without the bound comes with it, marked as such.
    assert schedule.relaxed == ("fairness",)
    assert validate(problem, schedule, require_all=True) == []
    assert validate(problem, schedule, fairness=0) != []
    assert schedule.breaks == 1 == total_breaks(problem, schedule.slot_of())
    relaxed = _solve(problem, fairness=1)
    assert relaxed.status == "optimal" and relaxed.breaks == 1 and relaxed.relaxed == ()


def _portfolio_times_out(monkeypatch):
    from escp4i.scheduler import portfolio

    monkeypatch.setattr(
        portfolio,
        "solve_all_required",
        lambda *args, **kwargs: portfolio.PortfolioResult("unknown"),
    )


def test_time_out_returns_the_greedy_schedule_with_fairness_relaxed(monkeypatch):
    # No fair schedule found in time (the exact portfolio stands in as timing out): the greedy
    # schedule, which gives participant 1 a break and 4 none, is returned as best effort.
    problem = make_problem(3, 2, [(1, 2), (1, 3), (4, 5)], forbidden={1: {2}})
    _portfolio_times_out(monkeypatch)
    schedule = solve(problem, time_limit_s=5, workers=1, seed=1, fairness=0)
    assert schedule.status == "unknown"
    assert schedule.relaxed == ("fairness",)
    assert validate(problem, schedule, require_all=True) == []
    assert schedule.breaks == total_breaks(problem, fcfs(problem).slot_of()) == 1
    assert any("fairness 0 not met" in note for note in schedule.stats.notes)


def test_time_out_with_a_fair_greedy_schedule_is_feasible(monkeypatch):
    problem = make_problem(4, 1, [(1, 2), (1, 3), (4, 5)])
    _portfolio_times_out(monkeypatch)
    schedule = solve(problem, time_limit_s=5, workers=1, seed=1, fairness=2)
    assert schedule.status == "feasible" and schedule.relaxed == ()
    assert validate(problem, schedule, fairness=2, require_all=True) == []
    assert schedule.lower_bound == 0


def test_fairness_spreads_breaks():
    # Without fairness the optimum may give one participant several breaks; d bounds the spread.
    problem = make_problem(6, 1, [(1, 2), (1, 3), (1, 4), (2, 3), (5, 6)])
    statuses = []
    for d in (0, 1, 2):
        schedule = _solve(problem, fairness=d)
        statuses.append(schedule.status)
        if schedule.status != "infeasible":
            from escp4i.scheduler import participant_breaks

            counts = participant_breaks(problem, schedule.slot_of()).values()
            assert max(counts) - min(counts) <= d
    assert statuses[2] == "optimal"


def test_oversubscribed_event_maximises_priority_weighted_meetings():
    # Two slots, one table: only two of the three meetings fit; the high-priority one must.
    problem = make_problem(2, 1, [(1, 2), (3, 4), (5, 6)], meeting_kwargs={3: {"priority": 5}})
    schedule = _solve(problem)
    assert schedule.scheduled == 2
    assert 3 in schedule.slot_of()
    assert schedule.max_schedulable == 3 or schedule.max_schedulable is not None
    assert [u.reason for u in schedule.unscheduled] == ["capacity"]


def test_meeting_with_no_common_slot_is_left_out_with_reason():
    problem = make_problem(2, 1, [(1, 2), (1, 3)], forbidden={2: {1, 2}})
    schedule = _solve(problem)
    assert [(u.meeting, u.reason) for u in schedule.unscheduled] == [(1, "no_common_slot")]


def test_max_meetings_per_participant():
    problem = make_problem(5, 2, [(1, 2), (1, 3), (1, 4)], max_meetings={1: 2})
    schedule = _solve(problem)
    assert schedule.scheduled == 2
    assert schedule.unscheduled[0].reason == "participant_limit"
    assert schedule.unscheduled[0].participant == 1


def test_delegation_meeting_with_three_participants():
    problem = make_problem(3, 1, [(1, 2, 3), (1, 4), (2, 4)])
    schedule = _solve(problem)
    assert schedule.scheduled == 3
    # 4 meets 1 and 2 separately, both also in the delegation: one of them must wait a slot.
    assert schedule.breaks == 1
    assert schedule.status == "optimal"


def test_tables_distinct_within_slot_and_kept_per_session_for_hosts():
    sessions = (Session("day", (1, 2, 3)),)
    problem = make_problem(
        3, 2, [(1, 3), (1, 4), (2, 3), (2, 4)], sessions=sessions, hosts={1, 2}, keep_tables=True
    )
    schedule = _solve(problem)
    table_of_host = {}
    for a in schedule.assignments:
        host = 1 if a.meeting in (1, 2) else 2
        table_of_host.setdefault(host, set()).add(a.table)
    assert all(len(tables) == 1 for tables in table_of_host.values())
    assert table_of_host[1] != table_of_host[2]


def test_same_seed_single_worker_is_deterministic():
    pairs = [(i, j) for i in range(1, 6) for j in range(6, 9)]
    problem = make_problem(6, 3, pairs)
    first = solve(problem, time_limit_s=10, workers=1, seed=7)
    second = solve(problem, time_limit_s=10, workers=1, seed=7)
    assert first.assignments == second.assignments


def test_solver_beats_fcfs_on_a_crowded_instance():
    pairs = [(1, 5), (2, 6), (1, 6), (3, 7), (2, 5), (4, 8), (3, 8), (4, 7), (1, 7), (2, 8)]
    problem = make_problem(8, 2, pairs)
    base = fcfs(problem)
    schedule = _solve(problem)
    assert validate(problem, base) == []
    assert schedule.breaks <= base.breaks
    assert schedule.scheduled >= base.scheduled


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_self_scheduling_is_valid(seed):
    pairs = [(i, j) for i in range(1, 5) for j in range(5, 9)]
    problem = make_problem(8, 3, pairs)
    schedule = random_self_schedule(problem, seed=seed)
    assert validate(problem, schedule) == []
    assert schedule.breaks == total_breaks(problem, schedule.slot_of())
