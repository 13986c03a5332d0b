"""The CP-SAT model of the B2B meeting-scheduling problem: the only module importing OR-Tools.

One model builder serves every phase of ``solve``: maximising the (priority-weighted) number of
scheduled meetings, minimising breaks under the fairness bound, and feasibility probes "at most K
breaks" that raise the lower bound. The break encoding is the per-slot "a break starts here"
boolean of SCHEDULER-NOTES (calibrated on the JAIR 2022 instances), with the implied constraints
of the paper's best encoding. See docs/scheduler.md for the formulation.
"""

from __future__ import annotations

import itertools
import math
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model

from escp4i.scheduler.breaks import breaks_of_slots
from escp4i.scheduler.problem import SchedulingProblem
from escp4i.scheduler.symmetry import canonical, interchangeable_meetings

Progress = Callable[[str], None]

_STATUS = {
    cp_model.OPTIMAL: "optimal",
    cp_model.FEASIBLE: "feasible",
    cp_model.INFEASIBLE: "infeasible",
    cp_model.MODEL_INVALID: "invalid",
    cp_model.UNKNOWN: "unknown",
}


@dataclass(frozen=True, slots=True)
class CpResult:
    status: str
    slot_of: dict[int, int]
    objective: float | None
    bound: float | None
    solutions: int
    seconds: float


