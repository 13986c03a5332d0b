"""Max-flow bound, König colouring and the large-event scheduler, checked by validate()."""

from __future__ import annotations

import itertools
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from escp4i.scheduler import Meeting, Participant, SchedulingProblem, bounds, solve, validate
from escp4i.scheduler.bounds import (
    BoundProcess,
    cheap_minima,
    own_minimum_breaks,
    participant_masks,
)
from escp4i.scheduler.twosided import (
    break_lower_bound,
    is_two_sided,
    max_schedulable_two_sided,
    schedule_large,
    upper_bound,
)

from .conftest import make_problem


def brute_force_max(problem: SchedulingProblem) -> int:
    """Most meetings any valid schedule holds, by enumerating every slot choice (tiny only)."""
    options = [[0, *problem.allowed_slots(m)] for m in problem.meetings]
    limits = {p.id: p.max_meetings for p in problem.participants}
    best = 0
    for choice in itertools.product(*options):
        held = sum(1 for slot in choice if slot)
        if held <= best:
            continue
        busy: set[tuple[int, int]] = set()
        per_slot: dict[int, int] = {}
        load: dict[int, int] = {}
        ok = True
        for meeting, slot in zip(problem.meetings, choice, strict=True):
            if not slot:
                continue
            per_slot[slot] = per_slot.get(slot, 0) + 1
            for pid in meeting.participants:
                load[pid] = load.get(pid, 0) + 1
                limit = limits[pid]
                ok = ok and (pid, slot) not in busy and (limit is None or load[pid] <= limit)
                busy.add((pid, slot))
            ok = ok and per_slot[slot] <= problem.tables
            if not ok:
                break
        if ok:
            best = held
    return best


def test_is_two_sided_finds_the_sides_of_a_buyer_seller_event():
    problem = make_problem(3, 2, [(1, 10), (2, 10), (1, 11), (3, 11)])
    assert is_two_sided(problem) == (frozenset({1, 2, 3}), frozenset({10, 11}))


def test_is_two_sided_rejects_odd_cycles_and_groups():
    assert is_two_sided(make_problem(3, 2, [(1, 2), (2, 3), (1, 3)])) is None
    assert is_two_sided(make_problem(3, 2, [(1, 2, 3)])) is None


def test_star_is_limited_by_the_busy_participant():
    # Participant 1 wants 5 meetings but there are only 3 slots: 3 is the maximum.
    problem = make_problem(3, 2, [(1, b) for b in range(10, 15)])
    result = max_schedulable_two_sided(problem)
    assert result.upper_bound == 3
    assert len(result.kept) == 3
    assert result.exact


def test_tables_limit_the_total():
    # Four disjoint pairs, two slots, one table: only two meetings fit.
    problem = make_problem(2, 1, [(1, 10), (2, 11), (3, 12), (4, 13)])
    assert upper_bound(problem) == 2
    schedule = schedule_large(problem, anneal_steps=100)
    assert schedule.scheduled == 2
    assert schedule.max_schedulable == 2
    assert {u.reason for u in schedule.unscheduled} == {"capacity"}
    assert validate(problem, schedule) == []


def test_max_meetings_and_unavailability_enter_the_bound():
    problem = make_problem(
        4, 3, [(1, 10), (1, 11), (1, 12), (2, 10)], forbidden={10: {1, 2, 3}}, max_meetings={1: 1}
    )
    # 10 has one usable slot; 1 accepts one meeting: at most 2 meetings.
    assert upper_bound(problem) == 2
    assert brute_force_max(problem) == 2
    schedule = schedule_large(problem, anneal_steps=100)
    assert schedule.scheduled == 2
    assert validate(problem, schedule) == []


def test_not_two_sided_is_refused_by_the_two_sided_entry_point():
    with pytest.raises(ValueError, match="two-sided"):
        max_schedulable_two_sided(make_problem(3, 2, [(1, 2), (2, 3), (1, 3)]))


def test_forced_break_is_the_break_lower_bound():
    # Participant 1 meets 10 and 11 but is unavailable in slot 2 of 3: one break is forced.
    problem = make_problem(3, 2, [(1, 10), (1, 11)], forbidden={1: {2}})
    schedule = schedule_large(problem, anneal_steps=100)
    assert schedule.breaks == 1
    assert break_lower_bound(problem, [1, 2]) == 1
    assert schedule.status == "optimal"


