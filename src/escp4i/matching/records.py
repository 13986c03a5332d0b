"""Plain input records and the organisation profiles built from them.

The caller (the Django adapter or the offline benchmark) turns its rows into these records; this
module derives what the engine knows about each organisation from the partnerships it belongs to.

Leakage rule: ``organisation_profiles(..., exclude=P)`` builds every profile as if partnership P
did not exist. The recommender for P, and the leave-one-member-out evaluation that hides a member
of P, must use profiles built that way, or a hidden member would be "found" through P itself
(its sectors, its target markets, or its co-membership with the rest of P).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class OrganisationRecord:
    """An organisation as stored: only its own attributes, nothing from its partnerships."""

    key: str
    name: str
    country: str
    # Focus areas stated by or derived from the organisation itself (e.g. from its name).
    sector_families: frozenset[str] = frozenset()
    description: str = ""


@dataclass(frozen=True, slots=True)
class PartnershipRecord:
    key: str
    name: str
    sector_terms: tuple[str, ...] = ()
    sector_families: frozenset[str] = frozenset()
    # Target markets: ISO alpha-2 codes and/or region slugs, as the sources name them.
    markets: frozenset[str] = frozenset()
    members: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class OrganisationProfile:
    """What the engine knows about one organisation (never from an excluded partnership)."""

    key: str
    name: str
    country: str
    sector_families: frozenset[str]
    sector_terms: tuple[str, ...]
    markets: frozenset[str]
    partners: frozenset[str]
    partnerships: tuple[str, ...]
    text: str

    @property
    def partnership_count(self) -> int:
        return len(self.partnerships)


@dataclass(frozen=True, slots=True)
class MarketGeography:
    """Which countries each region slug contains, so "ASEAN" overlaps with "SG"."""

    regions: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def expand(self, markets: Iterable[str]) -> frozenset[str]:
        out: set[str] = set()
        for market in markets:
            out.add(market)
            out.update(self.regions.get(market, ()))
        return frozenset(out)


def profile_text(
    *, name: str, sector_terms: Iterable[str], partnership_names: Iterable[str], description: str
) -> str:
    """The text the TF-IDF model sees for an organisation."""
    parts = [name, *sector_terms, *partnership_names, description]
    return " ; ".join(part for part in parts if part)


def organisation_profiles(
    organisations: Iterable[OrganisationRecord],
    partnerships: Iterable[PartnershipRecord],
    *,
    exclude: str | None = None,
) -> dict[str, OrganisationProfile]:
    """One profile per organisation, built from every partnership except ``exclude``."""
    kept = [p for p in partnerships if p.key != exclude]
    by_member: dict[str, list[PartnershipRecord]] = {}
    for partnership in kept:
        for member in dict.fromkeys(partnership.members):
            by_member.setdefault(member, []).append(partnership)
    profiles: dict[str, OrganisationProfile] = {}
    for org in organisations:
        own = by_member.get(org.key, [])
        families = set(org.sector_families)
        terms: dict[str, None] = {}
        markets: set[str] = set()
        partners: set[str] = set()
        for partnership in own:
            families.update(partnership.sector_families)
            terms.update(dict.fromkeys(partnership.sector_terms))
            markets.update(partnership.markets)
            partners.update(m for m in partnership.members if m != org.key)
        profiles[org.key] = OrganisationProfile(
            key=org.key,
            name=org.name,
            country=org.country,
            sector_families=frozenset(families),
            sector_terms=tuple(terms),
            markets=frozenset(markets),
            partners=frozenset(partners),
            partnerships=tuple(p.key for p in own),
            text=profile_text(
                name=org.name,
                sector_terms=terms,
                partnership_names=[p.name for p in own],
                description=org.description,
            ),
        )
    return profiles
