"""The synthetic generator: deterministic, calibrated like real events, always schedulable."""

from __future__ import annotations

import pytest

from escp4i.scheduler import Schedule, validate
from escp4i.scheduler.generator import TIERS, calibration, generate, generate_instance
from escp4i.scheduler.tables import assign_tables
from escp4i.scheduler.twosided import is_two_sided, schedule_large, upper_bound

SEEDS = [1, 2, 3, 4, 5]


def test_same_seed_same_problem_and_other_seed_another():
    assert generate("S", seed=3) == generate("S", seed=3)
    assert generate("S", seed=3) != generate("S", seed=4)


def test_problem_is_named_as_synthetic():
    assert generate("S", seed=2).name == "synthetic-S-seed2"


def test_tier_sizes_match_the_issue():
    assert (TIERS["M"].participants, TIERS["M"].meetings) == (600, 2_500)
    assert TIERS["M"].days * 2 * TIERS["M"].slots_per_session == 48
    assert (TIERS["L"].participants, TIERS["L"].meetings) == (2_200, 50_000)
    assert TIERS["L"].days * 2 * TIERS["L"].slots_per_session == 100


@pytest.mark.parametrize("seed", SEEDS)
def test_tier_s_is_calibrated_like_real_events(seed):
    problem = generate("S", seed=seed)
    shape = calibration(problem)
    assert 0.10 <= shape.fully_booked_share <= 0.50
    assert 0.50 <= shape.utilisation <= 0.98
    assert shape.max_meetings_per_participant <= problem.n_slots
    assert shape.median_meetings_per_participant < shape.max_meetings_per_participant
    assert 0 < shape.session_restricted_share < 0.5
    assert 0 < shape.forbidden_participant_share < 0.6
    assert shape.two_sided_share == 1.0
    assert shape.meetings >= 0.9 * TIERS["S"].meetings


def test_tier_m_is_calibrated_like_real_events():
    problem = generate("M", seed=1)
    shape = calibration(problem)
    assert shape.participants == 600
    assert shape.meetings >= 2_400
    assert shape.slots == 48
    assert 0.10 <= shape.fully_booked_share <= 0.50
    assert 0.50 <= shape.utilisation <= 0.98
    # Heavy tail: the busiest participant meets far more often than the median one.
    assert shape.max_meetings_per_participant >= 4 * shape.median_meetings_per_participant


@pytest.mark.parametrize("seed", SEEDS)
def test_witness_schedules_every_meeting(seed):
    instance = generate_instance("S", seed=seed)
    assignments, _failed = assign_tables(instance.problem, instance.witness)
    witness = Schedule("feasible", assignments)
    assert validate(instance.problem, witness, require_all=True) == []
    assert upper_bound(instance.problem) == len(instance.problem.meetings)


def test_sides_are_clusters_and_delegates():
    problem = generate("S", seed=1)
    sides = is_two_sided(problem)
    assert sides is not None
    delegates = {p.id for p in problem.participants if p.name.startswith("Delegate")}
    assert delegates in ({*sides[0]}, {*sides[1]}) or delegates >= sides[1]


def test_non_two_sided_meetings_are_optional_and_still_schedulable():
    instance = generate_instance("S", seed=1, non_two_sided=0.2)
    problem = instance.problem
    assert is_two_sided(problem) is None
    assert calibration(problem).two_sided_share < 1.0
    assignments, _failed = assign_tables(problem, instance.witness)
    assert validate(problem, Schedule("feasible", assignments), require_all=True) == []


@pytest.mark.parametrize("seed", SEEDS)
def test_large_event_scheduler_places_every_generated_meeting(seed):
    problem = generate("S", seed=seed)
    schedule = schedule_large(problem, seed=seed, anneal_steps=5_000)
    assert validate(problem, schedule, require_all=True) == []
    assert schedule.max_schedulable == len(problem.meetings)


@pytest.mark.parametrize("seed", SEEDS)
def test_soft_fairness_is_met_on_small_events(seed):
    problem = generate("S", seed=seed)
    schedule = schedule_large(problem, seed=seed, anneal_steps=5_000, fairness=2)
    assert validate(problem, schedule, fairness=2, require_all=True) == []
    assert "fairness 2 met" in " ".join(schedule.stats.notes)
