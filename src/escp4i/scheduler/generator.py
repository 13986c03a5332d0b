"""Synthetic B2B events calibrated on real brokerage events, deterministic from a seed.

Side A are EU cluster organisations and SMEs, side B third-country delegates; every generated
meeting pairs one of each unless ``non_two_sided`` adds cluster-to-cluster pairs and delegation
meetings of three. Meetings per participant are heavy-tailed (Pareto) up to the participant's
available slots; 15-40 % of participants (drawn per seed, inside the 10-50 % seen at real
events) are fully booked: as many meetings as their capacity, i.e. their available slots or
their own maximum. Tables are sized for a utilisation drawn in 60-95 % (real events: 50-98 %).
About 16 % of participants attend one day or one half-day only, about 10 % block one to three
further slots, and 20 % of meetings are restricted to one session. The generator plants a
witness schedule (a slot for every meeting, valid for every hard constraint) before it writes
the restrictions, so every generated meeting is schedulable and the maximum number of
schedulable meetings is known.
Named tiers: ``S`` (tests), ``M`` (≈600 participants, 2,500 meetings, 48 slots over two days)
and ``L`` (≈2,200 participants, 50,000 meetings, 100 slots). Problems are named
``synthetic-<tier>-seed<seed>``; nothing here reads real event data.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from dataclasses import dataclass

from escp4i.scheduler.problem import Meeting, Participant, SchedulingProblem, Session
from escp4i.scheduler.twosided import max_schedulable_two_sided


@dataclass(frozen=True, slots=True)
class Tier:
    """Size of a synthetic event. Slots: ``days`` * 2 sessions * ``slots_per_session``."""

    name: str
    participants: int
    meetings: int
    days: int
    slots_per_session: int
    side_a_share: float = 0.6


TIERS: dict[str, Tier] = {
    "S": Tier("S", 30, 80, 1, 5),
    "M": Tier("M", 600, 2_500, 2, 12),
    "L": Tier("L", 2_200, 50_000, 2, 25),
}


@dataclass(frozen=True, slots=True)
class SyntheticInstance:
    """A generated problem with its planted witness schedule (meeting id -> slot)."""

    problem: SchedulingProblem
    witness: dict[int, int]


@dataclass(frozen=True, slots=True)
class Calibration:
    """Shape figures of a problem, comparable with real events (see docs/benchmarks.md)."""

    participants: int
    meetings: int
    slots: int
    tables: int
    utilisation: float  # meetings / (tables * slots)
    fully_booked_share: float  # participants whose meetings equal their capacity
    max_meetings_per_participant: int
    median_meetings_per_participant: float
    session_restricted_share: float
    forbidden_participant_share: float  # participants with at least one unavailable slot
    two_sided_share: float  # meetings pairing one side-A with one side-B participant


def _capacity(problem: SchedulingProblem, participant: Participant) -> int:
    available = problem.n_slots - len(participant.forbidden & set(problem.slots))
    if participant.max_meetings is None:
        return available
    return min(available, participant.max_meetings)


def calibration(problem: SchedulingProblem, side_a: frozenset[int] | None = None) -> Calibration:
    """Measure a problem's shape. ``side_a``: ids of side A (default: ids ≤ the A count)."""
    degree = Counter(pid for m in problem.meetings for pid in m.participants)
    people = problem.participants
    degrees = sorted(degree.get(p.id, 0) for p in people)
    full = sum(1 for p in people if degree.get(p.id, 0) >= _capacity(problem, p) > 0)
    if side_a is None:
        side_a = frozenset(p.id for p in people if not p.name.startswith("Delegate"))
    two_sided = sum(
        1
        for m in problem.meetings
        if len(m.participants) == 2 and len(side_a & set(m.participants)) == 1
    )
    n = max(1, len(people))
    count = max(1, len(problem.meetings))
    return Calibration(
        participants=len(people),
        meetings=len(problem.meetings),
        slots=problem.n_slots,
        tables=problem.tables,
        utilisation=len(problem.meetings) / max(1, problem.tables * problem.n_slots),
        fully_booked_share=full / n,
        max_meetings_per_participant=degrees[-1] if degrees else 0,
        median_meetings_per_participant=(
            (degrees[(n - 1) // 2] + degrees[n // 2]) / 2 if degrees else 0.0
        ),
        session_restricted_share=sum(1 for m in problem.meetings if m.allowed_slots is not None)
        / count,
        forbidden_participant_share=sum(1 for p in people if p.forbidden) / n,
        two_sided_share=two_sided / count,
    )


def _sessions(tier: Tier) -> tuple[Session, ...]:
    sessions = []
    slot = 1
    for day in range(1, tier.days + 1):
        for part in ("morning", "afternoon"):
            slots = tuple(range(slot, slot + tier.slots_per_session))
            sessions.append(Session(f"day {day} {part}", slots))
            slot += tier.slots_per_session
    return tuple(sessions)


def _windows(
    rng: random.Random, ids: list[int], sessions: tuple[Session, ...], days: int
) -> dict[int, frozenset[int]]:
    """Attendance windows: most attend everything, some one day or one half-day only."""
    every = frozenset(s for session in sessions for s in session.slots)
    result: dict[int, frozenset[int]] = {}
    for pid in ids:
        draw = rng.random()
        if draw < 0.10 and days > 1:
            day = rng.randrange(days)
            result[pid] = frozenset(sessions[2 * day].slots + sessions[2 * day + 1].slots)
        elif draw < 0.16:
            result[pid] = frozenset(rng.choice(sessions).slots)
        else:
            result[pid] = every
    return result


def _degrees(
    rng: random.Random, ids: list[int], capacity: dict[int, int], total: int, full_share: float
) -> tuple[dict[int, int], dict[int, int], set[int]]:
    """Meeting counts summing to ``total``, max_meetings of the self-limited, the fully booked.

    A ``full_share`` of participants is fully booked: either their whole window or an own
    maximum (a participant who asked for at most k meetings and got k). The others draw a
    Pareto weight and are scaled to fill ``total`` (water-filling below their capacity).
    """
    order = sorted(ids, key=lambda p: (capacity[p], rng.random()))
    # Short windows fill up first at real events: prefer them for the fully booked.
    booked = order[: round(full_share * len(ids))]
    degree: dict[int, int] = {}
    limit: dict[int, int] = {}
    for pid in booked:
        if capacity[pid] > 12 and rng.random() < 0.7:
            limit[pid] = min(capacity[pid], 2 + int(rng.paretovariate(1.3) * 3))
            degree[pid] = limit[pid]
        else:
            degree[pid] = capacity[pid]
    rest = [p for p in ids if p not in degree]
    while booked and sum(degree.values()) + len(rest) > total:
        dropped = max(booked, key=lambda p: degree[p])
        booked.remove(dropped)
        degree.pop(dropped)
        limit.pop(dropped, None)
        rest.append(dropped)
    needed = total - sum(degree.values())
    ceiling = {p: max(1, capacity[p] - 1) for p in rest}
    if needed > sum(ceiling.values()):
        raise ValueError("tier too dense for its participants and slots")
    weight = {p: rng.paretovariate(1.6) for p in rest}

    def filled(k: float) -> dict[int, int]:
        return {p: min(ceiling[p], max(1, round(weight[p] * k))) for p in rest}

    low, high = 0.0, float(total)
    for _ in range(60):
        mid = (low + high) / 2
        low, high = (mid, high) if sum(filled(mid).values()) < needed else (low, mid)
    counts = filled(high)
    gap = needed - sum(counts.values())
    while gap != 0:
        pid = rng.choice(rest)
        if gap > 0 and counts[pid] < ceiling[pid]:
            counts[pid] += 1
            gap -= 1
        elif gap < 0 and counts[pid] > 1:
            counts[pid] -= 1
            gap += 1
    degree.update(counts)
    return degree, limit, set(booked)


def _pairs(
    rng: random.Random,
    degree_a: dict[int, int],
    degree_b: dict[int, int],
    window: dict[int, frozenset[int]],
) -> set[tuple[int, int]]:
    """A simple bipartite graph with (almost) these degrees: stub matching, then repairs.

    A repeated pair, or a pair whose attendance windows do not overlap, swaps partners with a
    random good pair when both new pairs are new and overlap; the few that cannot are dropped.
    """
    stubs_a = [p for p, d in degree_a.items() for _ in range(d)]
    stubs_b = [p for p, d in degree_b.items() for _ in range(d)]
    rng.shuffle(stubs_b)
    seen: set[tuple[int, int]] = set()
    good = [False] * len(stubs_a)
    bad: list[int] = []
    for i, pair in enumerate(zip(stubs_a, stubs_b, strict=True)):
        if pair in seen or not window[pair[0]] & window[pair[1]]:
            bad.append(i)
        else:
            seen.add(pair)
            good[i] = True
    for i in bad:
        a, b = stubs_a[i], stubs_b[i]
        for _ in range(100):
            j = rng.randrange(len(stubs_a))
            a2, b2 = stubs_a[j], stubs_b[j]
            if not good[j] or (a, b2) in seen or (a2, b) in seen:
                continue
            if window[a] & window[b2] and window[a2] & window[b]:
                seen.discard((a2, b2))
                seen.update(((a, b2), (a2, b)))
                stubs_b[i], stubs_b[j] = b2, b
                good[i] = True
                break
    return seen


def generate_instance(
    tier: str | Tier = "M", *, seed: int = 1, non_two_sided: float = 0.0
) -> SyntheticInstance:
    """Generate a tier's event with its witness schedule (see the module docstring).

    ``non_two_sided``: extra meetings, as a share of the two-sided ones, between two side-A
    participants or (one in five) a delegate with two side-A participants.
    """
    spec = TIERS[tier] if isinstance(tier, str) else tier
    rng = random.Random(f"escp4i-synthetic-{spec.name}-{seed}")  # noqa: S311 - not cryptography
    sessions = _sessions(spec)
    n_slots = len(sessions) * spec.slots_per_session
    n_a = round(spec.side_a_share * spec.participants)
    side_a = list(range(1, n_a + 1))
    side_b = list(range(n_a + 1, spec.participants + 1))
    window = _windows(rng, side_a + side_b, sessions, spec.days)
    capacity = {p: len(w) for p, w in window.items()}
    full_share = rng.uniform(0.15, 0.4)
    degree_a, limit_a, booked_a = _degrees(rng, side_a, capacity, spec.meetings, full_share)
    degree_b, limit_b, booked_b = _degrees(rng, side_b, capacity, spec.meetings, full_share)
    limit = {**limit_a, **limit_b}
    booked = booked_a | booked_b
    utilisation = rng.uniform(0.6, 0.95)
    tables = math.ceil(spec.meetings / (utilisation * n_slots))
    pairs = sorted(_pairs(rng, degree_a, degree_b, window))
    rng.shuffle(pairs)  # request order at a real event is arrival order, not sorted

    every = frozenset(range(1, n_slots + 1))
    # Plant: colour the meetings within the windows; meetings it cannot place are not generated.
    draft = SchedulingProblem(
        "draft",
        n_slots,
        tables,
        tuple(Participant(p, forbidden=every - window[p]) for p in side_a + side_b),
        tuple(Meeting(i, pair) for i, pair in enumerate(pairs, start=1)),
    )
    witness_by_pair = {
        pairs[mid - 1]: slot for mid, slot in max_schedulable_two_sided(draft).slot_of.items()
    }
    kept_pairs: list[tuple[int, ...]] = [pair for pair in pairs if pair in witness_by_pair]
    slot_list = [witness_by_pair[pair] for pair in pairs if pair in witness_by_pair]

    busy: dict[int, set[int]] = {p: set() for p in side_a + side_b}
    load = Counter(slot_list)
    for pair, slot in zip(kept_pairs, slot_list, strict=True):
        for pid in pair:
            busy[pid].add(slot)
    extra = round(non_two_sided * len(kept_pairs))
    for _ in range(extra * 3):
        if extra == 0:
            break
        extra_group = rng.sample(side_a, 2) + ([rng.choice(side_b)] if rng.random() < 0.2 else [])
        free = [
            t
            for t in sorted(set.intersection(*(set(window[p]) - busy[p] for p in extra_group)))
            if load[t] < tables
        ]
        if not free:
            continue
        slot = rng.choice(free)
        kept_pairs.append(tuple(extra_group))
        slot_list.append(slot)
        load[slot] += 1
        for pid in extra_group:
            busy[pid].add(slot)
        extra -= 1

    forbidden: dict[int, frozenset[int]] = {}
    for pid in side_a + side_b:
        blocked = set(every - window[pid])
        idle = sorted(window[pid] - busy[pid])
        if pid in limit:
            limit[pid] = len(busy[pid])  # the self-limited participant got what it asked for
        elif pid in booked and len(idle) <= 3:
            # Planting lost a meeting or two: the fully booked participant blocks those slots.
            blocked |= set(idle)
        elif idle and rng.random() < 0.1:
            blocked |= set(rng.sample(idle, min(len(idle), rng.randint(1, 3))))
        forbidden[pid] = frozenset(blocked)

    session_of = {slot: session for session in sessions for slot in session.slots}
    meetings: list[Meeting] = []
    witness: dict[int, int] = {}
    for mid, (group, slot) in enumerate(zip(kept_pairs, slot_list, strict=True), start=1):
        restricted = frozenset(session_of[slot].slots) if rng.random() < 0.2 else None
        meetings.append(Meeting(mid, group, allowed_slots=restricted))
        witness[mid] = slot
    participants = tuple(
        Participant(
            pid,
            name=("Cluster or SME" if pid <= n_a else "Delegate") + f" {pid}",
            forbidden=forbidden[pid],
            max_meetings=limit.get(pid),
        )
        for pid in side_a + side_b
    )
    problem = SchedulingProblem(
        f"synthetic-{spec.name}-seed{seed}",
        n_slots,
        tables,
        participants,
        tuple(meetings),
        sessions,
    )
    return SyntheticInstance(problem, witness)


def generate(
    tier: str | Tier = "M", *, seed: int = 1, non_two_sided: float = 0.0
) -> SchedulingProblem:
    """The problem of ``generate_instance`` (the witness schedule dropped)."""
    return generate_instance(tier, seed=seed, non_two_sided=non_two_sided).problem
