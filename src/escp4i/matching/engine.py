"""The recommender: scores = weighted structured features + text similarity, with reasons.

Three rankings share the same building blocks:

* ``recommend_partners``: cluster organisations for a partnership being built. Complementary
  candidates work in the partnership's sector families, come from countries the partnership does
  not cover yet, target overlapping markets, and may already have worked with its members.
* ``recommend_for_request``: organisations and other requests for a partner-search request.
* ``recommend_participants``: other participants of an event, matching what one offers with what
  the other seeks, in both directions.

Every feature lies in [0, 1]; a suggestion's score is the weighted sum, and every feature that
contributes becomes a ``Reason`` with a machine-readable code, its parameters and an English text
(the Django layer translates from the code and parameters).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from escp4i.matching.records import MarketGeography, OrganisationProfile
from escp4i.matching.text import TextModel, TfidfModel


@dataclass(frozen=True, slots=True)
class Reason:
    code: str
    text: str
    contribution: float
    params: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Suggestion:
    key: str
    score: float
    reasons: tuple[Reason, ...]
    kind: str = "organisation"  # or "request" / "participant"
    features: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class PartnershipQuery:
    """A partnership being built: what it is about and who is in it so far."""

    name: str
    members: frozenset[str] = frozenset()
    sector_terms: tuple[str, ...] = ()
    sector_families: frozenset[str] = frozenset()
    markets: frozenset[str] = frozenset()
    key: str | None = None

    @property
    def text(self) -> str:
        return " ; ".join([self.name, *self.sector_terms])


@dataclass(frozen=True, slots=True)
class PartnerWeights:
    """Feature weights for ``recommend_partners`` (documented in docs/recommendations.md)."""

    text: float = 0.50
    sector: float = 0.20
    markets: float = 0.05
    collaboration: float = 0.20
    new_country: float = 0.05

    def only(self, *names: str) -> PartnerWeights:
        """The same weights with every feature not in ``names`` switched off."""
        return PartnerWeights(**{n: getattr(self, n) if n in names else 0.0 for n in _FEATURES})


_FEATURES = ("text", "sector", "markets", "collaboration", "new_country")
DEFAULT_WEIGHTS = PartnerWeights()
MIN_CONTRIBUTION = 0.01  # below this a feature is noise, not a reason


def _join(items: Sequence[str]) -> str:
    return ", ".join(items)


def family_overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """Overlap coefficient |a∩b| / min(|a|, |b|); 0 when either side is unknown."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def market_overlap(
    candidate: frozenset[str], wanted: frozenset[str], geography: MarketGeography
) -> tuple[float, list[str]]:
    """Share of the wanted markets the candidate also targets (half credit via a region).

    Returns the score and the wanted markets that matched, for the reason text.
    """
    if not candidate or not wanted:
        return 0.0, []
    expanded = geography.expand(candidate)
    total = 0.0
    matched: list[str] = []
    for market in sorted(wanted):
        if market in candidate:
            total += 1.0
            matched.append(market)
        elif geography.expand([market]) & expanded:
            total += 0.5
            matched.append(market)
    return total / len(wanted), matched


def normalised_text_scores(model: TextModel, query: str, documents: Sequence[str]) -> list[float]:
    """Similarities rescaled to [0, 1] by the best candidate (0 stays 0), so backends with
    different raw ranges (TF-IDF cosines vs. embedding cosines) weigh the same."""
    raw = [max(0.0, s) for s in model.similarities(query, documents)]
    if not raw:
        return []
    low = min(raw) if model.name != "tfidf" else 0.0
    top = max(raw)
    if top <= low:
        return [0.0 for _ in raw]
    return [(s - low) / (top - low) for s in raw]


def _text_reason(model: TextModel, query: str, document: str, contribution: float) -> Reason:
    shared = getattr(model, "shared_terms", None)
    terms: list[str] = shared(query, document) if shared is not None else []
    if terms:
        return Reason(
            "similar_profile",
            f"Profile text shares key terms: {_join(terms)}",
            contribution,
            {"terms": _join(terms)},
        )
    return Reason("similar_profile", "Profile text is similar", contribution, {"terms": ""})


