"""Symmetry handling: meetings that every schedule may permute.

Tables carry no symmetry in the models: they are a capacity per slot, and concrete tables are
assigned afterwards (``tables.py``). The remaining symmetry the engines break is between
**interchangeable meetings**: meetings m1, m2 whose participants are the same "core" plus one or
more *leaf* participants who have no other meeting, where the leaves are alike (same
unavailability, maximum and host flag), the meetings have the same session restriction and
priority, and neither is fixed nor part of a precedence. Swapping the slots of m1 and m2 turns a
valid schedule into a valid one with the same breaks for everybody: the core participants keep
their busy slots, each leaf has one meeting (no break), every slot keeps its number of meetings.
A typical case: several delegates who each asked for one meeting with the same host.

So any schedule can be permuted into one where, in each group (ids ascending), the slots are
non-decreasing and, where some meetings are optional, the scheduled ones come first. The CP-SAT
models (``cpsat.py``) add exactly these constraints; ``canonical`` permutes a hint the same way
so that it stays usable. The MaxSAT encoding does not (they slowed RC2 down on a real instance).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from escp4i.scheduler.problem import SchedulingProblem


def interchangeable_meetings(problem: SchedulingProblem) -> list[tuple[int, ...]]:
    """Groups of two or more interchangeable meetings (ids ascending, groups by first id)."""
    count: dict[int, int] = defaultdict(int)
    for m in problem.meetings:
        for pid in m.participants:
            count[pid] += 1
    predecessors = {b for m in problem.meetings for b in m.after}
    people = problem.participant_map()
    groups: dict[tuple[object, ...], list[int]] = defaultdict(list)
    for m in problem.meetings:
        if m.fixed_slot is not None or m.after or m.id in predecessors:
            continue
        leaves = [pid for pid in m.participants if count[pid] == 1]
        if not leaves:
            continue
        core = tuple(sorted(pid for pid in m.participants if count[pid] > 1))
        alike = tuple(
            sorted(
                (
                    tuple(sorted(people[pid].forbidden)),
                    -1 if people[pid].max_meetings is None else people[pid].max_meetings,
                    people[pid].is_host,
                )
                for pid in leaves
            )
        )
        restriction = None if m.allowed_slots is None else tuple(sorted(m.allowed_slots))
        groups[(core, alike, restriction, m.priority)].append(m.id)
    return sorted(tuple(sorted(ids)) for ids in groups.values() if len(ids) > 1)


def canonical(slot_of: Mapping[int, int], groups: Iterable[Iterable[int]]) -> dict[int, int]:
    """``slot_of`` permuted within each group so that it satisfies the symmetry constraints:
    the scheduled members of a group become its first ones (by id), in slot order."""
    result = dict(slot_of)
    for group in groups:
        members = list(group)
        slots = sorted(result.pop(mid) for mid in members if mid in result)
        for mid, slot in zip(members, slots, strict=False):
            result[mid] = slot
    return result
