"""``solve``: the engine's entry point.

1. Meetings with no usable slot (or whose predecessor has none) are left out
   (``no_common_slot``).
2. If a greedy schedule places every meeting (first come first served, else the
   saturation-ordered construction of ``construct``), all are required. Otherwise CP-SAT
   maximises the priority-weighted number of scheduled meetings first (its bound is the proven
   maximum).
3. When every meeting fits and fairness is a per-participant cap (some participant has no break
   in any schedule, as at every real event), the exact portfolio (``portfolio``: MaxSAT and
   SAT linear-search workers and CP-SAT contiguity probes sharing one bound) minimises breaks
   and proves optimality.
4. Otherwise breaks are minimised by CP-SAT under the fairness bound with that weight fixed,
   starting from the greedy schedule as a hint; feasibility probes "at most K breaks" with
   K = the proven lower bound raise the bound (infeasible ⇒ K+1) or close the gap.
5. Tables are assigned per slot (optionally keeping one table per host and session).
6. Without a schedule meeting fairness (proven impossible, or none found in time), the best one
   meeting every other hard constraint is returned with ``relaxed == ("fairness",)``.
"""

from __future__ import annotations

import math
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import replace

from escp4i.scheduler.baselines import fcfs
from escp4i.scheduler.breaks import participant_breaks, total_breaks
from escp4i.scheduler.construct import place_all
from escp4i.scheduler.maxsat import fairness_cap
from escp4i.scheduler.problem import Schedule, SchedulingProblem, SolveStats, Unscheduled
from escp4i.scheduler.tables import assign_tables
from escp4i.scheduler.twosided import schedule_large, usable_slot_pairs
from escp4i.scheduler.validate import validate

Progress = Callable[[str], None]

# Above this many (meeting, usable slot) pairs the exact engines' models get too large to build
# and solve within minutes (tier M of the synthetic benchmark has 100,000): ``solve`` then uses
# the decomposition of ``twosided``. The 20 JAIR instances have at most 6,700.
LARGE_MODEL_PAIRS = 40_000


def _leftover_reasons(
    problem: SchedulingProblem, slot_of: dict[int, int], left_out: list[int]
) -> list[Unscheduled]:
    participants = problem.participant_map()
    load: Counter[int] = Counter()
    meetings = {m.id: m for m in problem.meetings}
    for mid in slot_of:
        load.update(meetings[mid].participants)
    result = []
    for mid in left_out:
        full = next(
            (
                pid
                for pid in meetings[mid].participants
                if participants[pid].max_meetings is not None
                and load[pid] >= (participants[pid].max_meetings or 0)
            ),
            None,
        )
        if full is not None:
            result.append(Unscheduled(mid, "participant_limit", full))
        else:
            result.append(Unscheduled(mid, "capacity"))
    return result


def solve(
    problem: SchedulingProblem,
    *,
    time_limit_s: float = 30.0,
    workers: int = 2,
    seed: int = 1,
    fairness: int | None = 2,
    progress: Progress | None = None,
) -> Schedule:
    """Schedule ``problem``: as many (weighted) meetings as fit, then as few breaks as possible.

    ``fairness``: break counts of any two participants differ by at most this (None: no bound).
    Deterministic for a fixed seed with ``workers=1`` when every phase finishes within the limit.

    Without a schedule meeting every constraint (status ``infeasible`` or ``unknown``), the
    best schedule meeting every hard constraint but fairness is still returned, with
    ``relaxed == ("fairness",)``: after a proof that fairness cannot be met, the one minimising
    breaks without it in the time left; after a time-out, the greedy one.
    """
    started = time.monotonic()
    deadline = started + time_limit_s

    def remaining() -> float:
        return max(0.0, deadline - time.monotonic())

    def say(message: str) -> None:
        if progress is not None:
            progress(message)

    size = usable_slot_pairs(problem)
    if size > LARGE_MODEL_PAIRS:
        # Too large for a slot-indexed exact model: decomposition (max-flow selection, edge
        # colouring, local search for breaks), with the max-flow bound on scheduled meetings.
        say(f"large event ({size} meeting-slot pairs): decomposition")
        large = schedule_large(
            problem,
            time_limit_s=time_limit_s,
            seed=seed,
            fairness=fairness,
            progress=progress,
            workers=workers,
        )
        return replace(large, stats=replace(large.stats, seconds=time.monotonic() - started))
    schedule = _solve_model(
        problem,
        deadline=deadline,
        workers=workers,
        seed=seed,
        fairness=fairness,
        progress=progress,
        started=started,
    )
    if schedule.status == "infeasible" and schedule.relaxed and remaining() > 0.5:
        # No schedule meets the fairness bound (proven). The best-effort schedule so far is the
        # greedy one; with the time left, minimise breaks without the bound instead.
        say(f"no schedule meets fairness {fairness}: minimising breaks without it")
        unfair = _solve_model(
            problem,
            deadline=deadline,
            workers=workers,
            seed=seed,
            fairness=None,
            progress=progress,
            started=started,
        )
        if unfair.status in ("optimal", "feasible") and (unfair.breaks or 0) <= (
            schedule.breaks or 0
        ):
            schedule = replace(
                unfair,
                status="infeasible",
                relaxed=("fairness",),
                conflicts=schedule.conflicts,
                stats=replace(
                    unfair.stats,
                    phases=(
                        *schedule.stats.phases,
                        *(f"{p} (no fairness)" for p in unfair.stats.phases),
                    ),
                    notes=(
                        *schedule.stats.notes,
                        f"best schedule without the fairness bound: {unfair.breaks} breaks, "
                        f"{unfair.status} for that relaxed problem",
                    ),
                ),
            )
    return replace(schedule, stats=replace(schedule.stats, seconds=time.monotonic() - started))


