"""Counting breaks: a break is a maximal run of idle slots between two meetings of a participant,
over the whole slot sequence (JAIR 2022 definition)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from itertools import pairwise

from escp4i.scheduler.problem import SchedulingProblem


def breaks_of_slots(slots: Iterable[int]) -> int:
    ordered = sorted(set(slots))
    return sum(1 for prev, nxt in pairwise(ordered) if nxt - prev > 1)


def participant_breaks(problem: SchedulingProblem, slot_of: Mapping[int, int]) -> dict[int, int]:
    """Breaks per participant for meetings placed as ``slot_of`` (meeting id -> slot)."""
    busy: dict[int, list[int]] = {p.id: [] for p in problem.participants}
    for meeting in problem.meetings:
        slot = slot_of.get(meeting.id)
        if slot is None:
            continue
        for pid in meeting.participants:
            busy.setdefault(pid, []).append(slot)
    return {pid: breaks_of_slots(slots) for pid, slots in busy.items()}


def total_breaks(problem: SchedulingProblem, slot_of: Mapping[int, int]) -> int:
    return sum(participant_breaks(problem, slot_of).values())