def test_groups_fixed_slots_and_precedences_are_kept_valid():
    problem = make_problem(
        5,
        2,
        [(1, 2), (2, 3), (1, 3), (1, 2, 4), (3, 4), (1, 4)],
        meeting_kwargs={5: {"fixed_slot": 2}, 6: {"after": (1,)}},
    )
    schedule = schedule_large(problem, anneal_steps=500)
    assert validate(problem, schedule) == []
    assert schedule.scheduled == upper_bound(problem) == 6


def test_same_seed_same_schedule():
    pairs = [(a, b) for a in range(1, 6) for b in range(10, 14) if (a + b) % 3]
    problem = make_problem(8, 3, pairs, forbidden={2: {4}})
    first = schedule_large(problem, seed=7, anneal_steps=2_000)
    second = schedule_large(problem, seed=7, anneal_steps=2_000)
    assert first.assignments == second.assignments
    assert first.breaks == second.breaks


@st.composite
def bipartite_events(draw, restricted: bool):
    n_slots = draw(st.integers(1, 6))
    tables = draw(st.integers(1, 4))
    side_a = draw(st.integers(1, 5))
    side_b = draw(st.integers(1, 5))
    edges = draw(
        st.lists(st.tuples(st.integers(1, side_a), st.integers(101, 100 + side_b)), max_size=25)
    )
    participants = sorted({p for e in edges for p in e})
    forbidden: dict[int, frozenset[int]] = {}
    sessions: dict[int, frozenset[int] | None] = {}
    if restricted:
        for p in participants:
            forbidden[p] = frozenset(
                draw(st.sets(st.integers(1, n_slots), max_size=max(0, n_slots - 1)))
            )
        for i in range(len(edges)):
            sessions[i] = draw(
                st.none() | st.frozensets(st.integers(1, n_slots), min_size=1, max_size=n_slots)
            )
    return SchedulingProblem(
        "hypothesis",
        n_slots,
        tables,
        tuple(Participant(p, forbidden=forbidden.get(p, frozenset())) for p in participants),
        tuple(Meeting(i + 1, e, allowed_slots=sessions.get(i)) for i, e in enumerate(edges)),
    )


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bipartite_events(restricted=False))
def test_konig_colouring_reaches_the_flow_bound_when_unrestricted(problem):
    result = max_schedulable_two_sided(problem)
    assert result.exact
    assert result.unplaced == ()
    assert len(result.kept) == result.upper_bound
    schedule = schedule_large(problem, anneal_steps=200)
    assert validate(problem, schedule) == []
    assert schedule.scheduled == schedule.max_schedulable == result.upper_bound
    if len(problem.meetings) <= 7 and problem.n_slots <= 3:
        assert brute_force_max(problem) == result.upper_bound


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bipartite_events(restricted=True))
def test_heuristic_is_valid_and_below_the_proven_bound(problem):
    schedule = schedule_large(problem, anneal_steps=200)
    assert validate(problem, schedule) == []
    assert schedule.scheduled <= schedule.max_schedulable
    assert schedule.lower_bound is not None and schedule.lower_bound <= schedule.breaks
    if len(problem.meetings) <= 6 and problem.n_slots <= 3:
        exact = brute_force_max(problem)
        assert schedule.scheduled <= exact <= schedule.max_schedulable


@st.composite
def general_events(draw):
    n_people = draw(st.integers(2, 6))
    n_slots = draw(st.integers(1, 4))
    groups = draw(
        st.lists(
            st.sets(st.integers(1, n_people), min_size=2, max_size=3).map(sorted).map(tuple),
            min_size=1,
            max_size=7,
        )
    )
    kwargs = {}
    for i in range(1, len(groups) + 1):
        kind = draw(st.sampled_from(["plain", "plain", "fixed", "after"]))
        if kind == "fixed":
            kwargs[i] = {"fixed_slot": draw(st.integers(1, n_slots))}
        elif kind == "after" and i > 1:
            kwargs[i] = {"after": (draw(st.integers(1, i - 1)),)}
    forbidden = draw(
        st.dictionaries(st.integers(1, n_people), st.sets(st.integers(1, n_slots), max_size=1))
    )
    limits = draw(st.dictionaries(st.integers(1, n_people), st.integers(0, 3), max_size=2))
    return make_problem(
        n_slots,
        draw(st.integers(1, 3)),
        groups,
        forbidden=forbidden,
        max_meetings=limits,
        meeting_kwargs=kwargs,
    )


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(general_events())
def test_any_event_gets_a_valid_schedule_within_the_bound(problem):
    schedule = schedule_large(problem, anneal_steps=200)
    assert validate(problem, schedule) == []
    assert schedule.scheduled <= schedule.max_schedulable
    if len(problem.meetings) <= 6:
        # The bound relaxes precedences too, so it also covers the best schedule without them.
        assert brute_force_max(problem) <= schedule.max_schedulable


