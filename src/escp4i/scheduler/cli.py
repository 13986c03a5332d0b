"""``escp4i schedule INSTANCE ...``: solve a .dzn or JSON instance and write the result as JSON."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from escp4i.scheduler.baselines import fcfs, random_self_schedule
from escp4i.scheduler.io import read_problem
from escp4i.scheduler.problem import Schedule
from escp4i.scheduler.solve import solve


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="escp4i schedule", description="Schedule B2B meetings (JAIR .dzn or escp4i JSON)."
    )
    parser.add_argument("instance", help="path to a .dzn or .json instance")
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds (default 60)")
    parser.add_argument(
        "--workers",
        type=int,
        default=2,
        help="cores: 1 = deterministic, 2 = MaxSAT + SAT-search processes, more = + CP-SAT "
        "threads (default 2)",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--fairness", type=int, default=2, help="max break difference (-1: off)")
    parser.add_argument("--baseline", choices=["fcfs", "random"], help="run a baseline instead")
    parser.add_argument("--out", help="write the JSON result here instead of stdout")
    return parser


def result_dict(
    name: str, meetings: int, schedule: Schedule, seconds: float, *, fairness: int | None = None
) -> dict[str, object]:
    """The issue's JSON result, plus the fairness bound asked for, the constraints a best-effort
    schedule does not meet (``relaxed``; status ``unknown`` or ``infeasible``) and the solver's
    notes."""
    return {
        "instance": name,
        "status": schedule.status,
        "meetings": meetings,
        "scheduled": schedule.scheduled,
        "breaks": schedule.breaks,
        "lower_bound": schedule.lower_bound,
        "seconds": round(seconds, 3),
        "fairness": fairness,
        "relaxed": list(schedule.relaxed),
        "notes": list(schedule.stats.notes),
        "assignments": [
            {"meeting": a.meeting, "slot": a.slot, "table": a.table}
            for a in sorted(schedule.assignments, key=lambda a: a.meeting)
        ],
        "unscheduled": [{"meeting": u.meeting, "reason": u.reason} for u in schedule.unscheduled],
    }


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.time_limit <= 0 or args.workers < 1:
        return _fail("--time-limit must be > 0 and --workers ≥ 1")
    try:
        problem = read_problem(args.instance)
    except ValueError as exc:  # ProblemFormatError, the reader's only error
        return _fail(f"{args.instance}: {exc}")
    started = time.monotonic()

    def progress(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    fairness = None if args.fairness < 0 else args.fairness
    if args.baseline == "fcfs":
        schedule = fcfs(problem)
    elif args.baseline == "random":
        schedule = random_self_schedule(problem, seed=args.seed)
    else:
        schedule = solve(
            problem,
            time_limit_s=args.time_limit,
            workers=args.workers,
            seed=args.seed,
            fairness=fairness,
            progress=progress,
        )
    seconds = time.monotonic() - started
    payload = json.dumps(
        result_dict(
            problem.name,
            len(problem.meetings),
            schedule,
            seconds,
            fairness=None if args.baseline else fairness,
        ),
        indent=1,
    )
    progress(
        f"{problem.name}: {schedule.status}, {schedule.scheduled}/{len(problem.meetings)} "
        f"scheduled, breaks {schedule.breaks}, lower bound {schedule.lower_bound}, "
        f"{seconds:.2f}s"
        + (f"; not met: {', '.join(schedule.relaxed)}" if schedule.relaxed else "")
    )
    if args.out:
        try:
            Path(args.out).write_text(payload + "\n", encoding="utf-8")
        except OSError as exc:
            return _fail(f"cannot write {args.out}: {exc.strerror or exc}")
    else:
        print(payload)
    return 0


def _fail(message: str) -> int:
    """One line on stderr (never a traceback) and exit status 2, like argparse's usage errors."""
    print(f"error: {' '.join(message.split())}", file=sys.stderr)
    return 2
