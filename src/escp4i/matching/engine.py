"""The recommender: scores = weighted structured features + text similarity, with reasons.

Three rankings share the same building blocks:

* ``recommend_partners``: cluster organisations for a partnership being built. Complementary
  candidates work in the partnership's sector families, come from countries the partnership does
  not cover yet, target overlapping markets, and may already have worked with its members.
* ``recommend_for_request``: organisations and other requests for a partner-search request.
* ``recommend_participants``: other participants of an event: EEN offers that answer requests
  (kinds and texts) in both directions, shared sectors, target markets, similar profiles.

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

# Enterprise Europe Network profile kinds that answer each other (an offer meets a request; two
# R&D requests look for the same thing: research partners).
COMPLEMENTARY_KINDS: Mapping[str, frozenset[str]] = {
    "business_offer": frozenset({"business_request"}),
    "business_request": frozenset({"business_offer"}),
    "technology_offer": frozenset({"technology_request", "rd_request"}),
    "technology_request": frozenset({"technology_offer"}),
    "rd_request": frozenset({"technology_offer", "rd_request"}),
}
OFFER_KINDS = frozenset({"business_offer", "technology_offer"})


@dataclass(frozen=True, slots=True)
class CooperationOpportunity:
    """One EEN-style opportunity of a participant: kind, title, description, sector slugs and
    target markets (country codes or region slugs)."""

    kind: str
    title: str
    text: str = ""
    sectors: frozenset[str] = frozenset()
    markets: frozenset[str] = frozenset()

    @property
    def is_offer(self) -> bool:
        return self.kind in OFFER_KINDS

    @property
    def document(self) -> str:
        return " ; ".join(part for part in (self.title, self.text) if part)


@dataclass(frozen=True, slots=True)
class ParticipantProfile:
    """A participant of an event. ``offers``/``seeks`` are free texts; ``opportunities`` the
    structured profiles (their offers and requests also count as offers/seeks text); ``sectors``
    sector slugs, ``markets`` target markets, ``text`` the free profile."""

    key: str
    name: str
    country: str
    offers: str = ""
    seeks: str = ""
    sector_families: frozenset[str] = frozenset()
    organisation: str | None = None
    opportunities: tuple[CooperationOpportunity, ...] = ()
    sectors: frozenset[str] = frozenset()
    markets: frozenset[str] = frozenset()
    text: str = ""

    @property
    def offer_text(self) -> str:
        parts = [self.offers, *(o.document for o in self.opportunities if o.is_offer)]
        return " ; ".join(p for p in parts if p.strip())

    @property
    def seek_text(self) -> str:
        parts = [self.seeks, *(o.document for o in self.opportunities if not o.is_offer)]
        return " ; ".join(p for p in parts if p.strip())

    @property
    def document(self) -> str:
        parts = [self.text, self.offer_text, self.seek_text]
        return " ; ".join(p for p in parts if p.strip())

    @property
    def all_markets(self) -> frozenset[str]:
        return self.markets.union(*(o.markets for o in self.opportunities))

    @property
    def all_sectors(self) -> frozenset[str]:
        return self.sectors.union(*(o.sectors for o in self.opportunities))


@dataclass(frozen=True, slots=True)
class ParticipantWeights:
    """Feature weights for ``recommend_participants`` (docs/recommendations.md); sum 1."""

    offer: float = 0.30  # they offer what you look for
    request: float = 0.20  # they look for what you offer
    sector: float = 0.15
    markets: float = 0.15
    text: float = 0.10
    country: float = 0.10  # another country; counts only next to a substantive feature


DEFAULT_PARTICIPANT_WEIGHTS = ParticipantWeights()
# A complementary pair of opportunities scores half for the kinds alone, the other half for
# agreeing texts (a TF-IDF cosine of PAIR_FULL_COSINE or more counts in full).
PAIR_FULL_COSINE = 0.5


@dataclass(frozen=True, slots=True)
class _Pair:
    score: float
    mine: CooperationOpportunity
    theirs: CooperationOpportunity


def _best_pair(
    model: TextModel,
    mine: Sequence[CooperationOpportunity],
    theirs: Sequence[CooperationOpportunity],
    *,
    offers: bool,
) -> _Pair | None:
    """The best pair where one of ``theirs`` answers one of ``mine``; ``offers`` picks the
    direction (True: my offers meet their requests)."""
    best: _Pair | None = None
    for own in mine:
        if own.is_offer != offers:
            continue
        answers = [t for t in theirs if t.kind in COMPLEMENTARY_KINDS.get(own.kind, frozenset())]
        if not answers:
            continue
        cosines = model.similarities(own.document, [t.document for t in answers])
        for other, cos in zip(answers, cosines, strict=True):
            score = 0.5 + 0.5 * min(1.0, max(0.0, cos) / PAIR_FULL_COSINE)
            if best is None or score > best.score:
                best = _Pair(score, own, other)
    return best


def _pair_reason(pair: _Pair, name: str, contribution: float) -> Reason:
    return Reason(
        "opportunity_match",
        f"Their {pair.theirs.kind.replace('_', ' ')} “{pair.theirs.title}” answers your "
        f"{pair.mine.kind.replace('_', ' ')} “{pair.mine.title}”",
        contribution,
        {
            "name": name,
            "mine_kind": pair.mine.kind,
            "mine_title": pair.mine.title,
            "their_kind": pair.theirs.kind,
            "their_title": pair.theirs.title,
        },
    )


def recommend_participants(
    participant: ParticipantProfile,
    others: Sequence[ParticipantProfile],
    *,
    text_model: TextModel | None = None,
    geography: MarketGeography | None = None,
    weights: ParticipantWeights = DEFAULT_PARTICIPANT_WEIGHTS,
    limit: int | None = 10,
) -> list[Suggestion]:
    """Other participants of an event, best first, with reasons.

    Features (each in [0, 1], weighted by ``weights``): *offer*, they offer what this participant
    looks for: the best complementary pair of opportunities (EEN kinds, ``COMPLEMENTARY_KINDS``,
    half credit for the kinds and half for agreeing texts), else half the similarity of their
    offer text to this participant's request text; *request*, the same the other way round;
    *sector*, overlap of sector slugs (or of sector families); *markets*, half for their country
    being one of this participant's target markets, half for the reverse; *text*, similarity of
    the whole profiles; *country*, a different country, counted only when another feature is
    positive. Colleagues from the same organisation are never suggested.
    """
    geo = geography or MarketGeography()
    pool = [
        o
        for o in others
        if o.key != participant.key
        and (participant.organisation is None or o.organisation != participant.organisation)
    ]
    everyone = [*pool, participant]
    model = text_model or TfidfModel(
        [p.offer_text for p in everyone]
        + [p.seek_text for p in everyone]
        + [p.document for p in everyone]
    )
    my_seeks, my_offers = participant.seek_text, participant.offer_text
    they_offer = normalised_text_scores(model, my_seeks, [o.offer_text for o in pool])
    they_seek = normalised_text_scores(model, my_offers, [o.seek_text for o in pool])
    alike = normalised_text_scores(model, participant.document, [o.document for o in pool])
    my_markets = geo.expand(participant.all_markets)
    my_sectors = participant.all_sectors
    suggestions: list[Suggestion] = []
    for other, offer_text_fit, seek_text_fit, text_fit in zip(
        pool, they_offer, they_seek, alike, strict=True
    ):
        if not my_seeks.strip() or not other.offer_text.strip():
            offer_text_fit = 0.0
        if not my_offers.strip() or not other.seek_text.strip():
            seek_text_fit = 0.0
        answers_me = _best_pair(model, participant.opportunities, other.opportunities, offers=False)
        answered = _best_pair(model, participant.opportunities, other.opportunities, offers=True)
        # A complementary pair (kinds and texts) beats text alone, which earns at most half.
        offer_fit = answers_me.score if answers_me else 0.5 * offer_text_fit
        seek_fit = answered.score if answered else 0.5 * seek_text_fit
        shared_sectors = sorted(my_sectors & other.all_sectors)
        sector = max(
            family_overlap(other.sector_families, participant.sector_families),
            family_overlap(other.all_sectors, my_sectors),
        )
        in_my_market = other.country in my_markets
        targets_me = participant.country in geo.expand(other.all_markets)
        markets = 0.5 * in_my_market + 0.5 * targets_me
        substantive = bool(offer_fit or seek_fit or sector or markets or text_fit)
        foreign = 1.0 if substantive and other.country != participant.country else 0.0
        features = {
            "offer": offer_fit,
            "request": seek_fit,
            "sector": sector,
            "markets": markets,
            "text": text_fit,
            "country": foreign,
        }
        part = {name: getattr(weights, name) * value for name, value in features.items()}
        reasons: list[Reason] = []
        if part["offer"] >= MIN_CONTRIBUTION:
            if answers_me is not None:
                reasons.append(_pair_reason(answers_me, other.name, part["offer"]))
            else:
                reasons.append(
                    Reason(
                        "offer_matches_request",
                        f"{other.name} offers what you are looking for",
                        part["offer"],
                        {"name": other.name},
                    )
                )
        if part["request"] >= MIN_CONTRIBUTION:
            if answered is not None:
                reasons.append(_pair_reason(answered, other.name, part["request"]))
            else:
                reasons.append(
                    Reason(
                        "request_matches_offer",
                        f"{other.name} is looking for what you offer",
                        part["request"],
                        {"name": other.name},
                    )
                )
        if part["sector"] >= MIN_CONTRIBUTION:
            if shared_sectors:
                reasons.append(
                    Reason(
                        "same_sector",
                        f"Shared sector: {_join(shared_sectors)}",
                        part["sector"],
                        {"sectors": _join(shared_sectors)},
                    )
                )
            else:
                families = sorted(other.sector_families & participant.sector_families)
                reasons.append(
                    Reason(
                        "same_sector_family",
                        f"Same sector family: {_join(families)}",
                        part["sector"],
                        {"families": _join(families)},
                    )
                )
        if in_my_market:
            reasons.append(
                Reason(
                    "in_target_market",
                    f"Based in {other.country}, one of your target markets",
                    weights.markets * 0.5,
                    {"country": other.country},
                )
            )
        if targets_me:
            reasons.append(
                Reason(
                    "targets_your_country",
                    f"Targets your country, {participant.country}",
                    weights.markets * 0.5,
                    {"country": participant.country},
                )
            )
        if part["text"] >= MIN_CONTRIBUTION:
            reasons.append(_text_reason(model, participant.document, other.document, part["text"]))
        if foreign and part["country"] >= MIN_CONTRIBUTION:
            reasons.append(
                Reason(
                    "other_country",
                    f"Based in another country: {other.country}",
                    part["country"],
                    {"country": other.country},
                )
            )
        reasons.sort(key=lambda r: -r.contribution)
        suggestions.append(
            Suggestion(
                other.key, round(sum(part.values()), 6), tuple(reasons), "participant", features
            )
        )
    suggestions.sort(key=lambda s: -s.score)
    return suggestions if limit is None else suggestions[:limit]
