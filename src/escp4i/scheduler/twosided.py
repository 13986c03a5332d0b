"""Decomposition for large events: max-flow bound plus bipartite edge colouring, no CP-SAT.

In a two-sided event (every meeting joins one participant of side A and one of side B, e.g.
EU clusters and SMEs meeting third-country delegates) the meetings form a bipartite multigraph.
A set of meetings can be held in the slots 1..T with L tables if and only if (when every
participant is available in every slot and no meeting is restricted) each participant has at
most min(T, own maximum) meetings and there are at most L·T meetings: König's theorem colours
a bipartite multigraph of maximum degree Δ ≤ T with T colours (colour = slot), and alternating
path swaps make the colour classes equitable, so no slot needs more than L tables. A max-flow
(Dinic) picks the largest such set; its value is a proven upper bound on the number of
schedulable meetings for **any** instance (``upper_bound``), because it only relaxes the
constraints (participants' available slots, sessions and table capacity become counts).

Public API:

* ``is_two_sided(problem) -> tuple[frozenset[int], frozenset[int]] | None``: the two sides if
  every meeting has two participants and the meeting graph is bipartite.
* ``upper_bound(problem) -> int``: the max-flow bound on schedulable meetings (the bipartite
  double cover, halved, when the event is not two-sided).
* ``max_schedulable_two_sided(problem, *, seed, repair_s) -> TwoSidedResult``: kept meetings,
  a slot per placed meeting and the flow bound. ``exact`` is true when the placement is
  guaranteed to reach the bound: two-sided, no fixed slot, no precedence, no session
  restriction, and no participant of a meeting unavailable in any slot. Otherwise the same
  algorithm is a heuristic (Kempe swaps only along paths whose meetings allow both slots,
  then ejection chains, then a min-conflicts repair) and the count is proven optimal whenever
  it equals the bound, an a-posteriori certificate that held on every synthetic tier measured.
* ``schedule_large(problem, *, time_limit_s, seed, anneal_steps, workers) -> Schedule``: a
  complete valid schedule (slots and tables) for any instance, two-sided or not (meetings with
  three or more participants, fixed slots or precedences are placed greedily first and never
  moved),
  with ``max_schedulable`` = the flow bound and ``lower_bound`` = the per-participant break
  bound (``bounds``; with ``workers >= 2`` computed in a worker process beside the search).
  Breaks are reduced by Kempe moves, first by descent and then by simulated annealing:
  swapping slots s and t along an alternating s/t path keeps the schedule valid (each
  participant still meets at most once per slot, tables are re-counted) and changes only the
  busy slots of the path's two end participants, so a move is evaluated in constant time.
* ``break_lower_bound(problem, scheduled) -> int``: breaks any schedule of exactly these
  meetings must have, from each participant's runs of usable slots.
"""

from __future__ import annotations

import itertools
import math
import random
import time
from collections import Counter, deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from escp4i.scheduler.bounds import (
    BoundProcess,
    BreakBound,
    cheap_minima,
    exact_bound,
    participant_masks,
    runs_bound,
)
from escp4i.scheduler.breaks import participant_breaks
from escp4i.scheduler.problem import Meeting, Schedule, SchedulingProblem, SolveStats, Unscheduled
from escp4i.scheduler.tables import assign_tables

_LOCKED = -2  # marks a vertex's slot as taken by a meeting the colouring must not move
_FAIRNESS_PENALTY = 20  # one break over the fairness cap weighs like 20 ordinary breaks


def is_two_sided(problem: SchedulingProblem) -> tuple[frozenset[int], frozenset[int]] | None:
    """The sides (A, B) if every meeting pairs one A with one B participant, else None.

    Each connected component is 2-coloured from its smallest participant id (which goes to A);
    participants without meetings are put on side A.
    """
    neighbours: dict[int, list[int]] = {p.id: [] for p in problem.participants}
    for meeting in problem.meetings:
        if len(meeting.participants) != 2 or meeting.participants[0] == meeting.participants[1]:
            return None
        first, second = meeting.participants
        neighbours.setdefault(first, []).append(second)
        neighbours.setdefault(second, []).append(first)
    side: dict[int, int] = {}
    for start in sorted(neighbours):
        if start in side:
            continue
        side[start] = 0
        queue = deque([start])
        while queue:
            v = queue.popleft()
            for w in neighbours[v]:
                if w not in side:
                    side[w] = 1 - side[v]
                    queue.append(w)
                elif side[w] == side[v]:
                    return None
    a = frozenset(p for p, s in side.items() if s == 0)
    return a, frozenset(side) - a


def slot_masks(problem: SchedulingProblem) -> dict[int, int]:
    """Meeting id -> bitmask of usable slots (bit t = slot t), as ``problem.allowed_slots``.

    Computed here in one pass: ``allowed_slots`` rebuilds the participant map on every call,
    which is quadratic for 50,000 meetings.
    """
    every = ((1 << problem.n_slots) - 1) << 1
    blocked = {
        p.id: sum(1 << t for t in p.forbidden if 1 <= t <= problem.n_slots)
        for p in problem.participants
    }
    masks: dict[int, int] = {}
    for meeting in problem.meetings:
        mask = every
        if meeting.fixed_slot is not None:
            mask &= 1 << meeting.fixed_slot if meeting.fixed_slot >= 1 else 0
        if meeting.allowed_slots is not None:
            mask &= sum(1 << t for t in meeting.allowed_slots if 1 <= t <= problem.n_slots)
        for pid in meeting.participants:
            mask &= ~blocked.get(pid, 0)
        masks[meeting.id] = mask
    return masks


