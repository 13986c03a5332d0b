"""Ranking and selection of proposals in a call: a pure function, no Django, no ORM.

``rank(call, proposals)`` takes plain frozen dataclasses and returns one ``RankedProposal`` per
input proposal. The rule (also in docs/calls.md):

1. **Order.** Proposals are ordered by consensus total, highest first. Ties are broken by the
   lower requested grant (it leaves more budget for others), then by the lower ``key`` (the
   proposal id: the earlier-created proposal wins). The order is therefore total and does not
   depend on the input order.
2. **Gates.** A proposal that is not eligible, or asks more than its strand's maximum grant, is
   ``INELIGIBLE``. One without a consensus score for every criterion is ``NOT_SCORED``. One with a
   criterion score below that criterion's threshold, or a total below the call's overall
   threshold, is ``BELOW_THRESHOLD``. None of these is ever funded.
3. **Reserved places first.** For each reserved place group (strand, theme), in strand order then
   theme order, the passing proposals of that strand and theme are walked in ranking order; each
   is funded if the group still has a place and its grant fits the remaining call budget,
   otherwise it is skipped (budget) and the walk continues with the next one. Reserved places
   count towards the strand's places.
4. **Open places.** Reserved places left empty are released to the open competition of the same
   strand. All remaining passing proposals of every strand are then walked in one list, in
   ranking order; each is funded if its strand has an open place left and its grant fits the
   remaining budget. A proposal whose strand is full goes to the reserve list (``NO_PLACE``); one
   whose grant does not fit goes to the reserve list (``NO_BUDGET``) and the walk continues, so a
   cheaper proposal further down may still be funded. A better proposal is never passed over for
   a worse one of the same strand except when its own grant no longer fits the remaining budget,
   or when the worse one took a reserved place of a theme the better one does not have.
5. The call budget is shared by all strands; committed = sum of funded grants <= budget.
"""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal


class Outcome(enum.StrEnum):
    FUNDED = "funded"
    RESERVE = "reserve"
    BELOW_THRESHOLD = "below_threshold"
    INELIGIBLE = "ineligible"
    NOT_SCORED = "not_scored"


class Reason(enum.StrEnum):
    RESERVED_PLACE = "reserved_place"
    OPEN_PLACE = "open_place"
    NO_PLACE = "no_place"
    NO_BUDGET = "no_budget"
    NOT_ELIGIBLE = "not_eligible"
    OVER_MAX_GRANT = "over_max_grant"
    MISSING_SCORE = "missing_score"
    CRITERION_THRESHOLD = "criterion_threshold"
    OVERALL_THRESHOLD = "overall_threshold"


@dataclass(frozen=True, slots=True)
class Criterion:
    code: str
    weight: Decimal
    threshold: Decimal


@dataclass(frozen=True, slots=True)
class Strand:
    code: str
    places: int
    max_grant: Decimal | None = None


@dataclass(frozen=True, slots=True)
class ReservedPlaces:
    strand: str
    theme: str
    places: int


@dataclass(frozen=True, slots=True)
class CallSpec:
    budget: Decimal
    strands: tuple[Strand, ...]
    criteria: tuple[Criterion, ...]
    reserved: tuple[ReservedPlaces, ...] = ()
    overall_threshold: Decimal = Decimal(0)


@dataclass(frozen=True, slots=True)
class ProposalSpec:
    key: int
    strand: str
    requested: Decimal
    scores: Mapping[str, Decimal] = field(default_factory=dict)
    theme: str = ""
    eligible: bool = True


@dataclass(frozen=True, slots=True)
class RankedProposal:
    key: int
    strand: str
    outcome: Outcome
    reason: Reason
    total: Decimal | None
    #: 1-based position within the strand among proposals that passed the gates (else None).
    rank: int | None
    grant: Decimal
    reserved_theme: str = ""


@dataclass(frozen=True, slots=True)
class Ranking:
    results: tuple[RankedProposal, ...]
    committed: Decimal
    budget: Decimal

    @property
    def available(self) -> Decimal:
        return self.budget - self.committed

    def by_key(self) -> dict[int, RankedProposal]:
        return {r.key: r for r in self.results}

    def for_strand(self, strand: str) -> list[RankedProposal]:
        """The strand's proposals: ranked ones in rank order, then the others by key."""
        rows = [r for r in self.results if r.strand == strand]
        return sorted(rows, key=lambda r: (r.rank is None, r.rank or 0, r.key))


