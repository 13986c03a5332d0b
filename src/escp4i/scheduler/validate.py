"""Independent re-check of a schedule against every hard constraint, without the solver.

Also recomputes breaks and the fairness spread, so a solver's claims can be verified.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from escp4i.scheduler.breaks import participant_breaks
from escp4i.scheduler.problem import Schedule, SchedulingProblem


@dataclass(frozen=True, slots=True)
class Violation:
    code: str
    detail: str


def validate(
    problem: SchedulingProblem,
    schedule: Schedule,
    *,
    fairness: int | None = None,
    require_all: bool = False,
) -> list[Violation]:
    """Every violated hard constraint of ``schedule`` (empty list = valid).

    ``require_all``: every meeting must be scheduled. ``fairness``: break counts of any two
    participants may differ by at most this much.
    """
    out: list[Violation] = []
    meetings = {m.id: m for m in problem.meetings}
    participants = problem.participant_map()
    seen: Counter[int] = Counter(a.meeting for a in schedule.assignments)
    for meeting_id, count in seen.items():
        if meeting_id not in meetings:
            out.append(Violation("unknown_meeting", f"meeting {meeting_id} is not in the problem"))
        elif count > 1:
            out.append(Violation("duplicate", f"meeting {meeting_id} is scheduled {count} times"))
    left_out = {u.meeting for u in schedule.unscheduled}
    for meeting_id in meetings:
        if meeting_id not in seen and meeting_id not in left_out:
            out.append(
                Violation(
                    "missing",
                    f"meeting {meeting_id} is neither scheduled nor reported as unscheduled",
                )
            )
        if meeting_id in seen and meeting_id in left_out:
            out.append(Violation("missing", f"meeting {meeting_id} is scheduled and unscheduled"))
        if require_all and meeting_id not in seen:
            out.append(Violation("missing", f"meeting {meeting_id} is not scheduled"))
    slot_of = {a.meeting: a.slot for a in schedule.assignments if a.meeting in meetings}
    per_slot: dict[int, list[int]] = defaultdict(list)
    tables_in_slot: dict[int, Counter[int]] = defaultdict(Counter)
    busy: dict[tuple[int, int], list[int]] = defaultdict(list)
    for a in schedule.assignments:
        meeting = meetings.get(a.meeting)
        if meeting is None:
            continue
        if not 1 <= a.slot <= problem.n_slots:
            out.append(Violation("slot_range", f"meeting {a.meeting} in slot {a.slot}"))
        if not 1 <= a.table <= problem.tables:
            out.append(Violation("table_range", f"meeting {a.meeting} at table {a.table}"))
        if meeting.fixed_slot is not None and a.slot != meeting.fixed_slot:
            out.append(
                Violation(
                    "fixed",
                    f"meeting {a.meeting} must be in slot {meeting.fixed_slot}, is in {a.slot}",
                )
            )
        if meeting.allowed_slots is not None and a.slot not in meeting.allowed_slots:
            out.append(
                Violation("session", f"meeting {a.meeting} outside its session (slot {a.slot})")
            )
        for pid in meeting.participants:
            if pid in participants and a.slot in participants[pid].forbidden:
                out.append(
                    Violation(
                        "forbidden",
                        f"participant {pid} unavailable in slot {a.slot} (meeting {a.meeting})",
                    )
                )
            busy[(pid, a.slot)].append(a.meeting)
        per_slot[a.slot].append(a.meeting)
        tables_in_slot[a.slot][a.table] += 1
    for (pid, slot), ids in busy.items():
        if len(ids) > 1:
            out.append(
                Violation("double_booked", f"participant {pid} has meetings {ids} in slot {slot}")
            )
    for slot, ids in per_slot.items():
        if len(ids) > problem.tables:
            out.append(
                Violation(
                    "capacity", f"slot {slot} has {len(ids)} meetings for {problem.tables} tables"
                )
            )
        for table, count in tables_in_slot[slot].items():
            if count > 1:
                out.append(
                    Violation("table_clash", f"table {table} used {count} times in slot {slot}")
                )
    for meeting in problem.meetings:
        if meeting.id not in slot_of:
            continue
        for before in meeting.after:
            if before in slot_of and not slot_of[before] < slot_of[meeting.id]:
                out.append(
                    Violation("precedence", f"meeting {before} must come before {meeting.id}")
                )
            if before not in slot_of:
                out.append(
                    Violation(
                        "precedence",
                        f"meeting {meeting.id} needs meeting "
                        f"{before} first, which is not scheduled",
                    )
                )
    counts: Counter[int] = Counter()
    for meeting_id in slot_of:
        for pid in meetings[meeting_id].participants:
            counts[pid] += 1
    for pid, count in counts.items():
        limit = participants[pid].max_meetings if pid in participants else None
        if limit is not None and count > limit:
            out.append(
                Violation("max_meetings", f"participant {pid} has {count} meetings, limit {limit}")
            )
    per_participant = participant_breaks(problem, slot_of)
    total = sum(per_participant.values())
    if schedule.breaks is not None and schedule.breaks != total:
        out.append(
            Violation("breaks", f"schedule claims {schedule.breaks} breaks, recomputed {total}")
        )
    if schedule.lower_bound is not None and schedule.lower_bound > total:
        out.append(
            Violation(
                "bound", f"lower bound {schedule.lower_bound} exceeds the schedule's {total} breaks"
            )
        )
    if fairness is not None and per_participant:
        spread = max(per_participant.values()) - min(per_participant.values())
        if spread > fairness:
            out.append(Violation("fairness", f"break counts differ by {spread} > {fairness}"))
    return out