def usable_slot_pairs(problem: SchedulingProblem) -> int:
    """Number of (meeting, usable slot) pairs: the size of a slot-indexed model."""
    return sum(mask.bit_count() for mask in slot_masks(problem).values())


class _Flow:
    """Dinic's max-flow on an adjacency-array graph (unit meeting edges, integer capacities)."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.head = [-1] * n
        self.to: list[int] = []
        self.cap: list[int] = []
        self.nxt: list[int] = []

    def add(self, u: int, v: int, cap: int) -> int:
        self.to += (v, u)
        self.cap += (cap, 0)
        self.nxt += (self.head[u], self.head[v])
        self.head[u] = len(self.to) - 2
        self.head[v] = len(self.to) - 1
        return len(self.to) - 2

    def run(self, s: int, t: int) -> int:
        total = 0
        to, cap, nxt = self.to, self.cap, self.nxt
        while True:
            level = [-1] * self.n
            level[s] = 0
            queue = deque([s])
            while queue:
                u = queue.popleft()
                e = self.head[u]
                while e != -1:
                    if cap[e] > 0 and level[to[e]] < 0:
                        level[to[e]] = level[u] + 1
                        queue.append(to[e])
                    e = nxt[e]
            if level[t] < 0:
                return total
            arc = list(self.head)
            # Iterative DFS with current-arc pointers; one augmenting path per iteration.
            while True:
                path: list[int] = []
                u = s
                while u != t:
                    e = arc[u]
                    while e != -1 and not (cap[e] > 0 and level[to[e]] == level[u] + 1):
                        e = nxt[e]
                    arc[u] = e
                    if e == -1:
                        if not path:
                            break
                        level[u] = -1  # dead end: prune it from this phase
                        back = path.pop()
                        u = to[back ^ 1]
                        arc[u] = nxt[arc[u]]
                        continue
                    path.append(e)
                    u = to[e]
                if u != t:
                    break
                push = min(cap[e] for e in path)
                for e in path:
                    cap[e] -= push
                    cap[e ^ 1] += push
                total += push
                u = s


@dataclass(frozen=True, slots=True)
class _Prepared:
    index: dict[int, int]  # participant id -> vertex
    allowed: dict[int, int]  # meeting id -> bitmask of usable slots
    capacity: list[int]  # per vertex: min(max_meetings, usable slots)


def _prepare(problem: SchedulingProblem) -> _Prepared:
    index = {p.id: i for i, p in enumerate(problem.participants)}
    for meeting in problem.meetings:
        for pid in meeting.participants:
            index.setdefault(pid, len(index))
    allowed = slot_masks(problem)
    usable = [0] * len(index)
    for meeting in problem.meetings:
        for pid in meeting.participants:
            usable[index[pid]] |= allowed[meeting.id]
    capacity = [mask.bit_count() for mask in usable]
    for p in problem.participants:
        if p.max_meetings is not None:
            capacity[index[p.id]] = min(capacity[index[p.id]], p.max_meetings)
    return _Prepared(index, allowed, capacity)


def _flow_select(
    problem: SchedulingProblem,
    prep: _Prepared,
    pairs: Sequence[Meeting],
    sides: tuple[frozenset[int], frozenset[int]] | None,
) -> tuple[int, list[int]]:
    """Max flow over 2-participant ``pairs``: (flow value, ids of meetings carrying flow).

    ``sides`` None: the bipartite double cover (each participant on both sides, each meeting
    both ways); the value is then twice a fractional bound and no selection is returned.
    """
    n = len(prep.index)
    double = sides is None
    total_cap = problem.tables * problem.n_slots * (2 if double else 1)
    degree = Counter(pid for m in pairs for pid in m.participants)
    cap = prep.capacity
    if not double and len(pairs) <= total_cap:
        over = [pid for pid, d in degree.items() if d > cap[prep.index[pid]]]
        if not over:
            return len(pairs), [m.id for m in pairs]  # nothing binds: every meeting fits the counts
    super_source, source, sink = 2 * n, 2 * n + 1, 2 * n + 2
    flow = _Flow(2 * n + 3)
    top = flow.add(super_source, source, total_cap)
    out_edge: dict[int, int] = {}
    in_edge: dict[int, int] = {}
    for pid, d in degree.items():
        v = prep.index[pid]
        out_edge[v] = flow.add(source, v, min(d, cap[v]))
        in_edge[v] = flow.add(n + v, sink, min(d, cap[v]))
    arcs: list[tuple[int, int, int]] = []  # (edge, tail vertex, head vertex)
    edge_of: list[tuple[int, int]] = []
    for meeting in pairs:
        u, v = (prep.index[p] for p in meeting.participants)
        if sides is None:
            arcs.append((flow.add(u, n + v, 1), u, v))
            arcs.append((flow.add(v, n + u, 1), v, u))
            continue
        if meeting.participants[0] not in sides[0]:
            u, v = v, u
        e = flow.add(u, n + v, 1)
        arcs.append((e, u, v))
        edge_of.append((e, meeting.id))
    # Greedy initial flow: Dinic then only augments the few meetings the greedy pass missed.
    pushed = 0
    residual = flow.cap
    for e, u, v in arcs:
        if residual[top] and residual[out_edge[u]] and residual[in_edge[v]]:
            for edge in (top, out_edge[u], e, in_edge[v]):
                residual[edge] -= 1
                residual[edge ^ 1] += 1
            pushed += 1
    value = pushed + flow.run(super_source, sink)
    return value, [mid for e, mid in edge_of if flow.cap[e] == 0]


def upper_bound(problem: SchedulingProblem) -> int:
    """Proven upper bound on how many meetings can be scheduled (max-flow relaxation)."""
    prep = _prepare(problem)
    usable = [m for m in problem.meetings if prep.allowed[m.id]]
    pairs = [m for m in usable if len(m.participants) == 2]
    groups = len(usable) - len(pairs)
    sides = is_two_sided(problem)
    if sides is not None:
        value, _ = _flow_select(problem, prep, pairs, sides)
    else:
        value = _flow_select(problem, prep, pairs, None)[0] // 2 + groups
    return min(value, problem.tables * problem.n_slots, len(usable))


def _breaks(mask: int) -> int:
    return max(0, (mask & ~(mask << 1)).bit_count() - 1)


def _bits(mask: int) -> Iterator[int]:
    while mask:
        low = mask & -mask
        yield low.bit_length() - 1
        mask ^= low


class _Colouring:
    """Slot assignment as a proper edge colouring: colour = slot, vertex = participant.

    ``at[v][c]`` is the edge of v coloured c (-1: free, _LOCKED: taken by a fixed group meeting).
    ``allowed[e]`` already excludes both participants' unavailable slots, so a Kempe swap is
    valid exactly when every edge on the path allows both colours and none is locked.
    """

    def __init__(self, n_vertices: int, n_slots: int, tables: int) -> None:
        self.n_slots = n_slots
        self.tables = tables
        self.at = [[-1] * (n_slots + 1) for _ in range(n_vertices)]
        self.busy = [0] * n_vertices
        self.count = [0] * (n_slots + 1)
        self.full = 0  # bitmask of slots with count >= tables
        self.ends: list[tuple[int, int]] = []
        self.allowed: list[int] = []
        self.colour: list[int] = []
        self.locked: list[bool] = []
        self.journal: list[tuple[int, int]] | None = None  # (edge, colour before) while trying
        self.pinned: set[int] = set()  # edges of the current ejection chain
        self.members: list[set[int]] = [set() for _ in range(n_slots + 1)]  # edges per slot
        self.break_cap: int | None = None  # fairness: breaks above this are heavily penalised
        self.stop: Callable[[], bool] | None = None  # ends the break search early when true

    def _expired(self, deadline: float) -> bool:
        return time.monotonic() >= deadline or (self.stop is not None and self.stop())

    def cost(self, mask: int) -> int:
        """A participant's breaks, plus a penalty per break above ``break_cap``."""
        breaks = _breaks(mask)
        if self.break_cap is not None and breaks > self.break_cap:
            return breaks + _FAIRNESS_PENALTY * (breaks - self.break_cap)
        return breaks

    def add_edge(self, u: int, v: int, allowed: int, locked: bool = False) -> int:
        self.ends.append((u, v))
        self.allowed.append(allowed)
        self.colour.append(0)
        self.locked.append(locked)
        return len(self.ends) - 1

    def _bump(self, c: int, delta: int) -> None:
        self.count[c] += delta
        if self.count[c] >= self.tables:
            self.full |= 1 << c
        else:
            self.full &= ~(1 << c)

    def occupy(self, vertices: Sequence[int], c: int) -> None:
        """A group meeting placed in slot c: its participants are busy and a table is used."""
        for v in vertices:
            self.at[v][c] = _LOCKED
            self.busy[v] |= 1 << c
        self._bump(c, 1)

    def paint(self, e: int, c: int) -> None:
        if self.journal is not None:
            self.journal.append((e, 0))
        u, v = self.ends[e]
        self.at[u][c] = self.at[v][c] = e
        self.busy[u] |= 1 << c
        self.busy[v] |= 1 << c
        self.colour[e] = c
        self.members[c].add(e)
        self._bump(c, 1)

    def erase(self, e: int) -> None:
        c = self.colour[e]
        if self.journal is not None:
            self.journal.append((e, c))
        u, v = self.ends[e]
        self.at[u][c] = self.at[v][c] = -1
        self.busy[u] &= ~(1 << c)
        self.busy[v] &= ~(1 << c)
        self.colour[e] = 0
        self.members[c].discard(e)
        self._bump(c, -1)

    def _path(self, x: int, first: int, second: int) -> tuple[list[int], int] | None:
        """Alternating first/second path from x (x has no ``second`` edge); None if blocked."""
        both = (1 << first) | (1 << second)
        path: list[int] = []
        v, c = x, first
        while True:
            e = self.at[v][c]
            if e == -1:
                return path, v
            if e == _LOCKED or self.locked[e] or self.allowed[e] & both != both:
                return None
            path.append(e)
            u, w = self.ends[e]
            v = w if u == v else u
            c = second if c == first else first

    def _swap(self, path: list[int], first: int, second: int) -> None:
        for e in path:
            self.erase(e)
        for e, c in zip(path, [first, second] * len(path), strict=False):
            self.paint(e, second if c == first else first)

    def _pick(self, candidates: int, u: int, v: int) -> int:
        """Prefer a slot adjacent to both participants' busy slots (no new break), then one."""
        bu, bv = self.busy[u], self.busy[v]
        adj_u = ((bu << 1) | (bu >> 1)) if bu else -1
        adj_v = ((bv << 1) | (bv >> 1)) if bv else -1
        for mask in (candidates & adj_u & adj_v, candidates & (adj_u | adj_v), candidates):
            if mask:
                return (mask & -mask).bit_length() - 1
        raise AssertionError("candidates must be non-empty")

    def place(self, e: int, *, enforce_tables: bool, max_tries: int | None) -> bool:
        """Colour edge e, with Kempe swaps if needed. Returns False if no move was found."""
        u, v = self.ends[e]
        allowed = self.allowed[e]
        free_u, free_v = allowed & ~self.busy[u], allowed & ~self.busy[v]
        common = free_u & free_v
        if common & ~self.full:
            self.paint(e, self._pick(common & ~self.full, u, v))
            return True
        tries = 0
        for x, y, free_x, free_y in ((u, v, free_u, free_v), (v, u, free_v, free_u)):
            # alpha: free at x; beta: free at y. Swap the alpha/beta path from y, colour alpha.
            for alpha in sorted(_bits(free_x), key=lambda c: self.count[c]):
                for beta in _bits(free_y & ~(1 << alpha)):
                    tries += 1
                    if max_tries is not None and tries > max_tries:
                        return self._overflow(e, common, enforce_tables)
                    found = self._path(y, alpha, beta)
                    if found is None or found[1] == x:
                        continue
                    path = found[0]
                    odd = len(path) % 2
                    if enforce_tables and (
                        self.count[alpha] + 1 - odd > self.tables
                        or self.count[beta] + odd > self.tables
                    ):
                        continue
                    self._swap(path, alpha, beta)
                    self.paint(e, alpha)
                    return True
        return self._overflow(e, common, enforce_tables)

    def _overflow(self, e: int, common: int, enforce_tables: bool) -> bool:
        if common and not enforce_tables:
            self.paint(e, min(_bits(common), key=lambda c: self.count[c]))
            return True
        return False

    def _undo(self, mark: int) -> None:
        journal = self.journal
        if journal is None:
            return
        self.journal = None
        for e, before in reversed(journal[mark:]):
            if before:
                self.paint(e, before)
            else:
                self.erase(e)
        del journal[mark:]
        self.journal = journal

    def eject(self, e: int, depth: int = 2) -> bool:
        """Place e in a slot by moving the (at most two) meetings in its way elsewhere.

        Ejection chain: each displaced meeting is re-placed with Kempe swaps or, ``depth``
        permitting, by ejecting in turn. Meetings of the chain are pinned so none displaces
        another; a failed slot rolls every change back through the journal.
        """
        top = self.journal is None
        if top:
            self.journal = []
        journal = self.journal
        if journal is None:  # unreachable: set just above; narrows the type for mypy
            return False
        u, v = self.ends[e]
        self.pinned.add(e)
        try:
            for slot in _bits(self.allowed[e] & ~self.full):
                blockers = {self.at[u][slot], self.at[v][slot]} - {-1}
                if _LOCKED in blockers or any(self.locked[b] or b in self.pinned for b in blockers):
                    continue
                mark = len(journal)
                for b in blockers:
                    self.erase(b)
                self.paint(e, slot)
                if all(
                    self.place(b, enforce_tables=True, max_tries=100)
                    or (depth > 1 and self.eject(b, depth - 1))
                    for b in blockers
                ):
                    return True
                self._undo(mark)
            return False
        finally:
            self.pinned.discard(e)
            if top:
                self.journal = None

    def repair(self, pool: list[int], rng: random.Random, deadline: float) -> list[int]:
        """Min-conflicts search with a tabu list for the meetings nothing else could place.

        An unplaced meeting takes the slot where the fewest meetings are in its way (plus one
        when the slot has no free table); those go back to the pool and may not return to that
        slot for a while. Returns the meetings still unplaced in the best state seen.
        """
        pending = list(pool)
        best = len(pending)
        best_state = (list(self.colour), list(pending))
        tabu: dict[tuple[int, int], int] = {}
        stuck: list[int] = []
        limit = 200 * len(pending) + 2_000
        for step in range(1, limit + 1):
            if not pending or (step % 64 == 0 and time.monotonic() > deadline):
                break
            e = pending.pop(rng.randrange(len(pending)))
            if not self.place(e, enforce_tables=True, max_tries=30):
                u, v = self.ends[e]
                options: list[tuple[float, int, set[int]]] = []
                for slot in _bits(self.allowed[e]):
                    blockers = {self.at[u][slot], self.at[v][slot]} - {-1}
                    if _LOCKED in blockers or any(self.locked[b] for b in blockers):
                        continue
                    cost = len(blockers) + (self.count[slot] - len(blockers) >= self.tables)
                    if tabu.get((e, slot), 0) > step:
                        cost += 10
                    options.append((cost + rng.random(), slot, blockers))
                if not options:
                    stuck.append(e)  # every usable slot holds a meeting that never moves
                    continue
                _cost, slot, blockers = min(options, key=lambda o: o[0])
                for b in blockers:
                    self.erase(b)
                if self.count[slot] >= self.tables:
                    movable = sorted(b for b in self.members[slot] if not self.locked[b])
                    if not movable:  # the slot is full of meetings that never move
                        for b in blockers:
                            self.paint(b, slot)
                        stuck.append(e)
                        continue
                    victim = rng.choice(movable)
                    self.erase(victim)
                    blockers = {*blockers, victim}
                for b in blockers:
                    pending.append(b)
                    tabu[b, slot] = step + 7 + rng.randrange(8)
                self.paint(e, slot)
            if len(pending) < best:
                best = len(pending)
                best_state = (list(self.colour), list(pending))
        if len(pending) > best:
            self.restore(best_state[0])
            pending = best_state[1]
        return pending + stuck

    def restore(self, colours: list[int]) -> None:
        """Return every movable edge to the colour recorded in ``colours``."""
        for e, c in enumerate(self.colour):
            if c and not self.locked[e]:
                self.erase(e)
        for e, c in enumerate(colours):
            if c and not self.locked[e]:
                self.paint(e, c)

    def balance(self) -> list[int]:
        """Bring every slot down to at most ``tables`` meetings; returns evicted edges.

        For an over-full slot alpha and an under-full beta, the alpha/beta subgraph is a union
        of paths and even cycles, and a path starting and ending with alpha swaps one meeting
        from alpha to beta (the equitable-colouring argument).
        """
        evicted: list[int] = []
        n = len(self.at)
        for alpha in range(1, self.n_slots + 1):
            if self.count[alpha] <= self.tables:
                continue
            for beta in sorted(range(1, self.n_slots + 1), key=lambda c: self.count[c]):
                if self.count[alpha] <= self.tables or self.count[beta] >= self.tables:
                    break
                for x in range(n):
                    if self.count[alpha] <= self.tables or self.count[beta] >= self.tables:
                        break
                    if self.at[x][alpha] < 0 or self.at[x][beta] != -1:
                        continue
                    found = self._path(x, alpha, beta)
                    if found is not None and len(found[0]) % 2 == 1:
                        self._swap(found[0], alpha, beta)
            while self.count[alpha] > self.tables:
                victim = next(
                    e
                    for e in range(len(self.ends))
                    if self.colour[e] == alpha and not self.locked[e]
                )
                self.erase(victim)
                evicted.append(victim)
        return evicted

    def improve_breaks(self, deadline: float, rng: random.Random) -> int:
        """Kempe-move local search on total breaks; returns the number of moves applied.

        Moving participant u's meeting from a run end alpha to an idle neighbour slot beta
        swaps the alpha/beta path from u: only u and the path's other end change busy slots.
        """
        moves = 0
        improved = True
        order = list(range(len(self.at)))
        while improved and not self._expired(deadline):
            improved = False
            rng.shuffle(order)
            for u in order:
                if self._expired(deadline):
                    break
                while self._improve_one(u):
                    moves += 1
                    improved = True
        return moves

    def anneal(self, steps: int, deadline: float, rng: random.Random, *, hot: float = 1.0) -> int:
        """Simulated annealing over random Kempe moves; returns the net cost removed.

        A move takes a random meeting of participant u from slot alpha to a slot beta where u
        is idle (near its other meetings two times in three) by swapping the alpha/beta path.
        The temperature falls geometrically with the step count (not the clock, so a run is
        reproducible whenever it finishes before ``deadline``); the best colouring seen wins.
        """
        edges = [e for e in range(len(self.ends)) if self.colour[e] and not self.locked[e]]
        if not edges or steps <= 0:
            return 0
        cost = self.cost
        total = sum(cost(b) for b in self.busy)
        start_total = best = total
        best_colours = list(self.colour)
        cold = min(hot, 0.05)
        rand = rng.random
        ends, n_edges, n_slots = self.ends, len(edges), self.n_slots
        for step in range(steps):
            if step % 1024 == 0 and self._expired(deadline):
                break
            e = edges[int(rand() * n_edges)]
            u = ends[e][rand() < 0.5]
            alpha = self.colour[e]
            busy = self.busy[u]
            idle = self.allowed[e] & ~busy
            near = idle & ((busy << 1) | (busy >> 1))
            if near and rand() < 0.67:
                beta = rng.choice(list(_bits(near))) if near & (near - 1) else near.bit_length() - 1
            else:
                # Probing random slots is cheaper than listing the (many) idle ones.
                beta = 1 + int(rand() * n_slots)
                if not idle >> beta & 1:
                    continue
            found = self._path(u, alpha, beta)
            if found is None or found[1] == u:
                continue
            path, z = found
            odd = len(path) % 2
            if odd and self.count[beta] >= self.tables:
                continue
            moved = (busy & ~(1 << alpha)) | (1 << beta)
            lost, gained = (alpha, beta) if odd else (beta, alpha)
            old_z = self.busy[z]
            new_z = (old_z & ~(1 << lost)) | (1 << gained)
            delta = cost(moved) - cost(busy) + cost(new_z) - cost(old_z)
            temperature = hot * (cold / hot) ** (step / steps)
            if delta <= 0 or rng.random() < math.exp(-delta / temperature):
                self._swap(path, alpha, beta)
                total += delta
                if total < best:
                    best = total
                    best_colours = list(self.colour)
        if total > best:
            self.restore(best_colours)
        return start_total - best

    def _improve_one(self, u: int) -> bool:
        busy = self.busy[u]
        before = self.cost(busy)
        if before == 0:
            return False
        run_ends = (busy & ~(busy << 1)) | (busy & ~(busy >> 1))
        targets = ((busy << 1) | (busy >> 1)) & ~busy
        for alpha in _bits(run_ends):
            e = self.at[u][alpha]
            if e < 0 or self.locked[e]:
                continue
            for beta in _bits(targets & self.allowed[e]):
                moved = (busy & ~(1 << alpha)) | (1 << beta)
                delta_u = self.cost(moved) - before
                if delta_u >= 0:
                    continue
                found = self._path(u, alpha, beta)
                if found is None or found[1] == u:
                    continue
                path, z = found
                odd = len(path) % 2
                if odd and self.count[beta] >= self.tables:
                    continue
                lost, gained = (alpha, beta) if odd else (beta, alpha)
                old_z = self.busy[z]
                new_z = (old_z & ~(1 << lost)) | (1 << gained)
                if delta_u + self.cost(new_z) - self.cost(old_z) < 0:
                    self._swap(path, alpha, beta)
                    return True
        return False