def recommend_partners(
    query: PartnershipQuery,
    profiles: Mapping[str, OrganisationProfile],
    *,
    text_model: TextModel | None = None,
    geography: MarketGeography | None = None,
    weights: PartnerWeights = DEFAULT_WEIGHTS,
    limit: int | None = 10,
) -> list[Suggestion]:
    """Rank every profile that is not already a member of the partnership.

    ``profiles`` must be built without the partnership itself (see ``organisation_profiles``).
    Ties keep a stable order by key. ``limit=None`` returns the full ranking.
    """
    geo = geography or MarketGeography()
    candidates = [p for key, p in sorted(profiles.items()) if key not in query.members]
    members = [profiles[key] for key in sorted(query.members) if key in profiles]
    member_countries = {m.country for m in members}
    model = text_model or TfidfModel(p.text for p in profiles.values())
    # The members already in are part of what the partnership is about ("Hamburg Aviation").
    query_text = " ; ".join([query.text, *(m.name for m in members)])
    text_scores = (
        normalised_text_scores(model, query_text, [c.text for c in candidates])
        if weights.text
        else [0.0] * len(candidates)
    )
    suggestions: list[Suggestion] = []
    for candidate, text_score in zip(candidates, text_scores, strict=True):
        shared_families = sorted(candidate.sector_families & query.sector_families)
        markets_score, matched = market_overlap(candidate.markets, query.markets, geo)
        known = sorted(profiles[k].name for k in candidate.partners & query.members)
        new_country = bool(members) and candidate.country not in member_countries
        features = {
            "text": text_score,
            "sector": family_overlap(candidate.sector_families, query.sector_families),
            "markets": markets_score,
            "collaboration": min(1.0, len(known) / 2),
            "new_country": 1.0 if new_country or not members else 0.0,
        }
        contributions = {name: getattr(weights, name) * value for name, value in features.items()}
        candidates_reasons = [
            Reason(
                "same_sector_family",
                f"Works in the same sector family: {_join(shared_families)}",
                contributions["sector"],
                {"families": _join(shared_families)},
            ),
            Reason(
                "overlapping_markets",
                f"Already targets the same markets: {_join(matched)}",
                contributions["markets"],
                {"markets": _join(matched)},
            ),
            Reason(
                "worked_with_members",
                f"Has worked with current members in other partnerships: {_join(known)}",
                contributions["collaboration"],
                {"organisations": _join(known)},
            ),
            Reason(
                "new_country",
                f"Adds a country the partnership does not cover yet: {candidate.country}",
                contributions["new_country"] if new_country else 0.0,
                {"country": candidate.country},
            ),
        ]
        if contributions["text"] >= MIN_CONTRIBUTION:
            candidates_reasons.append(
                _text_reason(model, query_text, candidate.text, contributions["text"])
            )
        reasons = sorted(
            (r for r in candidates_reasons if r.contribution >= MIN_CONTRIBUTION),
            key=lambda r: -r.contribution,
        )
        suggestions.append(
            Suggestion(
                candidate.key,
                round(sum(contributions.values()), 6),
                tuple(reasons),
                "organisation",
                features,
            )
        )
    suggestions.sort(key=lambda s: -s.score)
    return suggestions if limit is None else suggestions[:limit]


# --- (b) partner-search requests -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PartnerSearchRequest:
    """Someone looking for partners: free text plus the structured part of the form."""

    key: str
    text: str
    sector_families: frozenset[str] = frozenset()
    markets: frozenset[str] = frozenset()
    partner_countries: frozenset[str] = frozenset()  # wanted partner countries; empty = any
    requester: str | None = None  # organisation key, never suggested to itself


