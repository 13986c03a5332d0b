"""Lower bounds on the breaks of a large event: each participant's own exact minimum.

A participant's breaks depend only on the slots of its own meetings. Dropping every constraint
that links it to others (partners' other meetings, tables) leaves a small problem: give each of
its d meetings a distinct slot among the meeting's usable ones (sessions, unavailability of both
participants, fixed slots) so that the d busy slots form as few runs as possible. Its optimum
``own(p)`` is at most p's breaks in **any** schedule of these meetings, so ``Σ_p own(p)`` is a
valid lower bound on the total (a relaxation: each participant's term is minimised on its own).
It is never below the bound from runs of usable slots (``twosided.break_lower_bound``): that
one also drops which meeting may use which slot.

Computing ``own(p)``, for each participant with two or more meetings:

1. the runs bound ``k - 1`` (the fewest runs of the union of usable slots covering d slots);
2. when ``k = 1``: a single run of d slots is sought constructively, interval by interval, by a
   least-slack greedy assignment of meetings to slots; a success proves ``own(p) = 0``;
3. otherwise a CP-SAT model over meeting *classes* (meetings with the same usable slots are
   interchangeable, so ``y[c, t]`` says "a meeting of class c is in slot t") minimises the run
   starts; its proven bound (the optimum when it finishes) is used, never below step 1.

Step 3 is time-boxed per participant and in total; a participant whose turn comes after the
budget keeps the step-1 bound, so the sum stays valid whatever the time limits.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from escp4i.scheduler.problem import SchedulingProblem


def _runs(mask: int) -> list[int]:
    """Lengths of the runs of consecutive set bits of ``mask``, longest first."""
    runs = []
    while mask:
        low = (mask & -mask).bit_length() - 1
        length = 0
        while mask >> (low + length) & 1:
            length += 1
        runs.append(length)
        mask &= ~(((1 << length) - 1) << low)
    return sorted(runs, reverse=True)


def runs_bound(masks: Sequence[int]) -> int:
    """Breaks forced by the union of usable slots alone (fewest runs covering d slots, - 1)."""
    union = 0
    for mask in masks:
        union |= mask
    covered = k = 0
    for length in _runs(union):
        if covered >= len(masks):
            break
        covered += length
        k += 1
    return max(0, k - 1)


def _fits_interval(classes: Sequence[tuple[int, int]], first: int, length: int) -> bool:
    """Least-slack greedy: fill slots first..first+length-1, each with a meeting allowed there.

    Constructive, so True is a proof that one run suffices; False proves nothing.
    """
    window = ((1 << length) - 1) << first
    left = [n for _, n in classes]
    masks = [mask & window for mask, _ in classes]
    for t in range(first, first + length):
        later = ~((1 << (t + 1)) - 1)
        best = -1
        best_slack = 1 << 30
        for c, mask in enumerate(masks):
            if left[c] and mask >> t & 1:
                slack = (mask & later).bit_count() - (left[c] - 1)
                if slack < best_slack:
                    best, best_slack = c, slack
        if best < 0:
            return False
        left[best] -= 1
        for c, mask in enumerate(masks):
            if left[c] and (mask & later).bit_count() < left[c]:
                return False
    return True


def _one_run(classes: Sequence[tuple[int, int]], d: int, union: int, n_slots: int) -> bool:
    for first in range(1, n_slots - d + 2):
        window = ((1 << d) - 1) << first
        if union & window == window and _fits_interval(classes, first, d):
            return True
    return False


@dataclass(frozen=True, slots=True)
class BreakBound:
    """``per_participant``: participant id -> proven minimum of its own breaks (only the
    non-zero ones). ``exact``: participants whose value is their exact own minimum. ``total``
    is the bound; ``complete`` is false when the time budget cut step 3 short."""

    per_participant: Mapping[int, int]
    total: int
    complete: bool
    seconds: float
    solved: int  # participants that needed CP-SAT


def own_minimum_breaks(
    problem: SchedulingProblem,
    scheduled: Sequence[int],
    *,
    time_limit_s: float = 10.0,
    per_participant_s: float = 0.5,
    masks: Mapping[int, int],
) -> BreakBound:
    """Σ over participants of their own exact minimum breaks (see the module docstring).

    ``masks``: meeting id -> bitmask of its usable slots (bit t = slot t), as computed by
    ``twosided``."""
    # Imported here: this module is imported with the package (by way of ``solve`` and
    # ``twosided``), also by the MaxSAT worker processes, and OR-Tools (with pandas) costs about
    # a second of CPU per process to import.
    from escp4i.scheduler.cpsat import own_breaks_minimum

    started = time.monotonic()
    deadline = started + time_limit_s
    usable = masks
    meetings = {m.id: m for m in problem.meetings}
    of: dict[int, list[int]] = {}
    for mid in scheduled:
        for pid in meetings[mid].participants:
            of.setdefault(pid, []).append(usable[mid])
    result: dict[int, int] = {}
    complete = True
    solved = 0
    # Cheap steps first for everyone, so the CP-SAT budget goes where it is needed.
    hard: list[tuple[int, list[tuple[int, int]], int]] = []
    for pid, own in of.items():
        d = len(own)
        if d < 2:
            continue
        base = runs_bound(own)
        classes = sorted(Counter(own).items())
        union = 0
        for mask in own:
            union |= mask
        if base == 0 and _one_run(classes, d, union, problem.n_slots):
            continue
        if base:
            result[pid] = base
        hard.append((pid, classes, base))
    for pid, classes, base in sorted(hard, key=lambda h: sum(n for _, n in h[1])):
        left = deadline - time.monotonic()
        if left <= 0:
            complete = False
            continue
        value, _optimal = own_breaks_minimum(classes, problem.n_slots, min(per_participant_s, left))
        solved += 1
        if max(base, value):
            result[pid] = max(base, value)
    return BreakBound(result, sum(result.values()), complete, time.monotonic() - started, solved)
