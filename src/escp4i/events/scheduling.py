"""The ORM ↔ scheduler adapter: turns an event's accepted meetings, slots, tables and
availabilities into a scheduling problem, hands it to ``escp4i.scheduler`` and translates the
result (placements, unscheduled meetings with a reason a person can read, breaks, bound) back
into plain ids for ``event_schedule_generate``.

Locked meetings, and published meetings unless moving them is allowed, enter the problem as
fixed meetings: the solver keeps their slot and table.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from escp4i.events.models import (
    Event,
    Meeting,
    MeetingBooking,
    MeetingStatus,
    Registration,
    Slot,
)

Progress = Callable[[str, float | None, float | None], None]


@dataclass(frozen=True, slots=True)
class ParticipantData:
    registration_id: int
    label: str
    available_slot_ids: frozenset[int]
    max_meetings: int


@dataclass(frozen=True, slots=True)
class MeetingData:
    meeting_id: int
    a: int
    b: int
    priority: int


@dataclass(frozen=True, slots=True)
class EventProblem:
    """The event's scheduling problem in ORM ids (slot ids in time order)."""

    slot_ids: tuple[int, ...]
    slot_session: dict[int, int]
    table_ids: tuple[int, ...]
    participants: dict[int, ParticipantData]
    meetings: tuple[MeetingData, ...]
    fixed: dict[int, tuple[int, int]]
    labels: dict[int, str]

    @property
    def meeting_ids(self) -> tuple[int, ...]:
        return tuple(m.meeting_id for m in self.meetings)


@dataclass(frozen=True, slots=True)
class SolveOutcome:
    status: str
    placements: dict[int, tuple[int, int]]
    unscheduled: dict[int, str]
    movable_ids: tuple[int, ...]
    fixed_ids: tuple[int, ...]
    objective: float | None
    bound: float | None
    total_breaks: int | None
    wall_time_s: float
    labels: dict[int, str] = field(default_factory=dict)
    breaks_of: dict[int, int] = field(default_factory=dict)  # registration id -> breaks
    fairness: int | None = None
    participant_labels: dict[int, str] = field(default_factory=dict)  # registration id -> name
    relaxed: tuple[str, ...] = ()  # constraints the placements do not meet ("fairness")

    @property
    def has_schedule(self) -> bool:
        """False when the solver found no schedule at all for meetings it had to place."""
        solved = self.status in ("optimal", "feasible")
        return solved or bool(self.placements) or not self.movable_ids

    def break_summary(self, *, top: int = 10) -> dict[str, Any]:
        """How breaks fall on participants: the worst count, the spread the fairness bound
        limits, whether it holds, and the participants with the most breaks (worst first)."""
        if not self.breaks_of:
            return {}
        worst = max(self.breaks_of.values())
        spread = worst - min(self.breaks_of.values())
        ranked = sorted(
            ((n, reg) for reg, n in self.breaks_of.items() if n > 0), key=lambda x: (-x[0], x[1])
        )
        return {
            "worst": worst,
            "spread": spread,
            "fairness": self.fairness,
            "fairness_met": None if self.fairness is None else spread <= self.fairness,
            "participants_with_breaks": len(ranked),
            "most": [
                {"registration": reg, "who": self.participant_labels.get(reg, ""), "breaks": n}
                for n, reg in ranked[:top]
            ],
        }