@dataclass(frozen=True, slots=True)
class TwoSidedResult:
    """``slot_of``: placed meeting -> slot. ``upper_bound``: proven maximum of schedulable
    meetings. ``unplaced``: meetings the flow kept that the heuristic could not place (always
    empty when ``exact``). ``excluded``: meetings the flow left out."""

    sides: tuple[frozenset[int], frozenset[int]]
    slot_of: Mapping[int, int]
    upper_bound: int
    exact: bool
    unplaced: tuple[int, ...]
    excluded: tuple[int, ...]

    @property
    def kept(self) -> tuple[int, ...]:
        return tuple(sorted(self.slot_of))


def _is_exact_case(problem: SchedulingProblem) -> bool:
    meeting_people = {pid for m in problem.meetings for pid in m.participants}
    return all(
        m.fixed_slot is None
        and not m.after
        and (m.allowed_slots is None or set(problem.slots) <= m.allowed_slots)
        for m in problem.meetings
    ) and not any(
        p.forbidden & set(problem.slots) for p in problem.participants if p.id in meeting_people
    )


@dataclass(frozen=True, slots=True)
class _Placement:
    colouring: _Colouring
    edge_of: dict[int, int]  # 2-participant meeting id -> edge
    groups: dict[int, int]  # locked meetings of 3+ participants -> slot
    unplaced: list[int]

    def slots(self) -> dict[int, int]:
        colour = self.colouring.colour
        result = dict(self.groups)
        result.update({mid: colour[e] for mid, e in self.edge_of.items() if colour[e]})
        return result


