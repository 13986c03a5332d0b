"""Value objects of the B2B meeting-scheduling problem and of its schedules.

Slots and tables are 1-based, as at real events and in the JAIR 2022 instances. Participants and
meetings carry their own integer ids; a meeting's id is its 1-based position in the input unless
the caller gives another. Nothing here knows about Django or OR-Tools.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Session:
    """A named block of consecutive slots (a morning, an afternoon, a day)."""

    name: str
    slots: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Participant:
    id: int
    name: str = ""
    forbidden: frozenset[int] = frozenset()
    max_meetings: int | None = None
    # In table-keeping mode a host stays at one table for a whole session (visitors move).
    is_host: bool = False


@dataclass(frozen=True, slots=True)
class Meeting:
    """A requested meeting between two or more participants."""

    id: int
    participants: tuple[int, ...]
    allowed_slots: frozenset[int] | None = None  # session restriction; None = any slot
    fixed_slot: int | None = None
    after: tuple[int, ...] = ()  # ids of meetings that must be held strictly before this one
    priority: int = 1


@dataclass(frozen=True, slots=True)
class SchedulingProblem:
    name: str
    n_slots: int
    tables: int
    participants: tuple[Participant, ...]
    meetings: tuple[Meeting, ...]
    sessions: tuple[Session, ...] = ()
    keep_table_per_session: bool = False

    @property
    def slots(self) -> range:
        return range(1, self.n_slots + 1)

    def participant_map(self) -> dict[int, Participant]:
        return {p.id: p for p in self.participants}

    def meetings_of(self) -> dict[int, list[int]]:
        """Participant id -> ids of its meetings, in input order."""
        result: dict[int, list[int]] = {p.id: [] for p in self.participants}
        for meeting in self.meetings:
            for pid in meeting.participants:
                result.setdefault(pid, []).append(meeting.id)
        return result

    def allowed_slots(self, meeting: Meeting) -> list[int]:
        """Slots where ``meeting`` may be held given sessions, unavailability and fixing."""
        participants = self.participant_map()
        candidates = [meeting.fixed_slot] if meeting.fixed_slot is not None else list(self.slots)
        result = []
        for slot in candidates:
            if not 1 <= slot <= self.n_slots:
                continue
            if meeting.allowed_slots is not None and slot not in meeting.allowed_slots:
                continue
            if any(slot in participants[pid].forbidden for pid in meeting.participants):
                continue
            result.append(slot)
        return result

    def session_of_slot(self) -> dict[int, str]:
        return {slot: session.name for session in self.sessions for slot in session.slots}


@dataclass(frozen=True, slots=True)
class Assignment:
    meeting: int
    slot: int
    table: int


@dataclass(frozen=True, slots=True)
class Unscheduled:
    """A meeting left out, with a machine-readable reason code.

    Codes: ``no_common_slot`` (no slot where all its participants are available and its session
    allows), ``participant_limit`` (a participant's maximum number of meetings is reached),
    ``capacity`` (the optimum schedules fewer meetings: slots and tables are full).
    """

    meeting: int
    reason: str
    participant: int | None = None


@dataclass(frozen=True, slots=True)
class SolveStats:
    seconds: float = 0.0
    phases: tuple[str, ...] = ()
    solutions: int = 0
    bound_source: str = ""
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Schedule:
    """A solver's (or a baseline's) answer.

    ``status``: ``optimal`` (breaks proven minimal for the scheduled set), ``feasible`` (a valid
    schedule, optimality not proven), ``infeasible`` (proven: no schedule satisfies the hard
    constraints; ``conflicts`` names meetings involved where identifiable), ``unknown`` (no
    schedule meeting every constraint found in time).

    ``relaxed``: the constraints the assignments do not meet, when a best-effort schedule is
    returned anyway (only ``("fairness",)``): the status is then ``infeasible`` (no schedule
    meets the bound: proven) or ``unknown`` (none found in time; the large-event decomposition,
    whose fairness bound is a penalty, or a time-out of the exact models). Every other hard
    constraint holds.
    """

    status: str
    assignments: tuple[Assignment, ...] = ()
    unscheduled: tuple[Unscheduled, ...] = ()
    breaks: int | None = None
    lower_bound: int | None = None
    max_schedulable: int | None = None  # proven upper bound on how many meetings fit
    conflicts: tuple[int, ...] = ()
    stats: SolveStats = field(default_factory=SolveStats)
    relaxed: tuple[str, ...] = ()

    @property
    def scheduled(self) -> int:
        return len(self.assignments)

    @property
    def gap(self) -> float | None:
        """Relative gap between breaks and the proven lower bound (0.0 = proven optimal)."""
        if self.breaks is None or self.lower_bound is None:
            return None
        if self.breaks == 0:
            return 0.0
        return (self.breaks - self.lower_bound) / self.breaks

    def slot_of(self) -> dict[int, int]:
        return {a.meeting: a.slot for a in self.assignments}
