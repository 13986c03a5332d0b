"""The one module that talks to ``escp4i.scheduler``: converts the adapter's ``EventProblem``
(ORM ids) to the scheduler's problem dataclasses and back. Reasons come back as machine codes;
``scheduling`` phrases them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import escp4i.scheduler as sched
    from escp4i.events.scheduling import EventProblem


FAIRNESS = 2  # break counts of any two participants differ by at most this (the paper's d)


@dataclass(frozen=True, slots=True)
class BridgeResult:
    status: str
    placements: dict[int, tuple[int, int]]
    unscheduled: dict[int, str]
    objective: float | None
    bound: float | None
    total_breaks: int | None
    # Breaks per participant (registration id; every participant of the event), over the
    # whole slot sequence as the scheduler counts them.
    breaks_of: dict[int, int] = field(default_factory=dict)
    # Constraints the placements do not meet (("fairness",) for a best-effort schedule).
    relaxed: tuple[str, ...] = ()


def to_scheduler_problem(
    problem: EventProblem, *, fixed_pairs: dict[int, tuple[int, int]]
) -> sched.SchedulingProblem:
    """Slots become 1..n in time order; participants keep their registration ids, meetings
    their meeting ids; fixed meetings get ``fixed_slot``."""
    import escp4i.scheduler as sched

    number = {slot_id: i for i, slot_id in enumerate(problem.slot_ids, start=1)}
    all_slots = frozenset(number.values())
    participants = tuple(
        sched.Participant(
            id=p.registration_id,
            name=p.label,
            forbidden=all_slots - frozenset(number[s] for s in p.available_slot_ids),
            max_meetings=p.max_meetings,
        )
        for p in problem.participants.values()
    )
    meetings = [
        sched.Meeting(id=m.meeting_id, participants=(m.a, m.b), priority=m.priority)
        for m in problem.meetings
    ]
    meetings += [
        sched.Meeting(
            id=meeting_id, participants=fixed_pairs[meeting_id], fixed_slot=number[slot_id]
        )
        for meeting_id, (slot_id, _table) in problem.fixed.items()
        if meeting_id in fixed_pairs
    ]
    by_session: dict[int, list[int]] = {}
    for slot_id in problem.slot_ids:
        by_session.setdefault(problem.slot_session[slot_id], []).append(number[slot_id])
    return sched.SchedulingProblem(
        name="event",
        n_slots=len(problem.slot_ids),
        tables=len(problem.table_ids),
        participants=participants,
        meetings=tuple(sorted(meetings, key=lambda m: m.id)),
        sessions=tuple(
            sched.Session(name=str(session_id), slots=tuple(slots))
            for session_id, slots in by_session.items()
        ),
    )


def _reason(item: sched.Unscheduled, problem: EventProblem) -> str:
    if item.reason == "participant_limit":
        meeting = next(m for m in problem.meetings if m.meeting_id == item.meeting)
        return "limit_a" if item.participant == meeting.a else "limit_b"
    return item.reason


def solve_problem(
    problem: EventProblem,
    *,
    fixed_pairs: dict[int, tuple[int, int]],
    time_limit_s: float,
    workers: int,
    seed: int,
    on_progress: Callable[[str, float | None, float | None], None],
) -> BridgeResult:
    """Solve with ``escp4i.scheduler.solve``; tables are then dealt per slot: fixed meetings
    keep theirs, the others take the free tables in order (tables are interchangeable)."""
    import escp4i.scheduler as sched

    problem_in = to_scheduler_problem(problem, fixed_pairs=fixed_pairs)
    schedule = sched.solve(
        problem_in,
        time_limit_s=time_limit_s,
        workers=workers,
        seed=seed,
        fairness=FAIRNESS,
        progress=lambda message: on_progress(message, None, None),
    )
    slot_of_number = dict(enumerate(problem.slot_ids, start=1))
    taken: dict[int, set[int]] = {}
    for slot_id, table_id in problem.fixed.values():
        taken.setdefault(slot_id, set()).add(table_id)
    placements: dict[int, tuple[int, int]] = {}
    movable = {m.meeting_id for m in problem.meetings}
    for assignment in sorted(schedule.assignments, key=lambda a: (a.slot, a.meeting)):
        if assignment.meeting not in movable:
            continue
        slot_id = slot_of_number[assignment.slot]
        free = [t for t in problem.table_ids if t not in taken.get(slot_id, set())]
        if not free:  # cannot happen for a valid schedule: at most `tables` meetings per slot
            raise RuntimeError(f"slot {assignment.slot} over capacity")
        taken.setdefault(slot_id, set()).add(free[0])
        placements[assignment.meeting] = (slot_id, free[0])
    unscheduled = {
        u.meeting: _reason(u, problem) for u in schedule.unscheduled if u.meeting in movable
    }
    for meeting_id in movable - set(placements) - set(unscheduled):
        unscheduled[meeting_id] = schedule.status
    breaks_of = sched.participant_breaks(problem_in, schedule.slot_of())
    return BridgeResult(
        status=schedule.status,
        placements=placements,
        unscheduled=unscheduled,
        objective=float(schedule.breaks) if schedule.breaks is not None else None,
        bound=float(schedule.lower_bound) if schedule.lower_bound is not None else None,
        total_breaks=schedule.breaks,
        breaks_of=breaks_of,
        relaxed=schedule.relaxed,
    )
