"""Leave-one-member-out evaluation of partner recommendations (used by benchmarks/).

For every membership (partnership P, organisation m): hide m, build every organisation profile
*without P* (``organisation_profiles(..., exclude=P)``), query with what remains of P (its name,
sector terms and families, target markets and the other members) and rank all organisations
except the remaining members. The rank of m gives recall@k and the reciprocal rank.

Ties are scored by their expectation under a random tie-break, so a method that gives many
candidates the same score gains nothing from the order they happen to be listed in; the random
baseline (all scores equal) is therefore its exact expected value, not one random draw.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from escp4i.matching.engine import PartnershipQuery
from escp4i.matching.records import (
    OrganisationProfile,
    OrganisationRecord,
    PartnershipRecord,
    organisation_profiles,
)

# A method maps (query, candidate profiles) to a score per candidate key.
Scorer = Callable[[PartnershipQuery, Mapping[str, OrganisationProfile]], Mapping[str, float]]


@dataclass(frozen=True, slots=True)
class Case:
    partnership: str
    hidden: str
    warm: bool  # the hidden member belongs to at least one other partnership


@dataclass(frozen=True, slots=True)
class Outcome:
    case: Case
    recall: float
    reciprocal_rank: float


@dataclass(frozen=True, slots=True)
class MethodResult:
    method: str
    k: int
    outcomes: tuple[Outcome, ...]

    def _mean(self, values: Sequence[float]) -> float:
        return sum(values) / len(values) if values else 0.0

    def recall(self, subset: str = "all") -> float:
        return self._mean([o.recall for o in self._subset(subset)])

    def mrr(self, subset: str = "all") -> float:
        return self._mean([o.reciprocal_rank for o in self._subset(subset)])

    def count(self, subset: str = "all") -> int:
        return len(self._subset(subset))

    def _subset(self, subset: str) -> list[Outcome]:
        if subset == "warm":
            return [o for o in self.outcomes if o.case.warm]
        if subset == "cold":
            return [o for o in self.outcomes if not o.case.warm]
        return list(self.outcomes)


def expected_rank_metrics(scores: Mapping[str, float], target: str, k: int) -> tuple[float, float]:
    """(recall@k, reciprocal rank) of ``target``, in expectation over random tie-breaks."""
    mine = scores[target]
    higher = sum(1 for value in scores.values() if value > mine)
    tied = sum(1 for value in scores.values() if value == mine)  # includes the target
    recall = min(1.0, max(0.0, (k - higher) / tied))
    reciprocal = sum(1.0 / (higher + i) for i in range(1, tied + 1)) / tied
    return recall, reciprocal


def cases(
    organisations: Sequence[OrganisationRecord], partnerships: Sequence[PartnershipRecord]
) -> list[tuple[PartnershipRecord, Case]]:
    memberships: dict[str, int] = {}
    for partnership in partnerships:
        for member in set(partnership.members):
            memberships[member] = memberships.get(member, 0) + 1
    known = {org.key for org in organisations}
    out = []
    for partnership in partnerships:
        for member in dict.fromkeys(partnership.members):
            if member in known:
                out.append((partnership, Case(partnership.key, member, memberships[member] > 1)))
    return out


def leave_one_member_out(
    organisations: Sequence[OrganisationRecord],
    partnerships: Sequence[PartnershipRecord],
    methods: Mapping[str, Scorer],
    *,
    k: int = 10,
) -> list[MethodResult]:
    outcomes: dict[str, list[Outcome]] = {name: [] for name in methods}
    profiles_without: dict[str, dict[str, OrganisationProfile]] = {}
    for partnership, case in cases(organisations, partnerships):
        if partnership.key not in profiles_without:
            profiles_without[partnership.key] = organisation_profiles(
                organisations, partnerships, exclude=partnership.key
            )
        profiles = profiles_without[partnership.key]
        remaining = frozenset(m for m in partnership.members if m != case.hidden)
        query = PartnershipQuery(
            key=partnership.key,
            name=partnership.name,
            members=remaining,
            sector_terms=partnership.sector_terms,
            sector_families=partnership.sector_families,
            markets=partnership.markets,
        )
        for name, scorer in methods.items():
            scores = {
                key: value for key, value in scorer(query, profiles).items() if key not in remaining
            }
            recall, reciprocal = expected_rank_metrics(scores, case.hidden, k)
            outcomes[name].append(Outcome(case, recall, reciprocal))
    return [MethodResult(name, k, tuple(rows)) for name, rows in outcomes.items()]