def event_problem_build(*, event: Event, allow_moving_published: bool) -> EventProblem:
    """Read the event once: slots, tables, participants' availability, the active meetings."""
    slots = list(
        Slot.objects.filter(event=event).order_by("starts_at").values_list("pk", "session_id")
    )
    slot_ids = tuple(pk for pk, _s in slots)
    slot_session = dict(slots)
    all_sessions = set(slot_session.values())
    table_ids = tuple(event.tables.order_by("position", "pk").values_list("pk", flat=True))
    registrations = (
        Registration.objects.filter(event=event)
        .select_related("organisation")
        .prefetch_related("sessions", "unavailable_slots")
    )
    participants = {}
    for reg in registrations:
        sessions = {s.pk for s in reg.sessions.all()} or all_sessions
        unavailable = {s.pk for s in reg.unavailable_slots.all()}
        available = frozenset(
            pk for pk in slot_ids if slot_session[pk] in sessions and pk not in unavailable
        )
        participants[reg.pk] = ParticipantData(
            registration_id=reg.pk,
            label=reg.organisation.name,
            available_slot_ids=available,
            max_meetings=reg.max_meetings,
        )
    meetings = (
        Meeting.objects.filter(
            event=event, status__in=[MeetingStatus.UNSCHEDULED, MeetingStatus.SCHEDULED]
        )
        .select_related("request")
        .order_by("pk")
    )
    pairs: dict[int, list[int]] = {}
    for meeting_id, reg_id in (
        MeetingBooking.objects.filter(meeting__in=meetings)
        .order_by("pk")
        .values_list("meeting_id", "registration_id")
    ):
        pairs.setdefault(meeting_id, []).append(reg_id)
    movable, fixed, labels = [], {}, {}
    for meeting in meetings:
        regs = pairs.get(meeting.pk, [])
        if len(regs) != 2:
            continue
        a, b = regs
        labels[meeting.pk] = f"{participants[a].label} ↔ {participants[b].label}"
        keep = meeting.status == MeetingStatus.SCHEDULED and (
            meeting.locked or (meeting.published_at is not None and not allow_moving_published)
        )
        if keep:
            assert meeting.slot_id is not None and meeting.table_id is not None  # noqa: S101
            fixed[meeting.pk] = (meeting.slot_id, meeting.table_id)
            continue
        movable.append(
            MeetingData(
                meeting_id=meeting.pk,
                a=a,
                b=b,
                priority=meeting.request.priority if meeting.request else 2,
            )
        )
    return EventProblem(
        slot_ids=slot_ids,
        slot_session=slot_session,
        table_ids=table_ids,
        participants=participants,
        meetings=tuple(movable),
        fixed=fixed,
        labels=labels,
    )


def _fixed_pairs(problem: EventProblem) -> dict[int, tuple[int, int]]:
    """Participants of each fixed meeting (read from the bookings)."""
    out: dict[int, list[int]] = {}
    for meeting_id, reg_id in (
        MeetingBooking.objects.filter(meeting_id__in=problem.fixed)
        .order_by("pk")
        .values_list("meeting_id", "registration_id")
    ):
        out.setdefault(meeting_id, []).append(reg_id)
    return {m: (r[0], r[1]) for m, r in out.items() if len(r) == 2}


def event_problem_solve(
    problem: EventProblem,
    *,
    time_limit_s: float,
    workers: int,
    seed: int,
    on_progress: Progress | None = None,
) -> SolveOutcome:
    """Solve with ``escp4i.scheduler`` and phrase every unscheduled meeting's reason."""
    from escp4i.events import scheduler_bridge

    started = time.monotonic()
    report = on_progress or (lambda message, objective, bound: None)
    report(_("Solving (time limit %(s)s s).") % {"s": time_limit_s}, None, None)
    result = scheduler_bridge.solve_problem(
        problem,
        fixed_pairs=_fixed_pairs(problem),
        time_limit_s=time_limit_s,
        workers=workers,
        seed=seed,
        on_progress=report,
    )
    unscheduled = {
        meeting_id: _reason_text(code, problem, meeting_id)
        for meeting_id, code in result.unscheduled.items()
    }
    return SolveOutcome(
        status=result.status,
        placements=result.placements,
        unscheduled=unscheduled,
        movable_ids=problem.meeting_ids,
        fixed_ids=tuple(problem.fixed),
        objective=result.objective,
        bound=result.bound,
        total_breaks=result.total_breaks,
        wall_time_s=round(time.monotonic() - started, 3),
        labels=problem.labels,
        breaks_of=result.breaks_of,
        fairness=scheduler_bridge.FAIRNESS,
        participant_labels={reg: p.label for reg, p in problem.participants.items()},
        relaxed=result.relaxed,
    )


def _reason_text(code: str, problem: EventProblem, meeting_id: int) -> str:
    """A reason a person can read, from the bridge's machine code."""
    meeting = next(m for m in problem.meetings if m.meeting_id == meeting_id)
    a, b = problem.participants[meeting.a], problem.participants[meeting.b]
    texts = {
        "no_common_slot": _("%(a)s and %(b)s have no common available slot.")
        % {"a": a.label, "b": b.label},
        "limit_a": _("%(a)s reached their meeting limit.") % {"a": a.label},
        "limit_b": _("%(b)s reached their meeting limit.") % {"b": b.label},
        "no_table": _("No free table in the common free slots of %(a)s and %(b)s.")
        % {"a": a.label, "b": b.label},
        "capacity": _("Not enough slots or tables for all requested meetings of %(a)s and %(b)s.")
        % {"a": a.label, "b": b.label},
    }
    return texts.get(code, _("Not placed by the optimiser (%(code)s).") % {"code": code})
