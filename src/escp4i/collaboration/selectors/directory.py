"""Directory reads: the support-service directory, policy dialogues, third-country views and
partner recommendations (all public data).

Coverage rule: a service covers a country when it names the country or a region containing it.
A partnership targets a country directly or through a target region that contains it. Events come
from the optional events app: they are shown only when ``escp4i.events`` is installed and has an
``Event`` model, so this app works (and its pages render) without it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import Prefetch, Q, QuerySet

from escp4i.collaboration.models import PolicyDialogue, SupportService
from escp4i.core.errors import NotFound
from escp4i.matching import (
    MarketGeography,
    OrganisationRecord,
    PartnershipQuery,
    PartnershipRecord,
    Reason,
    organisation_profiles,
    recommend_partners,
)
from escp4i.registry.models import ClusterOrganisation, Country, Membership, Partnership, Region
from escp4i.registry.taxonomy import focus_areas_for_term

# --- support services ---------------------------------------------------------------------------


def _services() -> QuerySet[SupportService]:
    return SupportService.objects.prefetch_related("kind_rows", "countries", "regions")


def _covering_country(code: str) -> Q:
    return Q(countries__code=code) | Q(regions__countries__code=code)


def support_service_list(
    *, kind: str | None = None, country: str | None = None, include_general: bool = True
) -> QuerySet[SupportService]:
    """The directory, optionally filtered by kind and by a covered country (directly or through
    a region). Services not tied to markets are included unless ``include_general`` is False."""
    qs = SupportService.objects.all()
    if kind:
        qs = qs.filter(kind_rows__kind=kind)
    if country:
        covering = _covering_country(country.upper())
        qs = qs.filter(covering | Q(is_general=True) if include_general else covering)
    return _services().filter(pk__in=qs.values("pk")).order_by("name")


def support_service_get(*, slug: str) -> SupportService:
    service = _services().filter(slug=slug).first()
    if service is None:
        raise NotFound(f"No support service {slug!r}.", slug=slug)
    return service


def services_for_market(*, code: str) -> QuerySet[SupportService]:
    """Services naming this market: a country code (directly or via a region containing it) or a
    region slug (the region itself or any of its countries). General services are not included:
    see ``services_general``."""
    region = Region.objects.filter(slug=code).first()
    if region is not None:
        flt = Q(regions=region) | Q(countries__in=region.countries.all())
    else:
        flt = _covering_country(code.upper())
    ids = SupportService.objects.filter(flt).values("pk")
    return _services().filter(pk__in=ids).order_by("name")


def services_for_countries(*, codes: Sequence[str]) -> QuerySet[SupportService]:
    """Services covering any of these countries, directly or through a region containing it
    (an event's third-country focus, for instance). Empty for no country."""
    if not codes:
        return SupportService.objects.none()
    upper = [c.upper() for c in codes]
    flt = Q(countries__code__in=upper) | Q(regions__countries__code__in=upper)
    ids = SupportService.objects.filter(flt).values("pk")
    return _services().filter(pk__in=ids).order_by("name")


def services_general() -> QuerySet[SupportService]:
    return _services().filter(is_general=True).order_by("name")


def services_for_partnership(*, partnership: Partnership) -> QuerySet[SupportService]:
    """Services covering any target market of the partnership (its countries, its regions, or
    the countries inside its target regions)."""
    countries = partnership.target_countries.all()
    regions = partnership.target_regions.all()
    flt = (
        Q(countries__in=countries)
        | Q(regions__countries__in=countries)
        | Q(regions__in=regions)
        | Q(countries__in=Country.objects.filter(regions__in=regions))
    )
    ids = SupportService.objects.filter(flt).values("pk")
    return _services().filter(pk__in=ids).order_by("name")


# --- policy dialogues -----------------------------------------------------------------------------


def policy_dialogue_list(
    *, country: str | None = None, instrument: str | None = None
) -> QuerySet[PolicyDialogue]:
    qs = PolicyDialogue.objects.prefetch_related("countries")
    if country:
        qs = qs.filter(countries__code=country.upper())
    if instrument:
        qs = qs.filter(instrument=instrument)
    return qs.order_by("date", "title")


def dialogues_for_country(*, code: str) -> QuerySet[PolicyDialogue]:
    """Dialogues with a country, or with any country of a region when ``code`` is a region slug."""
    region = Region.objects.filter(slug=code).first()
    if region is not None:
        ids = PolicyDialogue.objects.filter(countries__in=region.countries.all()).values("pk")
        return PolicyDialogue.objects.prefetch_related("countries").filter(pk__in=ids)
    return policy_dialogue_list(country=code)


# --- events (optional app) ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EventItem:
    title: str
    date: dt.date | None
    url: str


_EVENT_MODEL = ("events", "Event")
_DATE_FIELDS = ("start_date", "starts_on", "start", "date", "starts_at")


def _event_model() -> type[models.Model] | None:
    """The events app's ``Event`` model, or None while that app is absent or has no such model."""
    if not apps.is_installed("escp4i.events"):
        return None
    try:
        # Resolved at run time on purpose: the model may not exist (yet) in the events app.
        app_label, model_name = _EVENT_MODEL
        return apps.get_model(app_label, model_name)
    except LookupError:
        return None


def _field_names(model: type[models.Model]) -> set[str]:
    return {f.name for f in model._meta.get_fields()}


def events_in(*, countries: Sequence[str]) -> list[EventItem] | None:
    """Events held in (or aimed at) these countries; None when the events app is not available.

    Adapts to the events model: it uses a ``country`` field (foreign key to Country or an ISO
    code) and a ``third_countries`` relation when present, and the first date field it finds.
    """
    model = _event_model()
    if model is None:
        return None
    names = _field_names(model)
    flt = Q()
    if "country" in names:
        flt |= Q(country__in=countries)
    if "third_countries" in names:
        flt |= Q(third_countries__in=countries)
    if not flt:
        return []
    date_field = next((n for n in _DATE_FIELDS if n in names), None)
    items = []
    for event in model._default_manager.filter(flt).distinct():
        value = getattr(event, date_field) if date_field else None
        if isinstance(value, dt.datetime):
            value = value.date()
        url_of = getattr(event, "get_absolute_url", None)
        items.append(
            EventItem(
                str(event),
                value if isinstance(value, dt.date) else None,
                url_of() if callable(url_of) else "",
            )
        )
    items.sort(key=lambda e: (e.date or dt.date.max, e.title))
    return items


# --- third-country pages --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TargetingPartnership:
    partnership: Partnership
    via: str  # "" when targeted directly, else the region or country name it goes through


@dataclass(frozen=True, slots=True)
class ActivityYear:
    year: int
    partnerships: int
    dialogues: int
    events: int

    @property
    def total(self) -> int:
        return self.partnerships + self.dialogues + self.events


@dataclass(frozen=True, slots=True)
class ThirdCountryView:
    code: str
    name: str
    country: Country | None
    region: Region | None
    partnerships: list[TargetingPartnership]
    services: list[SupportService]
    general_services: list[SupportService]
    dialogues: list[PolicyDialogue]
    events: list[EventItem] | None  # None: the events app is not available
    activity: list[ActivityYear]
    undated: int = 0  # partnerships/dialogues/events without a year
    regions: list[Region] = field(default_factory=list)  # regions containing the country
    countries: list[Country] = field(default_factory=list)  # countries of the region


def _partnership_year(partnership: Partnership) -> int | None:
    if partnership.start_date:
        return partnership.start_date.year
    if partnership.generation is not None and partnership.generation.label_date:
        return partnership.generation.label_date.year
    return None


def activity_series(
    *,
    partnerships: Sequence[Partnership],
    dialogues: Sequence[PolicyDialogue],
    events: Sequence[EventItem],
) -> tuple[list[ActivityYear], int]:
    """Counts per year (every year between the first and last, zeros included) and how many
    items have no year. A partnership counts in its start year, or its generation's label year."""
    counters: dict[str, Counter[int]] = {"p": Counter(), "d": Counter(), "e": Counter()}
    undated = 0
    dated: list[tuple[str, int | None]] = [("p", _partnership_year(p)) for p in partnerships]
    dated += [("d", d.date.year if d.date else None) for d in dialogues]
    dated += [("e", e.date.year if e.date else None) for e in events]
    for kind, year in dated:
        if year is None:
            undated += 1
        else:
            counters[kind][year] += 1
    years = [y for c in counters.values() for y in c]
    if not years:
        return [], undated
    series = [
        ActivityYear(y, counters["p"][y], counters["d"][y], counters["e"][y])
        for y in range(min(years), max(years) + 1)
    ]
    return series, undated


def _targeting_country(country: Country) -> list[TargetingPartnership]:
    qs = (
        Partnership.objects.filter(
            pk__in=Partnership.objects.filter(
                Q(target_countries=country) | Q(target_regions__countries=country)
            ).values("pk")
        )
        .select_related("generation")
        .prefetch_related("target_countries", "target_regions")
        .order_by("acronym")
    )
    out = []
    for partnership in qs:
        direct = any(c.pk == country.pk for c in partnership.target_countries.all())
        via = (
            ""
            if direct
            else ", ".join(
                r.name
                for r in partnership.target_regions.all()
                if r.countries.filter(pk=country.pk).exists()
            )
        )
        out.append(TargetingPartnership(partnership, via))
    return out


def _targeting_region(region: Region) -> list[TargetingPartnership]:
    members = region.countries.all()
    qs = (
        Partnership.objects.filter(
            pk__in=Partnership.objects.filter(
                Q(target_regions=region) | Q(target_countries__in=members)
            ).values("pk")
        )
        .select_related("generation")
        .prefetch_related("target_countries", "target_regions")
        .order_by("acronym")
    )
    codes = set(members.values_list("code", flat=True))
    out = []
    for partnership in qs:
        direct = any(r.pk == region.pk for r in partnership.target_regions.all())
        via = (
            ""
            if direct
            else ", ".join(c.name for c in partnership.target_countries.all() if c.code in codes)
        )
        out.append(TargetingPartnership(partnership, via))
    return out


def third_country_view(*, code: str) -> ThirdCountryView:
    """Everything about one third market: a country (ISO alpha-2) or a region (slug).

    Raises ``NotFound`` for an unknown code.
    """
    region = Region.objects.filter(slug=code.lower()).first()
    country = None if region else Country.objects.filter(code=code.upper()).first()
    if region is not None:
        region_countries = list(region.countries.order_by("name"))
        partnerships = _targeting_region(region)
        services = list(services_for_market(code=region.slug))
        dialogues = list(dialogues_for_country(code=region.slug).order_by("date", "title"))
        events = events_in(countries=[c.code for c in region_countries])
        key, name = region.slug, region.name
        regions: list[Region] = []
    elif country is not None:
        region_countries = []
        partnerships = _targeting_country(country)
        services = list(services_for_market(code=country.code))
        dialogues = list(dialogues_for_country(code=country.code))
        events = events_in(countries=[country.code])
        key, name = country.code, country.name
        regions = list(country.regions.order_by("name"))
    else:
        raise NotFound(f"No country or region {code!r}.", code=code)
    activity, undated = activity_series(
        partnerships=[t.partnership for t in partnerships],
        dialogues=dialogues,
        events=events or [],
    )
    return ThirdCountryView(
        code=key,
        name=name,
        country=country,
        region=region,
        partnerships=partnerships,
        services=services,
        general_services=list(services_general()),
        dialogues=dialogues,
        events=events,
        activity=activity,
        undated=undated,
        regions=regions,
        countries=region_countries,
    )


@dataclass(frozen=True, slots=True)
class MarketSummary:
    code: str
    name: str
    is_region: bool
    partnerships: int
    services: int
    dialogues: int


def market_list() -> list[MarketSummary]:
    """Third markets with any recorded activity: targeted countries and regions, countries named
    by a support service or a dialogue. Counts are direct (no region expansion)."""
    countries = Country.objects.annotate(
        p=models.Count("targeted_by", distinct=True),
        s=models.Count("support_services", distinct=True),
        d=models.Count("policy_dialogues", distinct=True),
    ).filter(Q(p__gt=0) | Q(s__gt=0) | Q(d__gt=0))
    regions = Region.objects.annotate(
        p=models.Count("targeted_by", distinct=True),
        s=models.Count("support_services", distinct=True),
    ).filter(Q(p__gt=0) | Q(s__gt=0))
    rows = [MarketSummary(c.code, c.name, False, c.p, c.s, c.d) for c in countries]
    rows += [MarketSummary(r.slug, r.name, True, r.p, r.s, 0) for r in regions]
    return sorted(rows, key=lambda m: (m.is_region, m.name))


# --- recommendations ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MemberRecommendation:
    organisation: ClusterOrganisation
    score: float
    reasons: tuple[Reason, ...]


def _market_tokens(partnership: Partnership) -> frozenset[str]:
    return frozenset(
        [c.code for c in partnership.target_countries.all()]
        + [r.slug for r in partnership.target_regions.all()]
    )


def _partnership_record(partnership: Partnership) -> PartnershipRecord:
    terms = tuple(t.strip() for t in partnership.sectors_text.split(";") if t.strip())
    return PartnershipRecord(
        key=str(partnership.pk),
        name=partnership.name,
        sector_terms=terms,
        sector_families=frozenset(s.slug for s in partnership.sectors.all()),
        markets=_market_tokens(partnership),
        members=tuple(str(m.organisation_id) for m in partnership.memberships.all()),
    )


@dataclass(frozen=True, slots=True)
class RegistryProfiles:
    """The registry as the recommender sees it: organisations, partnerships and geography."""

    organisations: dict[str, ClusterOrganisation]
    records: list[OrganisationRecord]
    partnerships: list[PartnershipRecord]
    geography: MarketGeography


def registry_profiles() -> RegistryProfiles:
    """Every organisation and partnership turned into matching records (five queries).

    The organisation's own sectors and the sector words in its name count as its sector
    families; what it did in partnerships is added by ``organisation_profiles``.
    """
    organisations = {
        str(o.pk): o
        for o in ClusterOrganisation.objects.select_related("country").prefetch_related("sectors")
    }
    records = [
        OrganisationRecord(
            key=key,
            name=o.name,
            country=o.country_id,
            sector_families=frozenset(
                [s.slug for s in o.sectors.all()] + focus_areas_for_term(o.name)
            ),
            description=o.sectors_text,
        )
        for key, o in organisations.items()
    ]
    partnerships: list[Any] = list(
        Partnership.objects.prefetch_related(
            "sectors",
            "target_countries",
            "target_regions",
            Prefetch(
                "memberships", queryset=Membership.objects.only("organisation_id", "partnership_id")
            ),
        )
    )
    geography = MarketGeography(
        {
            r.slug: frozenset(c.code for c in r.countries.all())
            for r in Region.objects.prefetch_related("countries")
        }
    )
    return RegistryProfiles(
        organisations=organisations,
        records=records,
        partnerships=[_partnership_record(p) for p in partnerships],
        geography=geography,
    )


def recommend_members(*, partnership: Partnership, limit: int = 10) -> list[MemberRecommendation]:
    """Cluster organisations that would complement ``partnership``, best first, with reasons.

    Profiles are built from every *other* partnership (the same rule as the offline evaluation,
    docs/recommendations.md); the organisation's own sectors and the sector words in its name
    count too. Current members are never suggested.
    """
    registry = registry_profiles()
    target = next(r for r in registry.partnerships if r.key == str(partnership.pk))
    profiles = organisation_profiles(registry.records, registry.partnerships, exclude=target.key)
    query = PartnershipQuery(
        key=target.key,
        name=target.name,
        members=frozenset(target.members),
        sector_terms=target.sector_terms,
        sector_families=target.sector_families,
        markets=target.markets,
    )
    ranked = recommend_partners(query, profiles, geography=registry.geography, limit=limit)
    return [
        MemberRecommendation(registry.organisations[s.key], s.score, s.reasons)
        for s in ranked
        if s.score > 0
    ]
