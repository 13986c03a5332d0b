"""Benchmark: synthetic two-sided events (tiers S, M, L) — CP-SAT engine vs decomposition vs FCFS.

Usage: python benchmarks/synthetic.py [--tier M] [--seed 1] [--time-limit 60] [--workers 2]
       [--fairness 2] [--skip-solve] [--non-two-sided 0.0]
Generates the tier with escp4i.scheduler.generator, runs ``solve()`` and the FCFS baseline, and
``schedule_large`` (max-flow + König edge colouring + Kempe local search, same time limit) unless
``solve()`` already dispatched the event to it (more than ``LARGE_MODEL_PAIRS`` meeting-slot pairs:
tiers M and L),
re-checks every schedule with ``validate()`` and prints a Markdown table. "upper bound" is the
max-flow bound on schedulable meetings; the generator plants a full witness schedule, so the
true maximum is the number of meetings with a usable slot.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from escp4i.scheduler import Schedule, SchedulingProblem, fcfs, participant_breaks, solve, validate
from escp4i.scheduler.generator import calibration, generate
from escp4i.scheduler.solve import LARGE_MODEL_PAIRS
from escp4i.scheduler.twosided import schedule_large, upper_bound, usable_slot_pairs


def row(
    name: str,
    problem: SchedulingProblem,
    schedule: Schedule,
    bound: int,
    seconds: float,
    fairness: int | None,
) -> str:
    problems = validate(problem, schedule, fairness=fairness)
    per = participant_breaks(problem, schedule.slot_of())
    spread = max(per.values()) - min(per.values()) if per else 0
    gap = "-" if schedule.gap is None else f"{schedule.gap:.3f}"
    lower = "-" if schedule.lower_bound is None else str(schedule.lower_bound)
    valid = "yes" if not problems else f"{problems[0].code}: {problems[0].detail}"
    return (
        f"| {name} | {schedule.status} | {schedule.scheduled} | {len(schedule.unscheduled)} "
        f"| {bound} | {schedule.breaks} | {lower} | {gap} | {max(per.values(), default=0)} "
        f"| {spread} | {seconds:.1f} | {valid} |"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tier", default="M", choices=["S", "M", "L"])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--fairness",
        type=int,
        default=None,
        help="break spread bound (hard in solve(), soft in schedule_large)",
    )
    parser.add_argument(
        "--skip-solve", action="store_true", help="run schedule_large directly, not solve()"
    )
    parser.add_argument("--non-two-sided", type=float, default=0.0)
    args = parser.parse_args()

    started = time.monotonic()
    problem = generate(args.tier, seed=args.seed, non_two_sided=args.non_two_sided)
    generated = time.monotonic() - started
    shape = calibration(problem)
    started = time.monotonic()
    bound = upper_bound(problem)
    bound_s = time.monotonic() - started
    print(
        f"{problem.name}: {shape.participants} participants, {shape.meetings} meetings, "
        f"{shape.slots} slots, {shape.tables} tables; utilisation {shape.utilisation:.0%}, "
        f"fully booked {shape.fully_booked_share:.0%}, max/median meetings per participant "
        f"{shape.max_meetings_per_participant}/{shape.median_meetings_per_participant:g}, "
        f"session-restricted {shape.session_restricted_share:.0%}, with forbidden slots "
        f"{shape.forbidden_participant_share:.0%}; generated in {generated:.1f} s; "
        f"flow upper bound {bound} ({bound_s:.2f} s)\n"
    )
    print(
        "| method | status | scheduled | unscheduled | upper bound (flow) | breaks | lower bound "
        "| gap | worst participant | break spread | s | valid |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    dispatched = usable_slot_pairs(problem) > LARGE_MODEL_PAIRS
    large: Schedule | None = None
    if not args.skip_solve:
        started = time.monotonic()
        engine = solve(
            problem,
            time_limit_s=args.time_limit,
            workers=args.workers,
            seed=args.seed,
            fairness=args.fairness,
        )
        seconds = time.monotonic() - started
        name = "solve() (decomposition)" if dispatched else "solve() (exact engines)"
        print(row(name, problem, engine, bound, seconds, args.fairness), flush=True)
        if dispatched:
            large = engine  # solve() ran schedule_large itself: no second identical run
    if large is None:
        started = time.monotonic()
        large = schedule_large(
            problem,
            time_limit_s=args.time_limit,
            seed=args.seed,
            fairness=args.fairness,
            workers=args.workers,
        )
        seconds = time.monotonic() - started
        name = "schedule_large (flow + colouring)"
        print(row(name, problem, large, bound, seconds, args.fairness), flush=True)
    started = time.monotonic()
    base = fcfs(problem)
    seconds = time.monotonic() - started
    print(row("FCFS baseline", problem, base, bound, seconds, None), flush=True)
    if base.breaks and large.breaks is not None:
        print(
            f"\nbreaks: {1 - large.breaks / base.breaks:.1%} fewer than FCFS "
            f"({large.breaks} vs {base.breaks}), {large.scheduled - base.scheduled} more meetings"
        )
    for note in large.stats.notes:
        print(f"\nschedule_large: {note}", end="")
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
