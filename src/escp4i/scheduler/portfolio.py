"""The exact portfolio for events where every meeting fits: MaxSAT and CP-SAT racing on the
same question, sharing one best schedule and one lower bound.

* The MaxSAT engine (``maxsat``, core-guided RC2) runs in a worker process on its own core;
  every core it finds raises the lower bound, and it ends with an optimal schedule.
* With two or more workers, a second worker process runs the linear search on the same
  encoding (``maxsat.solve_linear``): each schedule it finds is offered to the race, each one
  with fewer breaks than the last, and its last call proves optimality. It finds the schedules
  core-guided search is slow to reach (ticf-13crafc: a 1-break schedule), RC2 proves the
  bounds it is slow to prove. It starts with one optimistic call of at most 1 s asking for a
  schedule without breaks (``solve_linear(optimistic_s=...)``).
* In this process, CP-SAT runs contiguity probes "at most K breaks?" with K = the current lower
  bound (``cpsat.probe_contiguous``): a refutation raises the bound, a schedule with K breaks
  closes the gap. Probes start short and get longer when they time out. With exactly two
  workers (both cores taken by the worker processes) only the first, short probe runs, unless
  the linear worker has stopped.
* If the gap is still open after 65 % of the time, the linear worker stops and the large-event
  local search (``twosided.schedule_large``, fairness cap as a penalty) runs in this process
  beside the MaxSAT worker until it is stopped or 5 % of the time is left: on events of several
  hundred meetings the SAT engines' schedules stay poor while it finds good ones. CP-SAT then
  improves the best schedule (``cpsat.solve_phase``) until the end.

The race stops as soon as the lower bound reaches the best schedule's breaks. With one worker
the MaxSAT process runs alone for 70 % of the time first (so the answer depends only on the
input whenever it finishes), then CP-SAT and the local search use what is left.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from escp4i.scheduler._subprocess import start_worker, stop_worker
from escp4i.scheduler.breaks import participant_breaks, total_breaks
from escp4i.scheduler.cpsat import Phase, StopToken, probe_contiguous, solve_phase
from escp4i.scheduler.io import problem_to_dict
from escp4i.scheduler.problem import SchedulingProblem

Progress = Callable[[str], None]

WORKER_MODULE = "escp4i.scheduler._maxsat_worker"
# The SAT solver of the linear search: on the JAIR instances MergeSat 3 found ticf-13crafc's
# 1-break schedule in 14-15 s, CaDiCaL 1.9.5 in 48-51 s, MapleChrono in 21-24 s (with a
# 5-15 s first call on every instance), Glucose 4 not in 60 s (docs/benchmarks.md).
LINEAR_SOLVER = "mergesat3"
# Per worker engine: SAT solver, progress label, name in the notes, unit of its count.
_ENGINES = {
    "rc2": ("cadical195", "maxsat", "MaxSAT", "cores"),
    "linear": (LINEAR_SOLVER, "sat-linear", "SAT search", "SAT calls"),
}
_PROBE_FIRST_S = 0.5
# The linear worker's first, separate attempt at a schedule without breaks (but the constant
# ones): MergeSat finds tic-13's in 0.2 s and tic-14crafa's in 1.0 s, where RC2 needs 2.3 s and
# 3.1 s (on the slower VM).
_LINEAR_OPTIMISTIC_S = 1.0
_EXACT_ALONE_SHARE = 0.65  # of the time for the exact engines (and probes) alone
_CP_FINISH_SHARE = 0.05  # of the time for CP-SAT improvement at the end


@dataclass(slots=True)
class PortfolioResult:
    status: str  # "optimal" | "feasible" | "infeasible" | "unknown"
    slot_of: dict[int, int] = field(default_factory=dict)
    breaks: int | None = None
    lower_bound: int = 0
    solutions: int = 0
    bound_source: str = ""
    solution_source: str = ""
    notes: list[str] = field(default_factory=list)
    phases: list[str] = field(default_factory=list)


class _Race:
    """The shared best schedule and lower bound; sets ``done`` when they meet."""

    def __init__(self, problem: SchedulingProblem, cap: int | None, stop: StopToken) -> None:
        self.problem = problem
        self.cap = cap
        self.stop = stop
        self.lock = threading.Lock()
        self.done = threading.Event()
        self.lower = 0
        self.lower_source = ""
        self.best: dict[int, int] | None = None
        self.best_breaks: int | None = None
        self.best_source = ""
        self.solutions = 0
        self.infeasible = False

    def _check(self) -> None:
        if self.infeasible or (self.best_breaks is not None and self.lower >= self.best_breaks):
            self.done.set()
            self.stop.stop()

    def fits(self, slot_of: Mapping[int, int]) -> bool:
        """Every meeting placed and no participant over the cap."""
        if len(slot_of) != len(self.problem.meetings):
            return False
        if self.cap is None:
            return True
        return max(participant_breaks(self.problem, slot_of).values(), default=0) <= self.cap

    def offer(self, slot_of: Mapping[int, int], source: str) -> int | None:
        """Record a schedule if it is complete, fair and better; returns its breaks."""
        if not self.fits(slot_of):
            return None
        breaks = total_breaks(self.problem, slot_of)
        with self.lock:
            self.solutions += 1
            if self.best_breaks is None or breaks < self.best_breaks:
                self.best, self.best_breaks, self.best_source = dict(slot_of), breaks, source
            self._check()
        return breaks

    def raise_lower(self, value: int, source: str) -> bool:
        with self.lock:
            if value <= self.lower:
                return False
            self.lower, self.lower_source = value, source
            self._check()
            return True

    def prove_infeasible(self) -> None:
        with self.lock:
            self.infeasible = True
            self._check()


class _MaxSatProcess:
    """A worker process of one SAT engine (``_ENGINES``) and the thread reading its events."""

    def __init__(
        self,
        problem: SchedulingProblem,
        cap: int | None,
        race: _Race,
        say: Progress,
        engine: str = "rc2",
    ) -> None:
        self.race = race
        self.say = say
        solver, self.label, self.name, self.unit = _ENGINES[engine]
        self.finished = threading.Event()
        self.status = ""
        self.cores = 0
        self.seconds = 0.0
        self.error = ""
        request = {
            "problem": problem_to_dict(problem),
            "cap": cap,
            "solver": solver,
            "engine": engine,
            "optimistic_s": _LINEAR_OPTIMISTIC_S if engine == "linear" else 0.0,
        }
        self.proc, self.stderr = start_worker(WORKER_MODULE, request)
        self.thread = threading.Thread(target=self._read, name=f"{self.label}-reader", daemon=True)
        self.thread.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None  # noqa: S101 (Popen with stdout=PIPE)
        try:
            label = self.label
            for line in self.proc.stdout:
                event = json.loads(line)
                if event.get("event") == "bound":
                    if self.race.raise_lower(int(event["value"]), label):
                        self.say(f"{label}: lower bound {event['value']}")
                elif event.get("event") == "solution":
                    slot_of = {int(m): int(t) for m, t in event["slots"]}
                    breaks = self.race.offer(slot_of, label)
                    self.say(f"{label}: schedule with {breaks} breaks")
                elif event.get("event") == "result":
                    self.status = str(event["status"])
                    self.cores = int(event.get("cores", 0))
                    self.seconds = float(event.get("seconds", 0.0))
                    if self.status == "infeasible":
                        self.say(f"{label}: no schedule respects the fairness cap")
                        self.race.prove_infeasible()
                    else:
                        slot_of = {int(m): int(t) for m, t in event["slots"]}
                        breaks = self.race.offer(slot_of, label)
                        if breaks is not None:
                            self.race.raise_lower(breaks, label)
                        self.say(f"{label}: optimal, {breaks} breaks ({self.seconds:.1f} s)")
        except (ValueError, KeyError, TypeError) as exc:
            self.error = f"unreadable worker output: {exc}"
        finally:
            self.finished.set()

    def stop(self) -> None:
        failure = stop_worker(self.proc, self.stderr, self.thread)
        if failure and not self.status and not self.error:
            self.error = failure


def solve_all_required(
    problem: SchedulingProblem,
    *,
    cap: int | None,
    time_limit_s: float,
    workers: int,
    seed: int,
    hint: Mapping[int, int] | None = None,
    progress: Progress | None = None,
) -> PortfolioResult:
    """Schedule every meeting of ``problem`` with at most ``cap`` breaks per participant and
    as few breaks in total as possible, proving optimality when time allows."""
    started = time.monotonic()
    deadline = started + time_limit_s

    def remaining() -> float:
        return max(0.0, deadline - time.monotonic())

    def say(message: str) -> None:
        if progress is not None:
            progress(f"[{time.monotonic() - started:7.2f}s] {message}")

    stop = StopToken()
    race = _Race(problem, cap, stop)
    result = PortfolioResult("unknown")
    if hint:
        breaks = race.offer(hint, "greedy")
        if breaks is not None:
            say(f"greedy: {breaks} breaks")
    maxsat = _MaxSatProcess(problem, cap, race, say)
    result.phases.append("maxsat")
    engines = [maxsat]
    linear: _MaxSatProcess | None = None
    if workers >= 2:
        linear = _MaxSatProcess(problem, cap, race, say, engine="linear")
        result.phases.append("sat_linear")
        engines.append(linear)
    cp_workers = max(1, workers - len(engines))

    def keep_probing(probes: int) -> bool:
        # Two workers: both cores run the worker processes after the first, short probe.
        return workers != 2 or probes == 0 or linear is None or linear.finished.is_set()

    try:
        if workers <= 1:
            # One core: MaxSAT alone first, so a finished run depends only on the input.
            maxsat.finished.wait(timeout=time_limit_s * 0.7)

        def before_local_search() -> None:
            # The linear search has not finished in its time: on such events its schedules
            # stay poor, so its core (and memory) go to the local search.
            if linear is not None and not linear.finished.is_set():
                linear.stop()
                say("sat-linear: stopped for the local search")

        _cp_side(
            problem,
            race,
            cap,
            remaining,
            cp_workers,
            seed,
            stop,
            say,
            result,
            keep_probing,
            before_local_search,
        )
        # Nothing left to do here: wait for the worker processes until the time is up.
        while (
            not race.done.is_set()
            and not all(engine.finished.is_set() for engine in engines)
            and remaining() > 0
        ):
            race.done.wait(timeout=min(0.05, remaining()))
    finally:
        for engine in engines:
            engine.stop()
    for process in engines:
        if process.error:
            result.notes.append(f"{process.name} engine: {process.error}")
        if process.status:
            result.notes.append(
                f"{process.name}: {process.status} after {process.cores} {process.unit}"
            )
    result.solutions = race.solutions
    result.lower_bound = race.lower
    result.bound_source = race.lower_source
    if race.infeasible:
        result.status = "infeasible"
        return result
    if race.best is None:
        return result
    result.slot_of = race.best
    result.breaks = race.best_breaks
    result.solution_source = race.best_source
    result.status = "optimal" if race.lower >= (race.best_breaks or 0) else "feasible"
    return result


def _cp_side(
    problem: SchedulingProblem,
    race: _Race,
    cap: int | None,
    remaining: Callable[[], float],
    workers: int,
    seed: int,
    stop: StopToken,
    say: Progress,
    result: PortfolioResult,
    keep_probing: Callable[[int], bool] = lambda _probes: True,
    before_local_search: Callable[[], None] = lambda: None,
) -> None:
    """This process's share of the race: contiguity probes while ``keep_probing(probes so
    far)`` during the first ``_EXACT_ALONE_SHARE`` of the time; then, if the gap is still open,
    the local search beside the worker processes, and CP-SAT improvement at the end."""
    total = remaining()
    local_at = (1.0 - _EXACT_ALONE_SHARE) * total  # remaining() when the local search starts
    budget = _PROBE_FIRST_S
    probes = 0
    while not race.done.is_set() and remaining() > local_at + 0.05:
        window = remaining() - local_at
        if not keep_probing(probes):
            race.done.wait(timeout=min(0.05, window))
            continue
        probes += 1
        k = race.lower
        result.phases.append(f"probe<={k}")
        probe = probe_contiguous(
            problem,
            max_breaks=k,
            cap=cap,
            time_limit_s=min(budget, window),
            workers=workers,
            seed=seed,
            stop=stop,
        )
        if probe.status == "infeasible":
            if race.raise_lower(k + 1, "cp-sat probes"):
                say(f"cp-sat: no schedule with ≤ {k} breaks; lower bound {k + 1}")
        elif probe.slot_of:
            breaks = race.offer(probe.slot_of, "cp-sat probe")
            say(f"cp-sat: schedule with {breaks} breaks")
        elif not stop.stopped:
            budget *= 2
    if race.done.is_set() or remaining() <= 0.05:
        return
    # The exact engines did not close the gap in their time alone. On larger events their
    # schedules stay poor (a 500-meeting synthetic event: 95 breaks from the SAT search where
    # the local search reaches 16), so the local search runs beside them until it is stopped.
    from escp4i.scheduler.twosided import schedule_large  # local search, no CP-SAT

    before_local_search()
    result.phases.append("local_search")
    found = schedule_large(
        problem,
        time_limit_s=max(1.0, remaining() - _CP_FINISH_SHARE * total),
        seed=seed,
        fairness=cap,
        stop=race.done.is_set,
        with_bound=False,
    )
    breaks = race.offer(found.slot_of(), "local search")
    say(f"local search: {breaks if breaks is not None else 'no fair'} schedule")
    if race.done.is_set() or remaining() <= 0.05:
        return
    result.phases.append("min_breaks")
    improved = solve_phase(
        problem,
        Phase("min_breaks", frozenset(m.id for m in problem.meetings), fairness=None, cap=cap),
        time_limit_s=remaining(),
        workers=workers,
        seed=seed,
        hint=race.best,
        stop=stop,
    )
    if improved.slot_of:
        race.offer(improved.slot_of, "cp-sat")
    if improved.bound is not None:
        race.raise_lower(int(improved.bound + 0.999999), "cp-sat")