def _masks(problem: SchedulingProblem) -> dict[int, int]:
    return {m.id: sum(1 << t for t in problem.allowed_slots(m)) for m in problem.meetings}


def test_own_minimum_sees_a_break_the_slot_runs_miss():
    # Participant 1's usable slots 1-4 form one run, long enough for its 3 meetings, but two
    # meetings may only use the ends (1 or 4): every schedule leaves 1 a break.
    problem = make_problem(
        4,
        3,
        [(1, 10), (1, 11), (1, 12)],
        meeting_kwargs={
            1: {"allowed_slots": frozenset({1, 4})},
            2: {"allowed_slots": frozenset({1, 4})},
            3: {"allowed_slots": frozenset({2, 3})},
        },
    )
    assert break_lower_bound(problem, [1, 2, 3]) == 0
    bound = own_minimum_breaks(problem, [1, 2, 3], masks=_masks(problem))
    assert bound.total == 1 and bound.complete and bound.per_participant == {1: 1}
    schedule = schedule_large(problem, anneal_steps=200)
    assert validate(problem, schedule) == []
    assert schedule.breaks == schedule.lower_bound == 1
    assert schedule.status == "optimal"


def _ends_only_problem(people: int) -> SchedulingProblem:
    """Participants 1..people, each with three meetings of which two may only use slot 1 or 4:
    each needs CP-SAT (step 3) to prove its one forced break."""
    pairs, kwargs = [], {}
    for person in range(1, people + 1):
        for k, allowed in enumerate(({1, 4}, {1, 4}, {2, 3})):
            pairs.append((person, 100 + 3 * person + k))
            kwargs[len(pairs)] = {"allowed_slots": frozenset(allowed)}
    return make_problem(4, 3 * people, pairs, meeting_kwargs=kwargs)


def test_the_bound_worker_process_proves_what_the_in_process_bound_proves():
    problem = _ends_only_problem(4)
    ids = [m.id for m in problem.meetings]
    here = own_minimum_breaks(problem, ids, masks=_masks(problem))
    assert here.per_participant == {1: 1, 2: 1, 3: 1, 4: 1} and here.complete
    base, hard = cheap_minima(participant_masks(problem, ids, _masks(problem)), problem.n_slots)
    assert base == {} and len(hard) == 4  # the runs bound sees nothing: all four need CP-SAT
    worker = BoundProcess(base, hard, problem.n_slots, time_limit_s=30)
    there = worker.result(time.monotonic() + 60)
    assert worker.error == ""
    assert (there.per_participant, there.total, there.complete, there.solved) == (
        here.per_participant,
        4,
        True,
        4,
    )
    # Through schedule_large: the same bound, so the same proof of optimality.
    one = schedule_large(problem, anneal_steps=200, workers=1)
    two = schedule_large(problem, anneal_steps=200, workers=2)
    assert validate(problem, two) == []
    assert one.slot_of() == two.slot_of()  # the bound never steers the search
    assert one.lower_bound == two.lower_bound == two.breaks == 4
    assert two.status == "optimal"
    assert any("worker process beside the search" in note for note in two.stats.notes)
    assert not any("worker process" in note for note in one.stats.notes)


def test_a_failed_bound_worker_leaves_the_cheap_bound_and_says_why(monkeypatch):
    problem = _ends_only_problem(2)
    ids = [m.id for m in problem.meetings]
    base, hard = cheap_minima(participant_masks(problem, ids, _masks(problem)), problem.n_slots)
    base = {1: 1}  # as if the runs bound had proven one participant's break
    monkeypatch.setattr(bounds, "WORKER_MODULE", "escp4i.scheduler._no_such_worker")
    worker = BoundProcess(base, hard, problem.n_slots, time_limit_s=30)
    bound = worker.result(time.monotonic() + 60)
    assert "No module named" in worker.error
    assert (bound.per_participant, bound.total, bound.complete, bound.solved) == (
        {1: 1},
        1,
        False,
        0,
    )
    schedule = schedule_large(problem, anneal_steps=200, workers=2)
    assert validate(problem, schedule) == []
    assert any("break bound worker failed: " in note for note in schedule.stats.notes)
    assert schedule.status == "feasible"  # its bound is only the runs bound (0): no proof