def _place_all(
    problem: SchedulingProblem,
    prep: _Prepared,
    kept: Sequence[Meeting],
    rng: random.Random,
    deadline: float,
) -> _Placement:
    """Colour ``kept``: locked meetings greedily first, then the rest with Kempe swaps."""
    colouring = _Colouring(len(prep.index), problem.n_slots, problem.tables)
    edge_of: dict[int, int] = {}
    unplaced: list[int] = []
    # Meetings the colouring must not move: groups of 3+, fixed slots, precedence chains.
    # Fixed ones go first (they have no choice); a chained meeting waits for its predecessors.
    chained = {b for m in kept for b in m.after} | {m.id for m in kept if m.after}
    kept_ids = {m.id for m in kept}
    slot_locked: dict[int, int] = {}
    pending = sorted(
        (
            m
            for m in kept
            if len(m.participants) != 2 or m.fixed_slot is not None or m.id in chained
        ),
        key=lambda m: m.fixed_slot is None,
    )
    while pending:
        waiting = [
            m for m in pending if any(b in kept_ids and b not in slot_locked for b in m.after)
        ]
        if len(waiting) == len(pending):  # a cycle, or predecessors that failed
            unplaced += [m.id for m in waiting]
            break
        for meeting in pending:
            if meeting in waiting:
                continue
            vertices = [prep.index[p] for p in meeting.participants]
            free = 0
            if all(b in slot_locked for b in meeting.after):
                earliest = max((slot_locked[b] + 1 for b in meeting.after), default=1)
                free = prep.allowed[meeting.id] & ~colouring.full & ~((1 << earliest) - 1)
                for v in vertices:
                    free &= ~colouring.busy[v]
            if not free:
                unplaced.append(meeting.id)
                kept_ids.discard(meeting.id)  # its successors cannot be held either
                continue
            slot = (free & -free).bit_length() - 1
            slot_locked[meeting.id] = slot
            if len(vertices) == 2:
                e = colouring.add_edge(vertices[0], vertices[1], prep.allowed[meeting.id], True)
                colouring.paint(e, slot)
                edge_of[meeting.id] = e
            else:
                colouring.occupy(vertices, slot)
        pending = waiting
    failed_ids = set(unplaced)
    free_pairs = [m for m in kept if m.id not in slot_locked and m.id not in failed_ids]
    for meeting in free_pairs:
        u, v = (prep.index[p] for p in meeting.participants)
        edge_of[meeting.id] = colouring.add_edge(u, v, prep.allowed[meeting.id])
    # Most loaded participants first, each one's meetings together: long contiguous runs.
    degree = Counter(v for m in free_pairs for v in colouring.ends[edge_of[m.id]])
    incident: dict[int, list[int]] = {}
    for meeting in free_pairs:
        e = edge_of[meeting.id]
        for v in colouring.ends[e]:
            incident.setdefault(v, []).append(e)
    usable: dict[int, int] = {}
    for v, edges in incident.items():
        for e in edges:
            usable[v] = usable.get(v, 0) | colouring.allowed[e]
    # Least slack first (meetings left vs usable slots), then most loaded: tight participants
    # get first pick, and each participant's meetings are coloured together (contiguous runs).
    slack = {v: usable[v].bit_count() - degree[v] for v in incident}
    failed: dict[int, None] = {}
    for v in sorted(incident, key=lambda x: (slack[x], -degree[x], x)):
        for e in sorted(incident[v], key=lambda f: min(slack[w] for w in colouring.ends[f])):
            if (
                colouring.colour[e] == 0
                and e not in failed
                and not colouring.place(e, enforce_tables=False, max_tries=64)
            ):
                failed[e] = None
    failed.update(dict.fromkeys(colouring.balance()))
    still: list[int] = []
    for e in failed:
        if not colouring.place(e, enforce_tables=True, max_tries=None) and not colouring.eject(e):
            still.append(e)
    if still:
        still = colouring.repair(still, rng, deadline)
    meeting_of = {e: mid for mid, e in edge_of.items()}
    unplaced += [meeting_of[e] for e in still]
    groups = {mid: slot for mid, slot in slot_locked.items() if mid not in edge_of}
    return _Placement(colouring, edge_of, groups, unplaced)


