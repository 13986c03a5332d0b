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

import json
import threading
import time
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from escp4i.scheduler._subprocess import start_worker, stop_worker
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


Hard = tuple[int, list[tuple[int, int]], int]  # participant, meeting classes, runs bound


def participant_masks(
    problem: SchedulingProblem, scheduled: Sequence[int], masks: Mapping[int, int]
) -> dict[int, list[int]]:
    """Participant id -> the usable-slot masks of its meetings among ``scheduled``."""
    meetings = {m.id: m for m in problem.meetings}
    of: dict[int, list[int]] = {}
    for mid in scheduled:
        for pid in meetings[mid].participants:
            of.setdefault(pid, []).append(masks[mid])
    return of


def cheap_minima(
    of: Mapping[int, Sequence[int]], n_slots: int
) -> tuple[dict[int, int], list[Hard]]:
    """Steps 1 and 2 for everyone: the non-zero runs bounds, and the participants step 3 is
    for (those not proven to need no break), fewest meetings first."""
    result: dict[int, int] = {}
    hard: list[Hard] = []
    for pid, own in of.items():
        d = len(own)
        if d < 2:
            continue
        base = runs_bound(own)
        classes = sorted(Counter(own).items())
        union = 0
        for mask in own:
            union |= mask
        if base == 0 and _one_run(classes, d, union, n_slots):
            continue
        if base:
            result[pid] = base
        hard.append((pid, classes, base))
    hard.sort(key=lambda h: sum(n for _, n in h[1]))
    return result, hard


def exact_minima(
    hard: Sequence[Hard], n_slots: int, *, deadline: float, per_participant_s: float
) -> Iterator[tuple[int, int]]:
    """Step 3, in order, until ``deadline`` (``time.monotonic``): (participant, proven minimum,
    never below its runs bound) for each participant solved."""
    # Imported here: this module is imported with the package (by way of ``solve`` and
    # ``twosided``), also by the MaxSAT worker processes, and OR-Tools (with pandas) costs about
    # a second of CPU per process to import.
    from escp4i.scheduler.cpsat import own_breaks_minimum

    for pid, classes, base in hard:
        left = deadline - time.monotonic()
        if left <= 0:
            return
        value, _optimal = own_breaks_minimum(classes, n_slots, min(per_participant_s, left))
        yield pid, max(base, value)


def exact_bound(
    base: Mapping[int, int],
    hard: Sequence[Hard],
    n_slots: int,
    *,
    started: float,
    time_limit_s: float,
    per_participant_s: float = 0.5,
) -> BreakBound:
    """Step 3 in this process after ``cheap_minima`` (``base``, ``hard``), until ``started +
    time_limit_s`` (``time.monotonic``); ``seconds`` counts from ``started``."""
    result = dict(base)
    solved = 0
    for pid, value in exact_minima(
        hard, n_slots, deadline=started + time_limit_s, per_participant_s=per_participant_s
    ):
        solved += 1
        if value:
            result[pid] = value
    return BreakBound(
        result, sum(result.values()), solved == len(hard), time.monotonic() - started, solved
    )


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
    started = time.monotonic()
    base, hard = cheap_minima(participant_masks(problem, scheduled, masks), problem.n_slots)
    return exact_bound(
        base,
        hard,
        problem.n_slots,
        started=started,
        time_limit_s=time_limit_s,
        per_participant_s=per_participant_s,
    )


WORKER_MODULE = "escp4i.scheduler._bound_worker"


class BoundProcess:
    """Step 3 (``exact_minima``) in a worker process (``_bound_worker``), so it runs beside the
    caller's search on another core; ``result`` collects what it has proven by then.

    ``base``, ``hard``: what ``cheap_minima`` returned (computed by the caller: cheap, and when
    ``hard`` is empty no process is needed). The worker reports each participant as it solves
    it, so the sum of what has arrived is a valid bound whenever the caller stops waiting."""

    def __init__(
        self,
        base: Mapping[int, int],
        hard: Sequence[Hard],
        n_slots: int,
        *,
        time_limit_s: float,
        per_participant_s: float = 0.5,
    ) -> None:
        self.started = time.monotonic()
        self.ended: float | None = None
        self.values = dict(base)
        self.to_solve = len(hard)
        self.solved = 0
        self.error = ""
        self.lock = threading.Lock()
        self.done = threading.Event()
        request = {
            "n_slots": n_slots,
            "hard": [[pid, [list(c) for c in classes], b] for pid, classes, b in hard],
            "time_limit_s": time_limit_s,
            "per_participant_s": per_participant_s,
        }
        self.proc, self.stderr = start_worker(WORKER_MODULE, request)
        self.thread = threading.Thread(target=self._read, name="break-bound-reader", daemon=True)
        self.thread.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None  # noqa: S101 (Popen with stdout=PIPE)
        try:
            for line in self.proc.stdout:
                event = json.loads(line)
                with self.lock:
                    if event["event"] == "own":
                        self.solved += 1
                        if int(event["value"]):
                            self.values[int(event["participant"])] = int(event["value"])
                    elif event["event"] == "done":
                        self.ended = time.monotonic()
        except (ValueError, KeyError, TypeError) as exc:
            self.error = f"unreadable worker output: {exc}"
        finally:
            self.done.set()

    def result(self, wait_until: float) -> BreakBound:
        """Wait for the worker until ``wait_until`` (``time.monotonic``) at most, stop it, and
        return the bound proven so far (if the worker failed, ``error`` says why and the bound
        is what it had sent: at least the cheap steps' values)."""
        self.done.wait(max(0.0, wait_until - time.monotonic()))
        failure = stop_worker(self.proc, self.stderr, self.thread)
        if failure and not self.error:
            self.error = failure
        with self.lock:
            ended = self.ended if self.ended is not None else time.monotonic()
            return BreakBound(
                dict(self.values),
                sum(self.values.values()),
                self.solved == self.to_solve,
                ended - self.started,
                self.solved,
            )