def test_a_bound_worker_stopped_at_once_is_killed_with_a_valid_bound():
    problem = _ends_only_problem(30)
    ids = [m.id for m in problem.meetings]
    base, hard = cheap_minima(participant_masks(problem, ids, _masks(problem)), problem.n_slots)
    worker = BoundProcess(base, hard, problem.n_slots, time_limit_s=600)
    bound = worker.result(time.monotonic())  # no wait: whatever it has proven, then stop it
    assert worker.proc.returncode is not None and worker.error == ""
    assert bound.solved <= len(hard) and bound.complete == (bound.solved == len(hard))
    assert bound.total == bound.solved  # each solved participant: its one forced break


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.integers(3, 6),
    st.lists(
        st.tuples(st.integers(1, 4), st.integers(10, 13), st.sets(st.integers(1, 6), max_size=3)),
        min_size=2,
        max_size=8,
        unique_by=lambda m: m[:2],
    ),
)
def test_own_minimum_never_exceeds_the_optimum(n_slots, rows):
    pairs = [(a, b) for a, b, _ in rows]
    kwargs = {
        i: {"allowed_slots": frozenset(t for t in allowed if t <= n_slots)}
        for i, (_a, _b, allowed) in enumerate(rows, start=1)
        if any(t <= n_slots for t in allowed)
    }
    problem = make_problem(n_slots, 8, pairs, meeting_kwargs=kwargs)
    optimum = solve(problem, time_limit_s=20, workers=1, seed=1, fairness=None)
    if optimum.status != "optimal" or optimum.scheduled != len(problem.meetings):
        return  # the bound is for schedules of exactly these meetings
    bound = own_minimum_breaks(
        problem, [m.id for m in problem.meetings], masks=_masks(problem), time_limit_s=5
    )
    assert break_lower_bound(problem, [m.id for m in problem.meetings]) <= bound.total
    assert bound.total <= optimum.breaks


def test_stop_ends_the_break_search_with_a_complete_valid_schedule():
    pairs = [(a, b) for a in range(1, 9) for b in range(10, 16) if (a * b) % 4]
    problem = make_problem(10, 3, pairs, forbidden={2: {4}, 11: {1, 7}})
    polls: list[int] = []

    def stop() -> bool:
        polls.append(1)
        return True

    # A time limit the run never reaches: only the stop request can end it early.
    stopped = schedule_large(problem, time_limit_s=600, fairness=2, stop=stop, with_bound=False)
    assert polls  # the search asked
    assert stopped.stats.seconds < 60
    assert validate(problem, stopped) == []
    assert stopped.scheduled == upper_bound(problem)
    assert not any("own minimum" in note for note in stopped.stats.notes)  # bound skipped
    assert stopped.lower_bound == min(
        break_lower_bound(problem, list(stopped.slot_of())), stopped.breaks
    )
    bounded = schedule_large(problem, anneal_steps=200, fairness=2)
    assert any("own minimum" in note for note in bounded.stats.notes)


def test_a_schedule_missing_the_fairness_bound_is_not_called_feasible():
    # Participant 1 must have a break (unavailable in slot 2), participant 4 has none: no
    # schedule has a spread of 0, so the local search can only return one with fairness relaxed.
    problem = make_problem(3, 2, [(1, 2), (1, 3), (4, 5)], forbidden={1: {2}})
    unfair = schedule_large(problem, anneal_steps=200, fairness=0, workers=1)
    assert unfair.status == "unknown" and unfair.relaxed == ("fairness",)
    assert unfair.scheduled == 3  # the best-effort schedule is still returned
    assert [v.code for v in validate(problem, unfair, fairness=0, require_all=True)] == ["fairness"]
    assert validate(problem, unfair, fairness=1, require_all=True) == []
    assert any("fairness 0 not met" in note for note in unfair.stats.notes)
    fair = schedule_large(problem, anneal_steps=200, fairness=1, workers=1)
    assert fair.status == "optimal" and fair.relaxed == ()
    assert validate(problem, fair, fairness=1, require_all=True) == []