def _select(problem: SchedulingProblem, prep: _Prepared) -> tuple[list[Meeting], int, list[int]]:
    """Kept meetings, the flow bound, and meetings left out by the selection."""
    usable = [m for m in problem.meetings if prep.allowed[m.id]]
    sides = is_two_sided(problem)
    if sides is not None:
        value, chosen = _flow_select(problem, prep, usable, sides)
        chosen_ids = set(chosen)
        kept = [m for m in usable if m.id in chosen_ids]
        bound = min(value, len(usable))
    else:
        bound = upper_bound(problem)
        # Greedy trim to participant capacities (highest priority first): a heuristic.
        load: Counter[int] = Counter()
        kept = []
        for meeting in sorted(usable, key=lambda m: -m.priority):
            if all(load[p] < prep.capacity[prep.index[p]] for p in meeting.participants):
                kept.append(meeting)
                load.update(meeting.participants)
    kept_ids = {m.id for m in kept}
    return kept, bound, [m.id for m in usable if m.id not in kept_ids]


def max_schedulable_two_sided(
    problem: SchedulingProblem, *, seed: int = 1, repair_s: float = 10.0
) -> TwoSidedResult:
    """Max-flow selection plus König colouring for a two-sided event (see the module docstring).

    ``repair_s`` bounds the min-conflicts repair of meetings the colouring could not place
    (never used in the exact case). Raises ValueError when the event is not two-sided.
    """
    sides = is_two_sided(problem)
    if sides is None:
        raise ValueError("not a two-sided event")
    prep = _prepare(problem)
    kept, bound, excluded = _select(problem, prep)
    rng = random.Random(seed)  # noqa: S311 - a search order, not cryptography
    placement = _place_all(problem, prep, kept, rng, time.monotonic() + repair_s)
    return TwoSidedResult(
        sides,
        placement.slots(),
        bound,
        _is_exact_case(problem),
        tuple(sorted(placement.unplaced)),
        tuple(excluded),
    )