def recommend_for_request(
    request: PartnerSearchRequest,
    profiles: Mapping[str, OrganisationProfile],
    other_requests: Sequence[PartnerSearchRequest] = (),
    *,
    text_model: TextModel | None = None,
    geography: MarketGeography | None = None,
    limit: int | None = 10,
) -> list[Suggestion]:
    """Organisations that fit the request, and other requests worth talking to (same sector
    family or market), ranked together; ``Suggestion.kind`` tells them apart."""
    geo = geography or MarketGeography()
    orgs = [p for key, p in sorted(profiles.items()) if key != request.requester]
    others = [
        r
        for r in other_requests
        if r.key != request.key and (request.requester is None or r.requester != request.requester)
    ]
    documents = [p.text for p in orgs] + [r.text for r in others]
    model = text_model or TfidfModel([*documents, request.text])
    text_scores = normalised_text_scores(model, request.text, documents)
    rows: list[tuple[str, str, frozenset[str], frozenset[str], str | None, str]] = [
        ("organisation", p.key, p.sector_families, p.markets, p.country, p.text) for p in orgs
    ] + [("request", r.key, r.sector_families, r.markets, None, r.text) for r in others]
    suggestions: list[Suggestion] = []
    for (kind, key, families, markets, country, text), text_score in zip(
        rows, text_scores, strict=True
    ):
        reasons: list[Reason] = []
        sector = family_overlap(families, request.sector_families)
        shared = sorted(families & request.sector_families)
        if sector:
            reasons.append(
                Reason(
                    "same_sector_family",
                    f"Same sector family: {_join(shared)}",
                    0.3 * sector,
                    {"families": _join(shared)},
                )
            )
        market_score, matched = market_overlap(markets, request.markets, geo)
        if market_score:
            reasons.append(
                Reason(
                    "overlapping_markets",
                    f"Same target markets: {_join(matched)}",
                    0.25 * market_score,
                    {"markets": _join(matched)},
                )
            )
        country_fit = 0.0
        if country is not None and country in request.partner_countries:
            country_fit = 1.0
            reasons.append(
                Reason(
                    "wanted_country",
                    f"Based in a wanted partner country: {country}",
                    0.15,
                    {"country": country},
                )
            )
        if text_score * 0.3 >= MIN_CONTRIBUTION:
            reasons.append(_text_reason(model, request.text, text, 0.3 * text_score))
        score = 0.3 * text_score + 0.3 * sector + 0.25 * market_score + 0.15 * country_fit
        reasons.sort(key=lambda r: -r.contribution)
        features = {
            "text": text_score,
            "sector": sector,
            "markets": market_score,
            "country": country_fit,
        }
        suggestions.append(Suggestion(key, round(score, 6), tuple(reasons), kind, features))
    suggestions.sort(key=lambda s: -s.score)
    return suggestions if limit is None else suggestions[:limit]


# --- (c) event participants ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ParticipantProfile:
    key: str
    name: str
    country: str
    offers: str = ""
    seeks: str = ""
    sector_families: frozenset[str] = frozenset()
    organisation: str | None = None


def recommend_participants(
    participant: ParticipantProfile,
    others: Sequence[ParticipantProfile],
    *,
    text_model: TextModel | None = None,
    limit: int | None = 10,
) -> list[Suggestion]:
    """Other participants whose offer answers this participant's request (weight 0.45) and
    whose request this participant's offer answers (0.30); sector family and a different
    country add 0.15 and 0.10. Colleagues from the same organisation are never suggested."""
    pool = [
        o
        for o in others
        if o.key != participant.key
        and (participant.organisation is None or o.organisation != participant.organisation)
    ]
    model = text_model or TfidfModel(
        [o.offers for o in [*pool, participant]] + [o.seeks for o in [*pool, participant]]
    )
    they_offer = normalised_text_scores(model, participant.seeks, [o.offers for o in pool])
    they_seek = normalised_text_scores(model, participant.offers, [o.seeks for o in pool])
    suggestions: list[Suggestion] = []
    for other, offer_fit, seek_fit in zip(pool, they_offer, they_seek, strict=True):
        if not participant.seeks.strip() or not other.offers.strip():
            offer_fit = 0.0
        if not participant.offers.strip() or not other.seeks.strip():
            seek_fit = 0.0
        sector = family_overlap(other.sector_families, participant.sector_families)
        foreign = 1.0 if other.country != participant.country else 0.0
        reasons: list[Reason] = []
        if offer_fit * 0.45 >= MIN_CONTRIBUTION:
            reasons.append(
                Reason(
                    "offer_matches_request",
                    f"{other.name} offers what you are looking for",
                    0.45 * offer_fit,
                    {"name": other.name},
                )
            )
        if seek_fit * 0.30 >= MIN_CONTRIBUTION:
            reasons.append(
                Reason(
                    "request_matches_offer",
                    f"{other.name} is looking for what you offer",
                    0.30 * seek_fit,
                    {"name": other.name},
                )
            )
        if sector:
            shared = sorted(other.sector_families & participant.sector_families)
            reasons.append(
                Reason(
                    "same_sector_family",
                    f"Same sector family: {_join(shared)}",
                    0.15 * sector,
                    {"families": _join(shared)},
                )
            )
        if foreign:
            reasons.append(
                Reason(
                    "other_country",
                    f"Based in another country: {other.country}",
                    0.10,
                    {"country": other.country},
                )
            )
        score = 0.45 * offer_fit + 0.30 * seek_fit + 0.15 * sector + 0.10 * foreign
        reasons.sort(key=lambda r: -r.contribution)
        features = {"offer": offer_fit, "request": seek_fit, "sector": sector, "country": foreign}
        suggestions.append(
            Suggestion(other.key, round(score, 6), tuple(reasons), "participant", features)
        )
    suggestions.sort(key=lambda s: -s.score)
    return suggestions if limit is None else suggestions[:limit]
