"""The MaxSAT engine: a CNF encoding of the break-minimisation problem solved by core-guided
MaxSAT (RC2 from PySAT) or by a solution-improving linear search. The only module importing
PySAT.

It applies when every meeting is required and fairness reduces to a per-participant cap, which
is the case whenever some participant's break count is 0 in every schedule (no meeting, one
meeting, or busy in every usable slot without gaps): then "counts differ by at most d" is "at
most d breaks each". See docs/scheduler.md ("MaxSAT engine") for the formulation; in short:

* ``x[m,t]``: meeting m in slot t (exactly one per meeting); ``busy[p,t]`` ↔ one of p's
  meetings is in t (at most one); at most ``tables`` meetings per slot; implied: p's busy
  slots add up to its meeting count, and at most ``tables`` times the meeting size
  participants are busy per slot; a participant busy in every usable slot has those slots
  fixed busy.
* Breaks: ``mb[p,t]`` ("p met someone before t") and ``brk[p,t]`` ("a break ends at t": busy at
  t, idle at t-1, met before), both one-directional as the objective only pushes them down.
  A sequential counter over p's ``brk`` gives ``ge[p,j]`` = "p has at least j breaks"; the soft
  clauses are ``¬ge[p,j]`` (weight 1 each, so the cost is the total number of breaks) and the
  cap is the hard clause ``¬ge[p,cap+1]``.
* Contiguity, the constraint that makes the engine fast: when p has no break (``¬ge[p,1]``) its
  k meetings fill one block of k consecutive usable slots, encoded by one-hot block starts
  ``start[p,s]`` with ``busy[p,t]`` ↔ some start covers t. For a meeting of p and q, p's block
  start implies a block start of q that overlaps it in a slot the meeting may use (unless q has
  a break).

``solve_maxsat`` reports each raised lower bound (one per core) and the optimal schedule.
``solve_linear`` works from the other side: a SAT call finds any schedule, then each call asks
for one with fewer breaks than the last (an incremental totalizer over the soft literals, the
bound passed as an assumption), the solver's phases set to the last schedule so that it searches
near it; the call that fails proves the last schedule optimal. Both run in worker processes
started by ``portfolio`` (``python -m escp4i.scheduler._maxsat_worker``), so that they can be
stopped at any moment and each has its own core.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from pysat.card import CardEnc, EncType, ITotalizer
from pysat.examples.rc2 import RC2
from pysat.formula import WCNF, IDPool
from pysat.solvers import Solver

from escp4i.scheduler.breaks import breaks_of_slots, total_breaks
from escp4i.scheduler.problem import SchedulingProblem

BoundCallback = Callable[[int], None]
SolutionCallback = Callable[[dict[int, int], int], None]  # (meeting -> slot, total breaks)


@dataclass(slots=True)
class Encoding:
    """The weighted CNF and the variables needed to read a schedule back."""

    wcnf: WCNF
    x: dict[tuple[int, int], int]
    infeasible: bool  # found while encoding: a participant with fewer usable slots than
    # meetings, or a constant break count above the cap
    constant_breaks: int  # breaks of participants whose count is the same in every schedule
    softs: int
    variables: int
    clauses: int


@dataclass(frozen=True, slots=True)
class MaxSatResult:
    status: str  # "optimal" | "infeasible"
    slot_of: dict[int, int] = field(default_factory=dict)
    breaks: int | None = None
    lower_bound: int = 0
    cores: int = 0
    seconds: float = 0.0


def constant_breaks(problem: SchedulingProblem) -> dict[int, int]:
    """Participants whose break count is the same in every schedule of all meetings, with it.

    A participant without meetings or with one has 0; one with as many meetings as usable
    slots is busy in all of them, so its breaks are the gaps between those slots.
    """
    mine = problem.meetings_of()
    meetings = {m.id: m for m in problem.meetings}
    result: dict[int, int] = {}
    for p in problem.participants:
        mids = mine.get(p.id, [])
        if len(mids) <= 1:
            result[p.id] = 0
            continue
        usable = sorted({t for mid in mids for t in problem.allowed_slots(meetings[mid])})
        if len(usable) == len(mids):
            result[p.id] = breaks_of_slots(usable)
    return result


def fairness_cap(problem: SchedulingProblem, fairness: int | None) -> tuple[bool, int | None]:
    """(applicable, cap): whether fairness ``d`` is the per-participant cap ``d`` here."""
    if fairness is None:
        return True, None
    constants = constant_breaks(problem)
    if constants and min(constants.values()) == 0:
        return True, fairness
    return False, None


def _atmost(lits: list[int], bound: int, pool: IDPool, enc: int) -> list[list[int]]:
    if len(lits) <= bound:
        return []
    if bound == 0:
        return [[-lit] for lit in lits]
    return list(CardEnc.atmost(lits, bound, vpool=pool, encoding=enc).clauses)


def _amo(lits: list[int], pool: IDPool) -> list[list[int]]:
    if len(lits) <= 1:
        return []
    encoding = EncType.pairwise if len(lits) <= 6 else EncType.seqcounter
    return list(CardEnc.atmost(lits, 1, vpool=pool, encoding=encoding).clauses)


def _at_least_counter(
    inputs: list[int], top: int, pool: IDPool, hard: list[list[int]], name: object
) -> list[int]:
    """Outputs ``ge[1..top]`` with ``ge[j]`` true whenever at least j inputs are true (a
    one-directional sequential counter: the objective only ever pushes the outputs down)."""
    previous: list[int] = []
    for i, x in enumerate(inputs):
        current = []
        for j in range(1, min(i + 1, top) + 1):
            s = pool.id((name, i, j))
            if j == 1:
                hard.append([-x, s])
            else:
                hard.append([-x, -previous[j - 2], s])
            if j <= len(previous):
                hard.append([-previous[j - 1], s])
            current.append(s)
        previous = current
    return previous


def encode(problem: SchedulingProblem, *, cap: int | None) -> Encoding:
    """Encode "schedule every meeting, at most ``cap`` breaks each, fewest breaks in total"."""
    pool = IDPool()
    hard: list[list[int]] = []
    softs: list[int] = []
    meetings = {m.id: m for m in problem.meetings}
    allowed = {m.id: problem.allowed_slots(m) for m in problem.meetings}
    x: dict[tuple[int, int], int] = {}
    infeasible = any(not slots for slots in allowed.values())
    # Every meeting in exactly one of the slots it may use.
    for m in problem.meetings:
        lits = [pool.id(("x", m.id, t)) for t in allowed[m.id]]
        for t, lit in zip(allowed[m.id], lits, strict=True):
            x[m.id, t] = lit
        hard.append(lits)
        hard += _amo(lits, pool)
    # Precedences: m in slot t needs each predecessor in an earlier slot.
    for m in problem.meetings:
        for before in m.after:
            for t in allowed[m.id]:
                hard.append([-x[m.id, t], *(x[before, u] for u in allowed[before] if u < t)])
    # No symmetry clauses for interchangeable meetings (symmetry.py): measured on the JAIR
    # instances they slowed RC2 down (forum-13crafc: optimal in 31.6 s without, not in 70 s
    # with); the CP-SAT models keep them.
    # At most `tables` meetings per slot.
    by_slot: dict[int, list[int]] = {}
    for (_mid, t), lit in x.items():
        by_slot.setdefault(t, []).append(lit)
    for lits in by_slot.values():
        hard += _atmost(lits, problem.tables, pool, EncType.seqcounter)

    mine = problem.meetings_of()
    busy: dict[tuple[int, int], int] = {}
    constant = 0
    blocks: dict[int, tuple[int, dict[int, int], int]] = {}  # p -> (k, start lits, ge1)
    for p in problem.participants:
        mids = mine.get(p.id, [])
        k = len(mids)
        usable = sorted({t for mid in mids for t in allowed[mid]})
        # busy[p,t] ↔ one of p's meetings is in t; no participant in two meetings at once.
        for t in usable:
            lits = [x[mid, t] for mid in mids if (mid, t) in x]
            b = pool.id(("busy", p.id, t))
            busy[p.id, t] = b
            hard.append([-b, *lits])
            hard += [[-lit, b] for lit in lits]
            hard += _amo(lits, pool)
        if k == len(usable):
            # Busy in every usable slot (this also settles the slot of a lone meeting).
            hard += [[busy[p.id, t]] for t in usable]
            constant += breaks_of_slots(usable)
            infeasible = infeasible or (cap is not None and breaks_of_slots(usable) > cap)
            continue
        if k > len(usable):
            infeasible = True  # more meetings than usable slots
            continue
        if usable:
            # Implied: p's busy slots add up to its meeting count.
            hard += CardEnc.equals(
                [busy[p.id, t] for t in usable], k, vpool=pool, encoding=EncType.seqcounter
            ).clauses
        if k <= 1:
            continue
        # Breaks: brk[t] ⇐ busy[t] ∧ ¬busy[t-1] ∧ met-before[t].
        brks: list[int] = []
        met_before: int | None = None
        for t in range(usable[0] + 1, usable[-1] + 1):
            mb = pool.id(("mb", p.id, t))
            if (p.id, t - 1) in busy:
                hard.append([-busy[p.id, t - 1], mb])
            if met_before is not None:
                hard.append([-met_before, mb])
            met_before = mb
            if (p.id, t) in busy:
                brk = pool.id(("brk", p.id, t))
                clause = [-busy[p.id, t], -mb, brk]
                if (p.id, t - 1) in busy:
                    clause.append(busy[p.id, t - 1])
                hard.append(clause)
                brks.append(brk)
        if not brks:
            continue
        top = len(brks) if cap is None else min(len(brks), cap + 1)
        ge = _at_least_counter(brks, top, pool, hard, ("ge", p.id))
        if cap is not None and len(ge) > cap:
            hard.append([-ge[cap]])  # the fairness cap: never cap + 1 breaks
        softs += ge[: len(ge) if cap is None else min(len(ge), cap)]
        # Contiguity when p has no break: one block of k consecutive usable slots.
        present = set(usable)
        starts = [s for s in usable if all(t in present for t in range(s, s + k))]
        start = {s: pool.id(("start", p.id, s)) for s in starts}
        hard.append([ge[0], *start.values()])
        hard += _amo(list(start.values()), pool)
        for s, lit in start.items():
            hard += [[-lit, busy[p.id, t]] for t in range(s, s + k)]
        for t in usable:
            cover = [start[s] for s in starts if s <= t < s + k]
            hard.append([ge[0], -busy[p.id, t], *cover])
        blocks[p.id] = (k, start, ge[0])
    # Block compatibility: p's block must overlap, in a slot the meeting may use, a block of
    # every participant p meets (when both are break-free).
    for m in problem.meetings:
        usable_m = set(allowed[m.id])
        for u in m.participants:
            for v in m.participants:
                if u == v or u not in blocks or v not in blocks:
                    continue
                ku, start_u, _ge_u = blocks[u]
                kv, start_v, ge_v = blocks[v]
                for s, lit in start_u.items():
                    window = usable_m.intersection(range(s, s + ku))
                    overlapping = [
                        w for s2, w in start_v.items() if window.intersection(range(s2, s2 + kv))
                    ]
                    hard.append([-lit, ge_v, *overlapping])
    # Implied: per slot, at most tables times the largest meeting size participants are busy.
    size = max((len(m.participants) for m in meetings.values()), default=2)
    for t in problem.slots:
        lits = [busy[p.id, t] for p in problem.participants if (p.id, t) in busy]
        hard += _atmost(lits, problem.tables * size, pool, EncType.seqcounter)

    # Filled directly: ``WCNF.append`` copies each clause and rescans it for the largest
    # variable, two thirds of the encoding time on the larger JAIR instances.
    wcnf = WCNF()
    wcnf.hard = hard
    wcnf.soft = [[-lit] for lit in softs]
    wcnf.wght = [1] * len(softs)
    wcnf.topw = 1 + len(softs)
    wcnf.nv = max(pool.top, max(map(abs, itertools.chain.from_iterable(hard)), default=0))
    return Encoding(wcnf, x, infeasible, constant, len(softs), pool.top, len(hard))


def _slots(encoding: Encoding, true: set[int]) -> dict[int, int]:
    """Meeting -> slot of a model, given its true literals."""
    return {mid: t for (mid, t), lit in encoding.x.items() if lit in true}


class _ReportingRC2(RC2):  # type: ignore[misc]  # PySAT ships no type information
    """RC2 that reports its cost (a proven lower bound) after every core."""

    def __init__(self, wcnf: WCNF, *, on_bound: BoundCallback | None, **kwargs: object) -> None:
        super().__init__(wcnf, **kwargs)
        self.on_bound = on_bound
        self.cores = 0

    def process_core(self) -> None:
        super().process_core()
        self.cores += 1
        if self.on_bound is not None:
            self.on_bound(int(self.cost))


def solve_maxsat(
    problem: SchedulingProblem,
    *,
    cap: int | None,
    solver: str = "cadical195",
    on_bound: BoundCallback | None = None,
) -> MaxSatResult:
    """Solve to optimality (no time limit: the caller stops the worker process).

    ``on_bound`` receives each raised lower bound on the total breaks (constant breaks
    included). Status "infeasible": no schedule of every meeting respects the hard constraints
    and the cap.
    """
    started = time.monotonic()
    encoding = encode(problem, cap=cap)
    if encoding.infeasible:
        return MaxSatResult("infeasible", seconds=time.monotonic() - started)
    offset = encoding.constant_breaks

    def bound(value: int) -> None:
        if on_bound is not None:
            on_bound(value + offset)

    with _ReportingRC2(encoding.wcnf, on_bound=bound, solver=solver) as rc2:
        model = rc2.compute()
        cores = rc2.cores
        cost = int(rc2.cost)
    if model is None:
        return MaxSatResult("infeasible", cores=cores, seconds=time.monotonic() - started)
    slot_of = _slots(encoding, {lit for lit in model if lit > 0})
    return MaxSatResult(
        "optimal",
        slot_of,
        breaks=cost + offset,
        lower_bound=cost + offset,
        cores=cores,
        seconds=time.monotonic() - started,
    )


def solve_linear(
    problem: SchedulingProblem,
    *,
    cap: int | None,
    solver: str = "mergesat3",
    on_bound: BoundCallback | None = None,
    on_solution: SolutionCallback | None = None,
    optimistic_s: float = 0.0,
) -> MaxSatResult:
    """Solution-improving linear search on the same encoding (no time limit: the caller stops
    the worker process).

    Each schedule found is passed to ``on_solution`` with its breaks (recomputed from the
    slots, constant breaks included); the next call asks for fewer, with the solver's phases
    set to that schedule. The final, failing call proves the last schedule optimal, which
    ``on_bound`` receives. Status "infeasible": the hard constraints and the cap admit no
    schedule of every meeting.

    ``optimistic_s`` > 0: first, a separate solver asks for up to that many seconds for a
    schedule with no breaks but the constant ones (the optimum of half the JAIR instances). If
    it finds one, that is the optimal answer; if it refutes it, ``on_bound`` receives the
    constant breaks + 1; if time runs out, the search goes on as above with a fresh solver (an
    interrupted solver searches far worse afterwards: 25 s for a first schedule it finds in 1 s
    otherwise, on ticf-14crafa).
    """
    started = time.monotonic()
    encoding = encode(problem, cap=cap)
    if encoding.infeasible:
        return MaxSatResult("infeasible", seconds=time.monotonic() - started)
    offset = encoding.constant_breaks
    softs = [-clause[0] for clause in encoding.wcnf.soft]  # ge literals: one break each

    def read(model: list[int]) -> tuple[dict[int, int], int, int]:
        true = {lit for lit in model if lit > 0}
        slot_of = _slots(encoding, true)
        counted = sum(1 for lit in softs if lit in true)
        return slot_of, total_breaks(problem, slot_of), counted

    if optimistic_s > 0 and softs:
        with Solver(name=solver, bootstrap_with=encoding.wcnf.hard) as sat:
            timer = threading.Timer(optimistic_s, sat.interrupt)
            timer.start()
            answer = sat.solve_limited(assumptions=[-lit for lit in softs], expect_interrupt=True)
            timer.cancel()
            if answer is True:
                slot_of, breaks, _counted = read(sat.get_model())
                if on_solution is not None:
                    on_solution(slot_of, breaks)
                if on_bound is not None:
                    on_bound(breaks)
                return MaxSatResult(
                    "optimal",
                    slot_of,
                    breaks=breaks,
                    lower_bound=breaks,
                    cores=1,
                    seconds=time.monotonic() - started,
                )
            if answer is False and not sat.get_core():
                # Refuted without the assumptions: no schedule at all.
                return MaxSatResult("infeasible", cores=1, seconds=time.monotonic() - started)
            if answer is False and on_bound is not None:
                on_bound(offset + 1)
    with Solver(name=solver, bootstrap_with=encoding.wcnf.hard) as sat:
        if not sat.solve():
            return MaxSatResult("infeasible", seconds=time.monotonic() - started)
        model = sat.get_model()
        slot_of, breaks, counted = read(model)
        calls = 1
        if on_solution is not None:
            on_solution(slot_of, breaks)
        # The totalizer counts the soft literals up to the first schedule's count: ``¬rhs[k]``
        # says "at most k of them true". The literals may be set more often than the
        # schedule's real breaks, so the target is always taken from the real count.
        totalizer: ITotalizer | None = None
        while breaks > offset:
            if totalizer is None:
                totalizer = ITotalizer(lits=softs, ubound=counted, top_id=encoding.variables)
                for clause in totalizer.cnf.clauses:
                    sat.add_clause(clause)
            target = breaks - offset - 1  # fewer breaks than the last schedule
            sat.set_phases([lit for lit in model if abs(lit) <= encoding.variables])
            calls += 1
            if not sat.solve(assumptions=[-totalizer.rhs[target]]):
                break
            model = sat.get_model()
            slot_of, breaks, _counted = read(model)
            if on_solution is not None:
                on_solution(slot_of, breaks)
        if on_bound is not None:
            on_bound(breaks)
        if totalizer is not None:
            totalizer.delete()
    return MaxSatResult(
        "optimal",
        slot_of,
        breaks=breaks,
        lower_bound=breaks,
        cores=calls,
        seconds=time.monotonic() - started,
    )
