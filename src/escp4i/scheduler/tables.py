"""Giving each scheduled meeting a concrete table (1..L), distinct within a slot.

Default: in each slot, meetings take tables 1, 2, ... in meeting-id order. Table-keeping mode
(host/visitor events): every host keeps one table for a whole session and its meetings are held
there; if a session has more active hosts than tables, or a meeting has no host or two, the
default assignment is used for that session and the session is reported back.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from escp4i.scheduler.problem import Assignment, SchedulingProblem


def assign_tables(
    problem: SchedulingProblem, slot_of: Mapping[int, int]
) -> tuple[tuple[Assignment, ...], tuple[str, ...]]:
    """Return assignments sorted by (slot, table) and the sessions where table keeping failed."""
    by_slot: dict[int, list[int]] = defaultdict(list)
    for meeting_id, slot in slot_of.items():
        by_slot[slot].append(meeting_id)
    table_of: dict[int, int] = {}
    failed: list[str] = []
    if problem.keep_table_per_session and problem.sessions:
        kept, failed = _keep_tables(problem, slot_of)
        table_of.update(kept)
    for meeting_ids in by_slot.values():
        taken = {table_of[m] for m in meeting_ids if m in table_of}
        free = (t for t in range(1, problem.tables + 1) if t not in taken)
        for meeting_id in sorted(meeting_ids):
            if meeting_id not in table_of:
                table_of[meeting_id] = next(free)
    assignments = tuple(
        sorted(
            (Assignment(m, slot_of[m], table_of[m]) for m in slot_of),
            key=lambda a: (a.slot, a.table),
        )
    )
    return assignments, tuple(failed)


def _keep_tables(
    problem: SchedulingProblem, slot_of: Mapping[int, int]
) -> tuple[dict[int, int], list[str]]:
    hosts = {p.id for p in problem.participants if p.is_host}
    meetings = {m.id: m for m in problem.meetings}
    result: dict[int, int] = {}
    failed: list[str] = []
    for session in problem.sessions:
        slots = set(session.slots)
        in_session = [m for m, s in slot_of.items() if s in slots]
        host_of: dict[int, int] = {}
        ok = True
        for meeting_id in in_session:
            meeting_hosts = [p for p in meetings[meeting_id].participants if p in hosts]
            if len(meeting_hosts) != 1:
                ok = False
                break
            host_of[meeting_id] = meeting_hosts[0]
        active = sorted(set(host_of.values()))
        if not ok or len(active) > problem.tables:
            failed.append(session.name)
            continue
        table_of_host = {host: index + 1 for index, host in enumerate(active)}
        for meeting_id, host in host_of.items():
            result[meeting_id] = table_of_host[host]
    return result, failed