def _solve_model(
    problem: SchedulingProblem,
    *,
    deadline: float,
    workers: int,
    seed: int,
    fairness: int | None,
    progress: Progress | None,
    started: float,
) -> Schedule:
    """Steps 1-5 of the module docstring for an event small enough for the exact models."""
    from escp4i.scheduler.cpsat import Phase, solve_phase

    def remaining() -> float:
        return max(0.0, deadline - time.monotonic())

    def say(message: str) -> None:
        if progress is not None:
            progress(message)

    phases: list[str] = []
    notes: list[str] = []
    no_slot = [m.id for m in problem.meetings if not problem.allowed_slots(m)]
    candidates = frozenset(m.id for m in problem.meetings) - set(no_slot)
    # A meeting whose predecessor has no slot cannot be held either.
    changed = True
    while changed:
        changed = False
        for m in problem.meetings:
            if m.id in candidates and any(b not in candidates for b in m.after):
                candidates = candidates - {m.id}
                no_slot.append(m.id)
                changed = True
    unscheduled: list[Unscheduled] = [Unscheduled(mid, "no_common_slot") for mid in no_slot]

    greedy = fcfs(problem)
    hint = greedy.slot_of()
    say(f"greedy: {greedy.scheduled}/{len(problem.meetings)} meetings, {greedy.breaks} breaks")
    required = candidates
    min_weight: int | None = None
    optional = False
    max_schedulable = len(candidates)
    if set(hint) != set(candidates):
        # FCFS left meetings out; a saturation-ordered construction often places them all.
        complete = place_all(
            restrict(problem, candidates), seed=seed, time_limit_s=min(1.0, remaining() * 0.05)
        )
        if complete is not None:
            hint = complete
            phases.append("construct")
            say(f"construction: all {len(candidates)} meetings placed")
    if set(hint) != set(candidates):
        # Over-subscribed (or the greedy order failed): maximise the weighted scheduled count.
        phases.append("max_scheduled")
        result = solve_phase(
            problem,
            Phase("max_scheduled", frozenset(), optional_allowed=True),
            time_limit_s=remaining() * 0.4,
            workers=workers,
            seed=seed,
            hint=hint,
            progress=progress,
        )
        if result.status in ("optimal", "feasible") and set(result.slot_of) == set(candidates):
            # Everything fits after all: continue with every meeting required.
            hint = result.slot_of
        elif result.status in ("optimal", "feasible"):
            weights = {m.id: m.priority for m in problem.meetings}
            best_weight = round(result.objective or 0)
            upper = int(result.bound or best_weight)
            max_schedulable = min(
                max_schedulable, upper if all(w == 1 for w in weights.values()) else max_schedulable
            )
            if best_weight >= sum(weights[m] for m in hint):
                hint = result.slot_of
            required = frozenset()
            optional = True
            min_weight = best_weight
            if result.status != "optimal":
                notes.append("the maximum number of schedulable meetings is not proven")
        else:
            notes.append(f"maximising scheduled meetings: {result.status}")
            required = frozenset(hint)
            min_weight = None

    def best_effort(schedule: Schedule) -> Schedule:
        return _without_solution(
            problem, schedule, hint=hint, candidates=candidates, fairness=fairness
        )

    if not optional and required == candidates:
        applicable, cap = fairness_cap(restrict(problem, required), fairness)
        if applicable:
            return best_effort(
                _solve_exact(
                    problem,
                    required,
                    cap=cap,
                    hint=hint,
                    time_limit_s=remaining(),
                    workers=workers,
                    seed=seed,
                    progress=progress,
                    unscheduled=unscheduled,
                    started=started,
                    phases=phases,
                    notes=notes,
                )
            )

    phases.append("min_breaks")
    main = solve_phase(
        problem,
        Phase(
            "min_breaks",
            required,
            optional_allowed=optional,
            min_weight=min_weight,
            fairness=fairness,
        ),
        time_limit_s=remaining(),
        workers=workers,
        seed=seed,
        hint=hint,
        progress=progress,
        soft_limit_s=remaining() * 0.1,
    )
    if main.status == "infeasible":
        return best_effort(
            Schedule(
                status="infeasible",
                unscheduled=tuple(unscheduled),
                conflicts=tuple(sorted(candidates)),
                stats=SolveStats(
                    time.monotonic() - started,
                    tuple(phases),
                    0,
                    "cp-sat",
                    (
                        *notes,
                        "no schedule satisfies the hard constraints and fairness"
                        if fairness is not None
                        else "no schedule satisfies the hard constraints",
                    ),
                ),
            )
        )
    if main.status not in ("optimal", "feasible"):
        return best_effort(
            Schedule(
                status="unknown",
                unscheduled=tuple(unscheduled),
                stats=SolveStats(time.monotonic() - started, tuple(phases), 0, "", tuple(notes)),
            )
        )
    best = main.slot_of
    upper = total_breaks(problem, best)
    lower = int(main.bound) if main.bound is not None else 0
    if main.status == "optimal":
        lower = upper
    solutions = main.solutions
    # Raise the bound (or close the gap) with feasibility probes "at most K breaks".
    while lower < upper and remaining() > 0.5:
        phases.append(f"probe<={lower}")
        probe = solve_phase(
            problem,
            Phase(
                "probe",
                required,
                optional_allowed=optional,
                min_weight=min_weight,
                break_cap=lower,
                fairness=fairness,
            ),
            # A refutation is usually quick; cap each probe so the optimiser gets time back.
            time_limit_s=max(1.0, remaining() * 0.3),
            workers=workers,
            seed=seed,
            hint=best,
            progress=progress,
        )
        if probe.status == "infeasible":
            lower += 1
            say(f"probe: no schedule with ≤ {lower - 1} breaks; lower bound {lower}")
        elif probe.status in ("optimal", "feasible"):
            best = probe.slot_of
            upper = total_breaks(problem, best)
            solutions += 1
            say(f"probe: found {upper} breaks")
        else:
            break
    if lower < upper and remaining() > 0.5:
        # The probes stalled: spend what is left improving the schedule from the best one.
        phases.append("min_breaks")
        final = solve_phase(
            problem,
            Phase(
                "min_breaks",
                required,
                optional_allowed=optional,
                min_weight=min_weight,
                fairness=fairness,
            ),
            time_limit_s=remaining(),
            workers=workers,
            seed=seed,
            hint=best,
            progress=progress,
        )
        if final.status in ("optimal", "feasible") and total_breaks(problem, final.slot_of) < upper:
            best = final.slot_of
            upper = total_breaks(problem, best)
            solutions += final.solutions
        if final.bound is not None:
            lower = max(lower, math.ceil(final.bound - 1e-6))
        if final.status == "optimal":
            lower = max(lower, total_breaks(problem, final.slot_of))
    left_out = sorted(candidates - set(best))
    unscheduled += _leftover_reasons(problem, best, left_out)
    assignments, failed_sessions = assign_tables(problem, best)
    if failed_sessions:
        notes.append("table keeping impossible in: " + ", ".join(failed_sessions))
    status = "optimal" if lower >= upper else "feasible"
    if optional and "the maximum number of schedulable meetings is not proven" in notes:
        status = "feasible"
    return Schedule(
        status=status,
        assignments=assignments,
        unscheduled=tuple(sorted(unscheduled, key=lambda u: u.meeting)),
        breaks=upper,
        lower_bound=min(lower, upper),
        max_schedulable=max_schedulable,
        stats=SolveStats(
            seconds=time.monotonic() - started,
            phases=tuple(phases),
            solutions=solutions,
            bound_source="cp-sat+probes",
            notes=tuple(notes),
        ),
    )