def break_lower_bound(problem: SchedulingProblem, scheduled: Sequence[int]) -> int:
    """Valid lower bound on total breaks for any schedule of exactly these meetings.

    A participant with d meetings whose usable slots form runs r1 ≥ r2 ≥ ... needs at least
    k runs with r1 + ... + rk ≥ d, hence at least k - 1 breaks (``bounds.runs_bound``).
    """
    prep = _prepare(problem)
    meetings = {m.id: m for m in problem.meetings}
    usable: dict[int, list[int]] = {}
    for mid in scheduled:
        for pid in meetings[mid].participants:
            usable.setdefault(pid, []).append(prep.allowed[mid])
    return sum(runs_bound(masks) for masks in usable.values())


def _reasons(
    problem: SchedulingProblem, prep: _Prepared, slot_of: Mapping[int, int]
) -> list[Unscheduled]:
    load: Counter[int] = Counter()
    meetings = {m.id: m for m in problem.meetings}
    for mid in slot_of:
        load.update(meetings[mid].participants)
    limits = {p.id: p.max_meetings for p in problem.participants}
    out = []
    for meeting in problem.meetings:
        if meeting.id in slot_of:
            continue
        if not prep.allowed[meeting.id]:
            out.append(Unscheduled(meeting.id, "no_common_slot"))
            continue
        full = next(
            (
                p
                for p in meeting.participants
                if limits.get(p) is not None and load[p] >= (limits[p] or 0)
            ),
            None,
        )
        out.append(
            Unscheduled(meeting.id, "participant_limit", full)
            if full is not None
            else Unscheduled(meeting.id, "capacity")
        )
    return out