def weighted_total(criteria: Sequence[Criterion], scores: Mapping[str, Decimal]) -> Decimal:
    return sum((c.weight * scores[c.code] for c in criteria), Decimal(0))


def order_key(total: Decimal, requested: Decimal, key: int) -> tuple[Decimal, Decimal, int]:
    """Sort key of the ranking: total desc, then requested grant asc, then proposal key asc."""
    return (-total, requested, key)


def _gate(call: CallSpec, strands: Mapping[str, Strand], p: ProposalSpec) -> RankedProposal | None:
    strand = strands.get(p.strand)

    def out(outcome: Outcome, reason: Reason, total: Decimal | None = None) -> RankedProposal:
        return RankedProposal(p.key, p.strand, outcome, reason, total, None, Decimal(0))

    if strand is None or not p.eligible:
        return out(Outcome.INELIGIBLE, Reason.NOT_ELIGIBLE)
    if strand.max_grant is not None and p.requested > strand.max_grant:
        return out(Outcome.INELIGIBLE, Reason.OVER_MAX_GRANT)
    if any(c.code not in p.scores for c in call.criteria):
        return out(Outcome.NOT_SCORED, Reason.MISSING_SCORE)
    total = weighted_total(call.criteria, p.scores)
    if any(p.scores[c.code] < c.threshold for c in call.criteria):
        return out(Outcome.BELOW_THRESHOLD, Reason.CRITERION_THRESHOLD, total)
    if total < call.overall_threshold:
        return out(Outcome.BELOW_THRESHOLD, Reason.OVERALL_THRESHOLD, total)
    return None


def rank(call: CallSpec, proposals: Iterable[ProposalSpec]) -> Ranking:
    """Rank and select ``proposals`` for ``call`` (rule in the module docstring)."""
    strands = {s.code: s for s in call.strands}
    rejected: list[RankedProposal] = []
    passing: list[tuple[tuple[Decimal, Decimal, int], ProposalSpec, Decimal]] = []
    for p in proposals:
        gated = _gate(call, strands, p)
        if gated is not None:
            rejected.append(gated)
            continue
        total = weighted_total(call.criteria, p.scores)
        passing.append((order_key(total, p.requested, p.key), p, total))
    passing.sort(key=lambda item: item[0])

    ranks: dict[int, int] = {}
    counters: dict[str, int] = defaultdict(int)
    for _key, p, _total in passing:
        counters[p.strand] += 1
        ranks[p.key] = counters[p.strand]

    remaining = call.budget
    funded: dict[int, str] = {}  # proposal key -> reserved theme ("" for an open place)
    reserved_used: dict[str, int] = defaultdict(int)

    # Reserved places first (rule 3).
    for group in sorted(call.reserved, key=lambda g: (g.strand, g.theme)):
        if group.strand not in strands:
            continue
        # Reserved places are part of the strand's places, never on top of them.
        left = min(group.places, strands[group.strand].places - reserved_used[group.strand])
        granted = 0
        for _key, p, _total in passing:
            if left <= 0:
                break
            if p.strand != group.strand or p.theme != group.theme or p.key in funded:
                continue
            if p.requested <= remaining:
                funded[p.key] = group.theme
                remaining -= p.requested
                left -= 1
                granted += 1
        reserved_used[group.strand] += granted

    # Open places, including released reserved ones (rule 4).
    # Unused reserved places are released to the open competition of their strand.
    open_left = {code: max(s.places - reserved_used[code], 0) for code, s in strands.items()}
    reasons: dict[int, Reason] = {}
    for _key, p, _total in passing:
        if p.key in funded:
            continue
        if open_left[p.strand] <= 0:
            reasons[p.key] = Reason.NO_PLACE
        elif p.requested > remaining:
            reasons[p.key] = Reason.NO_BUDGET
        else:
            funded[p.key] = ""
            remaining -= p.requested
            open_left[p.strand] -= 1

    results = list(rejected)
    for _key, p, total in passing:
        if p.key in funded:
            theme = funded[p.key]
            reason = Reason.RESERVED_PLACE if theme else Reason.OPEN_PLACE
            results.append(
                RankedProposal(
                    p.key, p.strand, Outcome.FUNDED, reason, total, ranks[p.key], p.requested, theme
                )
            )
        else:
            results.append(
                RankedProposal(
                    p.key,
                    p.strand,
                    Outcome.RESERVE,
                    reasons[p.key],
                    total,
                    ranks[p.key],
                    Decimal(0),
                )
            )
    results.sort(key=lambda r: r.key)
    return Ranking(tuple(results), call.budget - remaining, call.budget)