class StopToken:
    """Lets another thread stop the CP-SAT search in progress (and every later one)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._solver: cp_model.CpSolver | None = None
        self.stopped = False

    def attach(self, solver: cp_model.CpSolver | None) -> None:
        with self._lock:
            self._solver = solver
            if solver is not None and self.stopped:
                solver.stop_search()

    def stop(self) -> None:
        with self._lock:
            self.stopped = True
            if self._solver is not None:
                self._solver.stop_search()


def _configure(
    solver: cp_model.CpSolver,
    *,
    time_limit_s: float,
    workers: int,
    seed: int,
    params: Mapping[str, object] | None,
) -> None:
    solver.parameters.max_time_in_seconds = max(0.05, time_limit_s)
    solver.parameters.num_workers = max(1, workers)
    solver.parameters.random_seed = seed
    if workers <= 1:
        solver.parameters.interleave_search = False
    for key, value in (params or {}).items():
        setattr(solver.parameters, key, value)


def _run(
    solver: cp_model.CpSolver,
    model: cp_model.CpModel,
    callback: cp_model.CpSolverSolutionCallback | None,
    stop: StopToken | None,
) -> cp_model.CpSolverStatus:
    if stop is not None:
        if stop.stopped:
            return cp_model.UNKNOWN
        stop.attach(solver)
    try:
        return solver.solve(model, callback)
    finally:
        if stop is not None:
            stop.attach(None)


@dataclass(frozen=True, slots=True)
class Phase:
    """What one CP-SAT call should do.

    ``goal``: "max_scheduled" (maximise weighted scheduled meetings; breaks ignored),
    "min_breaks" (minimise total breaks), "probe" (find any schedule with breaks ≤ ``break_cap``).
    ``required``: meetings that must be scheduled; the others are optional (or excluded when
    ``optional_allowed`` is false). ``min_weight``: lower bound on the weighted scheduled count.
    """

    goal: str
    required: frozenset[int]
    optional_allowed: bool = False
    min_weight: int | None = None
    break_cap: int | None = None
    fairness: int | None = 2
    cap: int | None = None  # at most this many breaks per participant


class _Callback(cp_model.CpSolverSolutionCallback):
    def __init__(
        self, label: str, progress: Progress | None, started: float, soft_limit_s: float | None
    ) -> None:
        super().__init__()
        self.label = label
        self.progress = progress
        self.started = started
        self.soft_limit_s = soft_limit_s
        self.count = 0

    def on_solution_callback(self) -> None:
        self.count += 1
        elapsed = time.monotonic() - self.started
        if self.soft_limit_s is not None and elapsed > self.soft_limit_s:
            # Past the soft limit with a solution in hand: leave the rest to the bound probes.
            self.stop_search()
        if self.progress is not None:
            self.progress(
                f"[{time.monotonic() - self.started:7.2f}s] {self.label}: solution "
                f"{self.count}, objective {self.objective_value:g}, "
                f"bound {self.best_objective_bound:g}"
            )


def solve_phase(
    problem: SchedulingProblem,
    phase: Phase,
    *,
    time_limit_s: float,
    workers: int,
    seed: int,
    hint: Mapping[int, int] | None = None,
    progress: Progress | None = None,
    soft_limit_s: float | None = None,
    stop: StopToken | None = None,
    params: Mapping[str, object] | None = None,
) -> CpResult:
    """Run one phase. ``soft_limit_s``: stop at the first solution found after this long.

    ``stop``: another thread may end the search early; ``params``: extra CP-SAT parameters.
    """
    started = time.monotonic()
    model = cp_model.CpModel()
    meetings = {m.id: m for m in problem.meetings}
    participants = problem.participant_map()
    active = [m for m in problem.meetings if m.id in phase.required or phase.optional_allowed]
    allowed = {m.id: problem.allowed_slots(m) for m in active}

    # Variables: x[m, t] = meeting m is held in slot t (only for slots it may use).
    x: dict[tuple[int, int], cp_model.IntVar] = {}
    scheduled: dict[int, cp_model.IntVar | int] = {}
    for m in active:
        for t in allowed[m.id]:
            x[m.id, t] = model.new_bool_var(f"x_{m.id}_{t}")
        if m.id in phase.required:
            # Every required meeting is held in exactly one slot.
            if not allowed[m.id]:
                return CpResult("infeasible", {}, None, None, 0, time.monotonic() - started)
            model.add_exactly_one(x[m.id, t] for t in allowed[m.id])
            scheduled[m.id] = 1
        else:
            s = model.new_bool_var(f"s_{m.id}")
            model.add(sum(x[m.id, t] for t in allowed[m.id]) == s)
            scheduled[m.id] = s

    # Precedences: a meeting is held only if its predecessors are, and strictly after them.
    slot_expr = {m.id: sum(t * x[m.id, t] for t in allowed[m.id]) for m in active}
    for m in active:
        s_m = scheduled[m.id]
        for before in m.after:
            s_b = scheduled.get(before)
            if s_b is None:  # the predecessor is not part of this phase
                if isinstance(s_m, int):
                    return CpResult("infeasible", {}, None, None, 0, time.monotonic() - started)
                model.add(s_m == 0)
                continue
            if not isinstance(s_b, int):
                if isinstance(s_m, int):
                    model.add(s_b == 1)
                else:
                    model.add_implication(s_m, s_b)
            order = model.add(slot_expr[before] + 1 <= slot_expr[m.id])
            if not isinstance(s_m, int):
                order.only_enforce_if(s_m)

    # Symmetry (symmetry.py): within each group of interchangeable meetings of the same status
    # in this phase, slots in id order; among optional ones the scheduled come first.
    symmetric: list[list[int]] = []
    for group in interchangeable_meetings(problem):
        symmetric.append([mid for mid in group if mid in phase.required])
        symmetric.append([mid for mid in group if mid in allowed and mid not in phase.required])
    for members in symmetric:
        for first, second in itertools.pairwise(members):
            order = model.add(slot_expr[first] <= slot_expr[second])
            s_second = scheduled[second]
            if not isinstance(s_second, int):
                s_first = scheduled[first]
                assert not isinstance(s_first, int)  # noqa: S101 (both optional by construction)
                model.add_implication(s_second, s_first)
                order.only_enforce_if(s_second)

    # At most L meetings per slot (tables).
    by_slot: dict[int, list[cp_model.IntVar]] = {}
    for (_mid, t), var in x.items():
        by_slot.setdefault(t, []).append(var)
    for vars_ in by_slot.values():
        if len(vars_) > problem.tables:
            model.add(sum(vars_) <= problem.tables)

    # No participant in two meetings at once; busy[p, t] is exactly "p meets in slot t".
    mine: dict[int, list[int]] = {p.id: [] for p in problem.participants}
    for m in active:
        for pid in m.participants:
            mine[pid].append(m.id)
    busy: dict[tuple[int, int], cp_model.IntVar] = {}
    for pid, mids in mine.items():
        slots_of_p = sorted({t for mid in mids for t in allowed[mid]})
        for t in slots_of_p:
            terms = [x[mid, t] for mid in mids if (mid, t) in x]
            b = model.new_bool_var(f"busy_{pid}_{t}")
            model.add(sum(terms) == b)
            busy[pid, t] = b
        # Per-participant maximum number of meetings.
        limit = participants[pid].max_meetings
        if limit is not None and len(mids) > limit:
            model.add(sum(scheduled[mid] for mid in mids) <= limit)
        # Implied: busy slots add up to the participant's meeting count.
        if slots_of_p:
            model.add(sum(busy[pid, t] for t in slots_of_p) == sum(scheduled[mid] for mid in mids))
    # Implied: per slot, busy participants = total size of the meetings held there.
    for t in by_slot:
        people = [busy[pid, t] for pid in mine if (pid, t) in busy]
        sizes = [len(meetings[mid].participants) * x[mid, t] for mid in allowed if (mid, t) in x]
        model.add(sum(people) == sum(sizes))

    # Breaks: brk[p, t] = p meets in t, not in t-1, and has met someone before t.
    fixed_breaks: dict[int, int] = {}
    break_terms: dict[int, list[cp_model.IntVar]] = {}
    for pid, mids in mine.items():
        slots_of_p = sorted({t for mid in mids for t in allowed[mid]})
        all_required = all(isinstance(scheduled[mid], int) for mid in mids)
        if not slots_of_p or (all_required and len(mids) <= 1):
            fixed_breaks[pid] = 0
            continue
        if all_required and len(mids) == len(slots_of_p):
            # Busy in every slot it can use: its breaks are the gaps between those slots.
            fixed_breaks[pid] = breaks_of_slots(slots_of_p)
            continue
        first, last = slots_of_p[0], slots_of_p[-1]
        met_before = model.new_constant(0)
        previous: cp_model.IntVar | int = 0
        break_vars: list[cp_model.IntVar] = []
        for t in range(first, last + 1):
            current = busy.get((pid, t))
            if t > first:
                mb = model.new_bool_var(f"mb_{pid}_{t}")
                # met_before(t) = met_before(t-1) or busy(t-1)
                if isinstance(previous, int):
                    model.add(mb == met_before)
                else:
                    model.add_max_equality(mb, [met_before, previous])
                met_before = mb
                if current is not None and not isinstance(previous, int):
                    brk = model.new_bool_var(f"brk_{pid}_{t}")
                    model.add_bool_and([current, previous.negated(), mb]).only_enforce_if(brk)
                    model.add_bool_or([current.negated(), previous, mb.negated()]).only_enforce_if(
                        brk.negated()
                    )
                    break_vars.append(brk)
                elif current is not None:
                    brk = model.new_bool_var(f"brk_{pid}_{t}")
                    model.add_bool_and([current, mb]).only_enforce_if(brk)
                    model.add_bool_or([current.negated(), mb.negated()]).only_enforce_if(
                        brk.negated()
                    )
                    break_vars.append(brk)
            previous = current if current is not None else 0
        break_terms[pid] = break_vars

    # Per-participant cap (fairness when some participant has no break in any schedule).
    if phase.cap is not None and phase.goal != "max_scheduled":
        if any(c > phase.cap for c in fixed_breaks.values()):
            return CpResult("infeasible", {}, None, None, 0, time.monotonic() - started)
        for terms in break_terms.values():
            if len(terms) > phase.cap:
                model.add(sum(terms) <= phase.cap)
    total_fixed = sum(fixed_breaks.values())
    total_breaks = sum(sum(terms) for terms in break_terms.values()) + total_fixed

    # Fairness: break counts of any two participants differ by at most d.
    if phase.goal != "max_scheduled" and phase.fairness is not None and problem.participants:
        horizon = problem.n_slots
        hi = model.new_int_var(0, horizon, "breaks_max")
        lo = model.new_int_var(0, horizon, "breaks_min")
        for pid in mine:
            count = sum(break_terms[pid]) if pid in break_terms else fixed_breaks.get(pid, 0)
            model.add(hi >= count)
            model.add(lo <= count)
        model.add(hi - lo <= phase.fairness)
        # A participant with a constant break count c pins the range: everyone has at most
        # c + d breaks (with c = 0 this is the paper's "at most d breaks each").
        if fixed_breaks:
            cap = min(fixed_breaks.values()) + phase.fairness
            for terms in break_terms.values():
                model.add(sum(terms) <= cap)

    weight = sum(meetings[mid].priority * scheduled[mid] for mid in scheduled)
    if phase.min_weight is not None:
        model.add(weight >= phase.min_weight)
    if phase.goal == "max_scheduled":
        model.maximize(weight)
    elif phase.goal == "min_breaks":
        model.minimize(total_breaks)
    else:
        cap = phase.break_cap if phase.break_cap is not None else 0
        model.add(total_breaks <= cap)

    if hint:
        hint = canonical(hint, symmetric)  # permuted to satisfy the symmetry constraints
        for (mid, t), var in x.items():
            model.add_hint(var, 1 if hint.get(mid) == t else 0)

    solver = cp_model.CpSolver()
    _configure(solver, time_limit_s=time_limit_s, workers=workers, seed=seed, params=params)
    callback = _Callback(phase.goal, progress, started, soft_limit_s)
    code = _run(solver, model, callback, stop)
    status = _STATUS.get(code, "unknown")
    slot_of: dict[int, int] = {}
    objective = bound = None
    if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        for (mid, t), var in x.items():
            if solver.boolean_value(var):
                slot_of[mid] = t
        if phase.goal != "probe":
            objective = solver.objective_value
            bound = solver.best_objective_bound
    return CpResult(
        status,
        slot_of,
        objective,
        bound,
        max(callback.count, 1 if slot_of else 0),
        time.monotonic() - started,
    )


def probe_contiguous(
    problem: SchedulingProblem,
    *,
    max_breaks: int,
    cap: int | None,
    time_limit_s: float,
    workers: int,
    seed: int,
    stop: StopToken | None = None,
    params: Mapping[str, object] | None = None,
) -> CpResult:
    """Is there a schedule of every meeting with at most ``max_breaks`` breaks in total?

    The model states contiguity directly: a participant without a break fills one block of
    consecutive usable slots (one-hot block start, ``busy`` equal to the blocks covering the
    slot), and only the at most ``max_breaks`` participants marked "relaxed" may have breaks,
    counted as in ``solve_phase`` (and at most ``cap`` each). CP-SAT's presolve refutes small
    ``max_breaks`` here in a fraction of a second where the plain break model needs minutes,
    which raises the lower bound; a feasible answer is a schedule with at most that many breaks.
    """
    started = time.monotonic()
    model = cp_model.CpModel()
    allowed = {m.id: problem.allowed_slots(m) for m in problem.meetings}
    x: dict[tuple[int, int], cp_model.IntVar] = {}
    for m in problem.meetings:
        if not allowed[m.id]:
            return CpResult("infeasible", {}, None, None, 0, time.monotonic() - started)
        for t in allowed[m.id]:
            x[m.id, t] = model.new_bool_var(f"x_{m.id}_{t}")
        # Every meeting in exactly one slot.
        model.add_exactly_one(x[m.id, t] for t in allowed[m.id])
    # Precedences: strictly after each predecessor.
    slot_expr = {m.id: sum(t * x[m.id, t] for t in allowed[m.id]) for m in problem.meetings}
    for m in problem.meetings:
        for before in m.after:
            model.add(slot_expr[before] + 1 <= slot_expr[m.id])
    # Symmetry (symmetry.py): interchangeable meetings in non-decreasing slot order.
    for group in interchangeable_meetings(problem):
        for first, second in itertools.pairwise(group):
            model.add(slot_expr[first] <= slot_expr[second])
    # At most `tables` meetings per slot.
    by_slot: dict[int, list[cp_model.IntVar]] = {}
    for (_mid, t), var in x.items():
        by_slot.setdefault(t, []).append(var)
    for vars_ in by_slot.values():
        if len(vars_) > problem.tables:
            model.add(sum(vars_) <= problem.tables)
    mine = problem.meetings_of()
    relaxed: list[cp_model.IntVar] = []
    break_vars: list[cp_model.IntVar] = []
    constant = 0
    for p in problem.participants:
        mids = mine.get(p.id, [])
        k = len(mids)
        usable = sorted({t for mid in mids for t in allowed[mid]})
        busy: dict[int, cp_model.IntVar] = {}
        for t in usable:
            b = model.new_bool_var(f"busy_{p.id}_{t}")
            # No participant in two meetings at once; busy = p meets in t.
            model.add(sum(x[mid, t] for mid in mids if (mid, t) in x) == b)
            busy[t] = b
        if k == len(usable):
            constant += breaks_of_slots(usable)
            if cap is not None and breaks_of_slots(usable) > cap:
                return CpResult("infeasible", {}, None, None, 0, time.monotonic() - started)
            continue
        model.add(sum(busy.values()) == k)
        if k <= 1:
            continue
        z = model.new_bool_var(f"relaxed_{p.id}")
        relaxed.append(z)
        present = set(usable)
        starts = [s for s in usable if all(t in present for t in range(s, s + k))]
        start = {s: model.new_bool_var(f"start_{p.id}_{s}") for s in starts}
        # Not relaxed: exactly one block of k consecutive slots, busy exactly there.
        model.add(sum(start.values()) + z == 1)
        for t in usable:
            cover = [start[s] for s in starts if s <= t < s + k]
            model.add(busy[t] == sum(cover)).only_enforce_if(z.negated())
        # Breaks (possible only when relaxed): a break ends at t after idle t-1, met before.
        met_before: cp_model.IntVar | None = None
        mine_breaks: list[cp_model.IntVar] = []
        for t in range(usable[0] + 1, usable[-1] + 1):
            mb = model.new_bool_var(f"mb_{p.id}_{t}")
            if t - 1 in busy:
                model.add_implication(busy[t - 1], mb)
            if met_before is not None:
                model.add_implication(met_before, mb)
            met_before = mb
            if t in busy:
                brk = model.new_bool_var(f"brk_{p.id}_{t}")
                lits = [busy[t].negated(), mb.negated(), brk]
                if t - 1 in busy:
                    lits.append(busy[t - 1])
                model.add_bool_or(lits)
                model.add_implication(brk, z)
                mine_breaks.append(brk)
        if cap is not None and len(mine_breaks) > cap:
            model.add(sum(mine_breaks) <= cap)
        break_vars += mine_breaks
    budget = max_breaks - constant
    if budget < 0:
        return CpResult("infeasible", {}, None, None, 0, time.monotonic() - started)
    model.add(sum(relaxed) <= budget)
    model.add(sum(break_vars) <= budget)
    solver = cp_model.CpSolver()
    _configure(solver, time_limit_s=time_limit_s, workers=workers, seed=seed, params=params)
    code = _run(solver, model, None, stop)
    slot_of: dict[int, int] = {}
    if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        slot_of = {mid: t for (mid, t), var in x.items() if solver.boolean_value(var)}
    return CpResult(
        _STATUS.get(code, "unknown"),
        slot_of,
        None,
        None,
        1 if slot_of else 0,
        time.monotonic() - started,
    )


def own_breaks_minimum(
    classes: Sequence[tuple[int, int]], n_slots: int, time_limit_s: float
) -> tuple[int, bool]:
    """One participant's fewest breaks, its other constraints dropped (``bounds``).

    ``classes``: (usable-slot bitmask, number of meetings with exactly those slots). Returns
    (proven lower bound on the breaks, proven optimal); time-boxed, so sound but maybe weak.
    """
    model = cp_model.CpModel()
    at: dict[int, list[cp_model.IntVar]] = {}
    for mask, n in classes:
        lits = []
        for t in range(1, n_slots + 1):
            if mask >> t & 1:
                var = model.new_bool_var("")
                lits.append(var)
                at.setdefault(t, []).append(var)
        model.add(sum(lits) == n)
    busy: dict[int, cp_model.LinearExpr] = {}
    for t, lits in at.items():
        if len(lits) > 1:
            model.add_at_most_one(lits)
        busy[t] = cp_model.LinearExpr.sum(lits)
    starts: list[cp_model.LinearExprT] = []
    for t in sorted(busy):
        if t - 1 not in busy:
            starts.append(busy[t])
        else:
            start = model.new_bool_var("")
            model.add(start >= busy[t] - busy[t - 1])
            starts.append(start)
    model.minimize(sum(starts) - 1)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.01, time_limit_s)
    solver.parameters.num_workers = 1
    status = solver.solve(model)
    if status == cp_model.OPTIMAL:
        return round(solver.objective_value), True
    if status == cp_model.INFEASIBLE:  # cannot happen for a schedulable set; stay sound
        return 0, False
    return max(0, math.ceil(solver.best_objective_bound - 1e-6)), False