BOUND_SHARE = 0.15  # of schedule_large's time limit, kept for the per-participant break bound
BOUND_MAX_S = 60.0
FINISH_SHARE = 0.99  # the search ends by this share of the limit: the rest is for the tables


def schedule_large(
    problem: SchedulingProblem,
    *,
    time_limit_s: float = 10.0,
    seed: int = 1,
    anneal_steps: int | None = None,
    fairness: int | None = None,
    progress: Callable[[str], None] | None = None,
    stop: Callable[[], bool] | None = None,
    with_bound: bool = True,
    workers: int = 1,
) -> Schedule:
    """A complete valid schedule for a large event without CP-SAT (see the module docstring).

    ``time_limit_s`` bounds the repair and the break-reducing local search (the construction
    itself takes about a second for 50,000 meetings). ``anneal_steps``: length of the simulated
    annealing; by default it is sized to fill the time limit, so the result depends on the
    machine's speed. With an explicit value the result depends only on ``seed`` whenever the
    run ends before the time limit. ``fairness`` d is soft: the local search penalises every
    break beyond d for a participant (participants with one meeting have none, so a spread of
    at most d means at most d each); the notes say whether the result meets it, and a result
    that misses it has status ``unknown`` and ``relaxed == ("fairness",)``. The break
    lower bound (``bounds.own_minimum_breaks``): with ``workers=1`` it is computed first, in at
    most ``BOUND_SHARE`` of the time limit (and ``BOUND_MAX_S``), and the search gets what it
    leaves; with ``workers >= 2`` its CP-SAT part runs in a worker process
    (``bounds.BoundProcess``) beside the search, which then has the whole limit, and the
    bound has as long as the search runs (at least that same budget). With ``anneal_steps``
    given the schedule still depends only on the seed, the bound on how far its time box
    reaches. ``stop``: polled during the break search, which ends (keeping its
    best state) once it returns true. ``with_bound=False`` skips the per-participant bound, for
    a caller that has its own (the exact portfolio).
    """
    started = time.monotonic()
    prep = _prepare(problem)
    kept, bound, _excluded = _select(problem, prep)
    rng = random.Random(seed)  # noqa: S311 - a search order, not cryptography
    placement = _place_all(problem, prep, kept, rng, started + time_limit_s / 2)
    built = time.monotonic()
    if progress is not None:
        progress(
            f"flow bound {bound}, {len(placement.slots())} placed in {built - started:.2f} s; "
            "reducing breaks"
        )
    colouring = placement.colouring
    colouring.break_cap = fairness
    colouring.stop = stop
    # The per-participant lower bound (bounds.py) of the placed meetings first, time-boxed; the
    # local search moves meetings between slots but never changes which are placed, and gets
    # the rest of the time (1 % stays for the table assignment and the report).
    placed = list(placement.slots())
    deadline = started + FINISH_SHARE * time_limit_s
    bound_budget = max(0.05, min(BOUND_SHARE * time_limit_s, BOUND_MAX_S))
    own: BreakBound | None = None
    beside: BoundProcess | None = None
    if with_bound:
        bound_started = time.monotonic()
        base, hard = cheap_minima(participant_masks(problem, placed, prep.allowed), problem.n_slots)
        if hard and workers >= 2:
            # Another core: the bound's CP-SAT part runs in a worker process beside the search,
            # for as long as the search runs (and at least the sequential budget).
            try:
                beside = BoundProcess(
                    base,
                    hard,
                    problem.n_slots,
                    time_limit_s=max(bound_budget, deadline - time.monotonic()),
                )
            except OSError:  # no process could be started: the bound runs here, first
                beside = None
        if beside is None:
            own = exact_bound(
                base, hard, problem.n_slots, started=bound_started, time_limit_s=bound_budget
            )
    moves = colouring.improve_breaks(deadline, rng)
    if anneal_steps is None:
        # Fit each cooling schedule to the time left, measuring the step rate as we go; a run
        # that ends early (the machine got faster) is followed by a cooler one.
        steps, annealed = 20_000, 0
        for hot in itertools.chain((0.05, 1.0), itertools.repeat(0.3)):
            if colouring._expired(deadline - 1.0):
                break
            run_start = time.monotonic()
            annealed += colouring.anneal(steps, deadline, rng, hot=hot)
            rate = steps / max(1e-3, time.monotonic() - run_start)
            steps = int(rate * max(0.0, deadline - time.monotonic()) * 0.95)
    else:
        annealed = colouring.anneal(anneal_steps, deadline, rng)
    moves += colouring.improve_breaks(deadline, rng)
    unplaced = placement.unplaced
    final = placement.slots()  # re-read: the local search moved meetings
    assignments, failed = assign_tables(problem, final)
    if beside is not None:
        # A stopped search is not kept waiting; otherwise the worker gets at least the time
        # the bound would have had in this process.
        now = time.monotonic()
        stopped = stop is not None and stop()
        own = beside.result(
            now if stopped else min(max(now, beside.started + bound_budget), started + time_limit_s)
        )
    per_participant = participant_breaks(problem, final)
    breaks = sum(per_participant.values())
    # The bound is for the placed set.
    own_total = own.total if own is not None and set(final) == set(placed) else 0
    lower = min(max(break_lower_bound(problem, list(final)), own_total), breaks)
    notes = [
        f"construction {built - started:.2f} s, {moves} descent moves, annealing removed "
        f"{annealed} (penalised) breaks",
        f"worst participant: {max(per_participant.values(), default=0)} breaks",
    ]
    if own is not None:
        notes.append(
            f"break bound: each participant's own minimum, {own.total} "
            f"({own.solved} participants by CP-SAT in {own.seconds:.1f} s"
            f"{' in a worker process beside the search' if beside is not None else ''}"
            f"{'' if own.complete else ', time budget reached: the rest by their slot runs'})"
        )
        if beside is not None and beside.error:
            notes.append(f"break bound worker failed: {beside.error}")
    relaxed: tuple[str, ...] = ()
    if fairness is not None and per_participant:
        fewest = min(per_participant.values())
        spread = max(per_participant.values()) - fewest
        over = sum(1 for value in per_participant.values() if value > fewest + fairness)
        if spread > fairness:
            relaxed = ("fairness",)
        notes.append(
            f"fairness {fairness} met (spread {spread})"
            if spread <= fairness
            else f"fairness {fairness} not met (spread {spread}; {over} participants have more "
            f"than {fewest + fairness} breaks): status unknown, the schedule is the best found "
            "with fairness relaxed"
        )
    if unplaced:
        notes.append(f"{len(unplaced)} meetings within the flow bound were not placed")
    if failed:
        notes.append("table keeping impossible in: " + ", ".join(failed))
    # A schedule that misses the fairness bound is not a solution of the problem asked: whether
    # one exists is unknown (the break bound ignores fairness, so it cannot refute it).
    if relaxed:
        status = "unknown"
    elif len(final) == bound and breaks == lower:
        status = "optimal"
    else:
        status = "feasible"
    return Schedule(
        status=status,
        relaxed=relaxed,
        assignments=assignments,
        unscheduled=tuple(sorted(_reasons(problem, prep, final), key=lambda u: u.meeting)),
        breaks=breaks,
        lower_bound=lower,
        max_schedulable=bound,
        stats=SolveStats(
            seconds=time.monotonic() - started,
            phases=("flow", "edge_colouring", "kempe_local_search"),
            solutions=1,
            bound_source="max-flow (meetings); per-participant minima (breaks)",
            notes=tuple(notes),
        ),
    )
