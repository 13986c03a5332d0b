"""Registry reads: catalogue search, detail fetches and country views (all public data)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from escp4i.core.errors import NotFound
from escp4i.registry.models import (
    ClusterOrganisation,
    Country,
    Generation,
    Membership,
    Partnership,
    Sector,
)


def generation_list() -> QuerySet[Generation]:
    return Generation.objects.order_by("code")


def generation_get(*, code: str | None) -> Generation:
    """The generation with ``code``; the first generation (2016) when ``code`` is None."""
    wanted = code or "2016"
    generation = Generation.objects.filter(code=wanted).first()
    if generation is None:
        raise NotFound(f"No generation {wanted!r}.", code=wanted)
    return generation


def sector_list() -> QuerySet[Sector]:
    return Sector.objects.order_by("position")


def partnership_search(
    *,
    generation: str | None = None,
    category: str | None = None,
    sector: str | None = None,
    target_country: str | None = None,
    member_country: str | None = None,
    query: str | None = None,
) -> QuerySet[Partnership]:
    """Filtered catalogue. ``generation='none'`` selects partnerships of unknown generation.

    A target-country filter also matches partnerships that target a region containing it.
    """
    qs = Partnership.objects.all()
    if generation == "none":
        qs = qs.filter(generation__isnull=True)
    elif generation:
        qs = qs.filter(generation__code=generation)
    if category:
        qs = qs.filter(category=category)
    if sector:
        qs = qs.filter(sectors__slug=sector)
    if target_country:
        code = target_country.upper()
        qs = qs.filter(Q(target_countries__code=code) | Q(target_regions__countries__code=code))
    if member_country:
        qs = qs.filter(memberships__organisation__country__code=member_country.upper())
    if query:
        text = query.strip()
        qs = qs.filter(
            Q(acronym__icontains=text)
            | Q(name__icontains=text)
            | Q(sectors_text__icontains=text)
            | Q(coordinator_name__icontains=text)
            | Q(memberships__organisation__name__icontains=text)
        )
    ids = qs.values("pk")
    return (
        Partnership.objects.filter(pk__in=ids)
        .select_related("generation")
        .prefetch_related("sectors", "target_countries", "target_regions")
        .annotate(member_count=Count("memberships", distinct=True))
        .order_by("generation__code", "acronym")
    )


def partnership_get(*, slug: str) -> Partnership:
    partnership = (
        Partnership.objects.select_related("generation")
        .prefetch_related(
            "sectors",
            "target_countries",
            "target_regions__countries",
            Prefetch(
                "memberships",
                queryset=Membership.objects.select_related("organisation__country").order_by(
                    "-role", "organisation__name"
                ),
            ),
        )
        .filter(slug=slug)
        .first()
    )
    if partnership is None:
        raise NotFound(f"No partnership {slug!r}.", slug=slug)
    return partnership


def organisation_search(
    *, country: str | None = None, sector: str | None = None, query: str | None = None
) -> QuerySet[ClusterOrganisation]:
    qs = ClusterOrganisation.objects.select_related("country").prefetch_related("sectors")
    if country:
        qs = qs.filter(country__code=country.upper())
    if sector:
        qs = qs.filter(sectors__slug=sector)
    if query:
        qs = qs.filter(Q(name__icontains=query.strip()) | Q(sectors_text__icontains=query.strip()))
    return qs.annotate(partnership_count=Count("memberships", distinct=True)).order_by("name")


def organisation_get(*, slug: str) -> ClusterOrganisation:
    organisation = (
        ClusterOrganisation.objects.select_related("country")
        .prefetch_related(
            "sectors",
            Prefetch(
                "memberships",
                queryset=Membership.objects.select_related("partnership__generation").order_by(
                    "partnership__acronym"
                ),
            ),
        )
        .filter(slug=slug)
        .first()
    )
    if organisation is None:
        raise NotFound(f"No organisation {slug!r}.", slug=slug)
    return organisation


@dataclass(frozen=True, slots=True)
class CountryView:
    country: Country
    organisations: Sequence[ClusterOrganisation]
    member_of: Sequence[Partnership]
    targeted_by: Sequence[Partnership]
    regions: list[str]


def country_get(*, code: str) -> CountryView:
    country = Country.objects.filter(code=code.upper()).first()
    if country is None:
        raise NotFound(f"No country {code!r}.", code=code)
    organisations = list(
        ClusterOrganisation.objects.filter(country=country)
        .annotate(partnership_count=Count("memberships", distinct=True))
        .order_by("name")
    )
    member_of = list(
        Partnership.objects.filter(
            pk__in=Membership.objects.filter(organisation__country=country).values("partnership")
        )
        .select_related("generation")
        .order_by("acronym")
    )
    targeted_by = list(
        Partnership.objects.filter(
            pk__in=Partnership.objects.filter(
                Q(target_countries=country) | Q(target_regions__countries=country)
            ).values("pk")
        )
        .select_related("generation")
        .order_by("acronym")
    )
    regions = list(country.regions.order_by("name").values_list("name", flat=True))
    return CountryView(country, organisations, member_of, targeted_by, regions)


def country_list_with_activity() -> QuerySet[Country]:
    """Countries that have member organisations or are targeted, with counts."""
    return (
        Country.objects.annotate(
            organisation_count=Count("organisations", distinct=True),
            target_count=Count("targeted_by", distinct=True),
        )
        .filter(Q(organisation_count__gt=0) | Q(target_count__gt=0))
        .order_by("name")
    )
