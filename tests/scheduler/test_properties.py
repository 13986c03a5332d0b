"""Hypothesis: every schedule the engine or a baseline returns passes the independent validator."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from escp4i.scheduler import fcfs, solve, validate

from .conftest import make_problem, meeting_pairs


@st.composite
def problems(draw):
    n_people = draw(st.integers(2, 7))
    n_slots = draw(st.integers(2, 6))
    tables = draw(st.integers(1, 3))
    pairs = draw(meeting_pairs(n_people, min_size=1, max_size=10))
    forbidden = draw(
        st.dictionaries(
            st.integers(1, n_people), st.sets(st.integers(1, n_slots), max_size=2), max_size=3
        )
    )
    limits = draw(st.dictionaries(st.integers(1, n_people), st.integers(0, 3), max_size=2))
    return make_problem(n_slots, tables, pairs, forbidden=forbidden, max_meetings=limits)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(), st.sampled_from([None, 1, 2]))
def test_every_solver_result_is_valid(problem, fairness):
    schedule = solve(problem, time_limit_s=5, workers=1, seed=1, fairness=fairness)
    if schedule.relaxed:
        # No schedule meets the fairness bound (proven, or none found in time): the best
        # effort meets every other hard constraint.
        assert schedule.relaxed == ("fairness",) and fairness is not None
        assert schedule.status in ("infeasible", "unknown")
        assert validate(problem, schedule) == []
        return
    if schedule.status == "infeasible":
        assert schedule.assignments == ()
        return
    assert schedule.status in ("optimal", "feasible")
    assert validate(problem, schedule, fairness=fairness) == []
    base = fcfs(problem)
    assert validate(problem, base) == []
    # The optimiser never schedules fewer meetings than the greedy baseline.
    assert schedule.scheduled >= base.scheduled
    if fairness is None and schedule.scheduled == base.scheduled:
        assert schedule.breaks <= base.breaks