def _solve_exact(
    problem: SchedulingProblem,
    required: frozenset[int],
    *,
    cap: int | None,
    hint: dict[int, int],
    time_limit_s: float,
    workers: int,
    seed: int,
    progress: Progress | None,
    unscheduled: list[Unscheduled],
    started: float,
    phases: list[str],
    notes: list[str],
) -> Schedule:
    """Every meeting in ``required`` fits: the exact portfolio minimises breaks."""
    from escp4i.scheduler.portfolio import solve_all_required

    sub = restrict(problem, required)
    result = solve_all_required(
        sub,
        cap=cap,
        time_limit_s=time_limit_s,
        workers=workers,
        seed=seed,
        hint={m: t for m, t in hint.items() if m in required},
        progress=progress,
    )
    phases += result.phases
    notes += result.notes
    seconds = time.monotonic() - started
    if result.status == "infeasible":
        return Schedule(
            status="infeasible",
            unscheduled=tuple(unscheduled),
            conflicts=tuple(sorted(required)),
            stats=SolveStats(
                seconds,
                tuple(phases),
                0,
                result.bound_source,
                (*notes, "no schedule satisfies the hard constraints and fairness"),
            ),
        )
    if result.breaks is None:
        return Schedule(
            status="unknown",
            unscheduled=tuple(unscheduled),
            lower_bound=result.lower_bound,
            max_schedulable=len(required),
            stats=SolveStats(seconds, tuple(phases), 0, result.bound_source, tuple(notes)),
        )
    assignments, failed_sessions = assign_tables(problem, result.slot_of)
    if failed_sessions:
        notes.append("table keeping impossible in: " + ", ".join(failed_sessions))
    notes.append(f"best schedule from {result.solution_source}")
    return Schedule(
        status=result.status,
        assignments=assignments,
        unscheduled=tuple(sorted(unscheduled, key=lambda u: u.meeting)),
        breaks=result.breaks,
        lower_bound=min(result.lower_bound, result.breaks),
        max_schedulable=len(required),
        stats=SolveStats(
            seconds=time.monotonic() - started,
            phases=tuple(phases),
            solutions=result.solutions,
            bound_source=result.bound_source,
            notes=tuple(notes),
        ),
    )


