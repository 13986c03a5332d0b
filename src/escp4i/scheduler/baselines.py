"""Baselines that real events use today, for comparison with the optimiser.

* ``fcfs``: first come, first served: requests in input order, each booked in the earliest slot
  where all its participants are free and a table is left (b2match's default behaviour).
* ``random_self_schedule``: participants book in random order, each picking a random slot among
  those still free for everyone (a seeded model of self-scheduling).
Both also serve as the solver's warm start.
"""

from __future__ import annotations

import random
from collections import defaultdict

from escp4i.scheduler.breaks import total_breaks
from escp4i.scheduler.problem import Meeting, Schedule, SchedulingProblem, SolveStats, Unscheduled
from escp4i.scheduler.tables import assign_tables


def _greedy(
    problem: SchedulingProblem, order: list[Meeting], rng: random.Random | None
) -> tuple[dict[int, int], list[Unscheduled]]:
    participants = problem.participant_map()
    busy: dict[int, set[int]] = defaultdict(set)
    load: dict[int, int] = defaultdict(int)
    used: dict[int, int] = defaultdict(int)
    slot_of: dict[int, int] = {}
    unscheduled: list[Unscheduled] = []
    pending = list(order)
    # Meetings whose predecessors are not placed yet wait; repeat until no progress.
    progress = True
    while pending and progress:
        progress = False
        waiting: list[Meeting] = []
        for meeting in pending:
            if any(b not in slot_of for b in meeting.after):
                waiting.append(meeting)
                continue
            progress = True
            allowed = problem.allowed_slots(meeting)
            if not allowed:
                unscheduled.append(Unscheduled(meeting.id, "no_common_slot"))
                continue
            full = next(
                (
                    pid
                    for pid in meeting.participants
                    if participants[pid].max_meetings is not None
                    and load[pid] >= (participants[pid].max_meetings or 0)
                ),
                None,
            )
            if full is not None:
                unscheduled.append(Unscheduled(meeting.id, "participant_limit", full))
                continue
            earliest = max((slot_of[b] + 1 for b in meeting.after), default=1)
            free = [
                s
                for s in allowed
                if s >= earliest
                and used[s] < problem.tables
                and all(s not in busy[pid] for pid in meeting.participants)
            ]
            if not free:
                unscheduled.append(Unscheduled(meeting.id, "capacity"))
                continue
            slot = rng.choice(free) if rng is not None else free[0]
            slot_of[meeting.id] = slot
            used[slot] += 1
            for pid in meeting.participants:
                busy[pid].add(slot)
                load[pid] += 1
        pending = waiting
    for meeting in pending:
        unscheduled.append(Unscheduled(meeting.id, "capacity"))
    return slot_of, unscheduled


def _schedule(
    problem: SchedulingProblem, slot_of: dict[int, int], unscheduled: list[Unscheduled], name: str
) -> Schedule:
    assignments, _failed = assign_tables(problem, slot_of)
    return Schedule(
        status="feasible",
        assignments=assignments,
        unscheduled=tuple(sorted(unscheduled, key=lambda u: u.meeting)),
        breaks=total_breaks(problem, slot_of),
        stats=SolveStats(phases=(name,)),
    )


def fcfs(problem: SchedulingProblem) -> Schedule:
    slot_of, unscheduled = _greedy(problem, list(problem.meetings), None)
    return _schedule(problem, slot_of, unscheduled, "fcfs")


def random_self_schedule(problem: SchedulingProblem, *, seed: int = 1) -> Schedule:
    rng = random.Random(seed)  # noqa: S311 - a simulation, not cryptography
    order = list(problem.meetings)
    rng.shuffle(order)
    slot_of, unscheduled = _greedy(problem, order, rng)
    return _schedule(problem, slot_of, unscheduled, "random")
