"""The saturation-ordered construction (``construct.place_all``), solve's complete warm start."""

from __future__ import annotations

import random
import time
from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from escp4i.scheduler import Schedule, construct, fcfs, solve, validate
from escp4i.scheduler.construct import place_all
from escp4i.scheduler.tables import assign_tables

from .conftest import make_problem, meeting_pairs

# FCFS books (4,5) and (1,2) in slot 1, (1,3) in slot 2, and then has no slot for (3,4);
# placing the meetings of the busiest participants first fits all four.
FCFS_LEAVES_ONE_OUT = [(4, 5), (1, 2), (1, 3), (3, 4)]


def as_schedule(problem, slot_of):
    assignments, _failed = assign_tables(problem, slot_of)
    return Schedule(status="feasible", assignments=assignments)


def test_it_places_every_meeting_where_fcfs_leaves_one_out():
    problem = make_problem(2, 2, FCFS_LEAVES_ONE_OUT)
    assert fcfs(problem).scheduled == 3
    slot_of = place_all(problem)
    assert slot_of is not None
    assert sorted(slot_of) == [1, 2, 3, 4]
    assert validate(problem, as_schedule(problem, slot_of), fairness=None) == []


def test_solve_skips_maximising_the_scheduled_meetings_when_the_construction_places_all():
    problem = make_problem(2, 2, FCFS_LEAVES_ONE_OUT)
    schedule = solve(problem, time_limit_s=10, workers=1, seed=1)
    assert schedule.stats.phases[0] == "construct"
    assert "max_scheduled" not in schedule.stats.phases
    assert schedule.scheduled == 4
    assert validate(problem, schedule) == []


def test_it_respects_fixed_slots_sessions_unavailability_and_precedences():
    # 1 is unavailable in slot 1; meeting 1 is fixed in slot 3; meeting 3 may only use slots 1-2;
    # meeting 4 must come after meeting 2.
    problem = make_problem(
        4,
        1,
        [(1, 2), (1, 3), (2, 3), (1, 4)],
        forbidden={1: {1}},
        meeting_kwargs={
            1: {"fixed_slot": 3},
            3: {"allowed_slots": frozenset({1, 2})},
            4: {"after": (2,)},
        },
    )
    slot_of = place_all(problem)
    assert slot_of is not None
    assert slot_of[1] == 3
    assert slot_of[3] in (1, 2)
    assert slot_of[4] > slot_of[2]
    assert slot_of[2] != 1 and slot_of[4] != 1
    assert validate(problem, as_schedule(problem, slot_of), fairness=None) == []


def test_it_gives_up_when_not_every_meeting_can_be_held():
    # Participant 1 may meet at most once but has two requests.
    assert place_all(make_problem(3, 2, [(1, 2), (1, 3)], max_meetings={1: 1})) is None
    # Three meetings of participant 1 in two slots.
    assert place_all(make_problem(2, 3, [(1, 2), (1, 3), (1, 4)])) is None
    # A precedence cycle.
    cycle = make_problem(
        3, 1, [(1, 2), (3, 4)], meeting_kwargs={1: {"after": (2,)}, 2: {"after": (1,)}}
    )
    assert place_all(cycle) is None


def test_it_is_deterministic_for_a_seed():
    pairs = [(a, b) for a in range(1, 7) for b in range(a + 1, 7)]  # 15 meetings, everyone 5
    problem = make_problem(6, 3, pairs)
    first = place_all(problem, seed=3)
    assert first is not None
    assert all(place_all(problem, seed=3) == first for _ in range(3))


@st.composite
def constrained_problems(draw):
    n_people = draw(st.integers(2, 7))
    n_slots = draw(st.integers(2, 6))
    tables = draw(st.integers(1, 3))
    pairs = draw(meeting_pairs(n_people, min_size=1, max_size=10))
    kwargs = {}
    for index in range(1, len(pairs) + 1):
        kind = draw(st.sampled_from(["none", "none", "fixed", "session", "after"]))
        if kind == "fixed":
            kwargs[index] = {"fixed_slot": draw(st.integers(1, n_slots))}
        elif kind == "session":
            kwargs[index] = {
                "allowed_slots": frozenset(draw(st.sets(st.integers(1, n_slots), min_size=1)))
            }
        elif kind == "after" and index > 1:
            kwargs[index] = {"after": (draw(st.integers(1, index - 1)),)}
    forbidden = draw(
        st.dictionaries(
            st.integers(1, n_people), st.sets(st.integers(1, n_slots), max_size=2), max_size=3
        )
    )
    return make_problem(n_slots, tables, pairs, forbidden=forbidden, meeting_kwargs=kwargs)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(constrained_problems())
def test_whatever_it_returns_is_complete_and_valid(problem):
    slot_of = place_all(problem, attempts=5)
    if slot_of is None:
        return
    assert set(slot_of) == {m.id for m in problem.meetings}
    assert validate(problem, as_schedule(problem, slot_of), fairness=None) == []


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(constrained_problems(), st.integers(0, 3))
def test_each_attempt_places_the_meetings_in_the_order_of_the_rule(problem, seed):
    # The heap with outdated entries must pick exactly what a full rescan picks.
    degree = Counter(pid for m in problem.meetings for pid in m.participants)
    event = construct._Event.of_problem(problem, degree)
    far = time.monotonic() + 60
    rng = random.Random(seed) if seed else None
    expected = _reference_attempt(event, rng, far)
    rng = random.Random(seed) if seed else None
    assert construct._attempt(event, rng, far) == expected


def _reference_attempt(event, rng, deadline):
    """The rule written the slow way (every ready meeting rescanned before each placement)."""
    ties = {mid: rng.random() for mid in event.meetings} if rng is not None else None
    open_slots = dict(event.usable)
    waiting = dict(event.predecessors)
    busy = dict.fromkeys(event.of, 0)
    used: Counter[int] = Counter()
    pending = set(event.meetings)
    slot_of: dict[int, int] = {}
    while pending:
        if time.monotonic() >= deadline:
            return None
        ready = [mid for mid in pending if waiting[mid] == 0]
        if not ready:
            return None  # a precedence cycle
        mid = min(
            ready,
            key=lambda i: (
                open_slots[i].bit_count(),
                event.pressure[i],
                ties[i] if ties is not None else event.order[i],
            ),
        )
        mask = open_slots[mid]
        if not mask:
            return None
        meeting = event.meetings[mid]
        slot = construct._choose_slot(event.n_slots, busy, meeting, mask, rng)
        slot_of[mid] = slot
        pending.discard(mid)
        bit = 1 << slot
        for pid in meeting.participants:
            busy[pid] |= bit
            for other in event.of[pid]:
                open_slots[other] &= ~bit
        used[slot] += 1
        if used[slot] >= event.tables:
            for other in pending:
                open_slots[other] &= ~bit
        for follower in event.followers.get(mid, ()):
            open_slots[follower] &= ~((bit << 1) - 1)  # strictly after ``slot``
            waiting[follower] -= 1
    return slot_of