def _without_solution(
    problem: SchedulingProblem,
    schedule: Schedule,
    *,
    hint: dict[int, int],
    candidates: frozenset[int],
    fairness: int | None,
) -> Schedule:
    """An infeasible or unknown ``schedule`` without assignments, with the greedy schedule
    ``hint`` as a best-effort answer when that meets every hard constraint but fairness: then
    ``relaxed == ("fairness",)`` and the status stays (proven infeasible, or unknown: no
    schedule meeting the bound found in time). A hint that meets the bound as well is a
    solution (status feasible). Anything else is returned unchanged."""
    if schedule.status not in ("infeasible", "unknown") or schedule.assignments:
        return schedule
    if fairness is None or not hint or not set(hint) <= candidates:
        return schedule
    left_out = sorted(candidates - set(hint))
    assignments, failed_sessions = assign_tables(problem, hint)
    notes = list(schedule.stats.notes)
    if failed_sessions:
        notes.append("table keeping impossible in: " + ", ".join(failed_sessions))
    breaks = total_breaks(problem, hint)
    lower = min(schedule.lower_bound or 0, breaks)
    best = replace(
        schedule,
        assignments=assignments,
        unscheduled=tuple(
            sorted(
                [*schedule.unscheduled, *_leftover_reasons(problem, hint, left_out)],
                key=lambda u: u.meeting,
            )
        ),
        breaks=breaks,
        lower_bound=lower,
    )
    if validate(problem, best):
        return schedule  # the hint breaks a hard constraint: nothing to offer
    counts = participant_breaks(problem, hint).values()
    spread = max(counts, default=0) - min(counts, default=0)
    if spread <= fairness:
        if schedule.status == "infeasible":
            return schedule  # cannot happen for a correct proof; keep the proof's answer
        return replace(best, status="feasible", stats=replace(best.stats, notes=tuple(notes)))
    notes.append(
        f"fairness {fairness} not met (spread {spread}): the schedule is the greedy one with "
        "fairness relaxed"
    )
    return replace(best, relaxed=("fairness",), stats=replace(best.stats, notes=tuple(notes)))


def restrict(problem: SchedulingProblem, meeting_ids: frozenset[int]) -> SchedulingProblem:
    """The same event with only the given meetings (precedences to others dropped)."""
    kept = tuple(
        replace(m, after=tuple(b for b in m.after if b in meeting_ids))
        for m in problem.meetings
        if m.id in meeting_ids
    )
    return replace(problem, meetings=kept)
