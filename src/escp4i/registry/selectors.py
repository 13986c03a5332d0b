"""Registry reads: catalogue search, detail fetches and country views (all public data)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Case,
    Exists,
    IntegerField,
    Model,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from escp4i.core import search
from escp4i.core.cache import cached
from escp4i.core.errors import NotFound
from escp4i.registry.models import (
    ClusterOrganisation,
    Country,
    Generation,
    Membership,
    Partnership,
    Sector,
    SmeMember,
)
from escp4i.registry.services.derived import REGISTRY


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


class _SubqueryCount(Subquery):
    """``(SELECT count(*) FROM (subquery))``: a correlated count, evaluated only for the rows a
    page returns, unlike a GROUP BY over the whole join."""

    template = "(SELECT count(*) FROM (%(subquery)s) _rows)"
    output_field = IntegerField()


def _count_of(model: type[Model], field: str) -> _SubqueryCount:
    """Rows of ``model`` whose ``field`` points at the outer row."""
    return _SubqueryCount(
        model._default_manager.filter(**{field: OuterRef("pk")}).order_by().values("pk")
    )


# Search-only columns: never needed on a page, and wide (a list sorts its rows with them).
SEARCH_COLUMNS = ("search_document", "members_text")
# Orderings (each ends in the primary key, so keyset pagination is stable on ties).
PARTNERSHIP_ORDERING = ("generation_unknown", "generation_order", "acronym", "pk")
ORGANISATION_ORDERING = ("name", "pk")


def _ranked(ordering: tuple[str, ...], query: str | None) -> tuple[str, ...]:
    return (f"-{search.RANK}", *ordering) if query else ordering


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

    A target-country filter also matches partnerships that target a region containing it. The
    text query matches the partnership's fields and its member organisations' names.
    Ordered by relevance when there is a query, then by generation (unknown last) and acronym.
    """
    qs = Partnership.objects.all()
    if generation == "none":
        qs = qs.filter(generation__isnull=True)
    elif generation:
        qs = qs.filter(generation__code=generation)
    if category:
        qs = qs.filter(category=category)
    if sector:
        qs = qs.filter(
            Exists(
                Partnership.sectors.through.objects.filter(
                    partnership_id=OuterRef("pk"), sector__slug=sector
                )
            )
        )
    if target_country:
        code = target_country.upper()
        qs = qs.filter(
            Exists(
                Partnership.target_countries.through.objects.filter(
                    partnership_id=OuterRef("pk"), country_id=code
                )
            )
            | Exists(
                Partnership.target_regions.through.objects.filter(
                    partnership_id=OuterRef("pk"), region__countries__code=code
                )
            )
        )
    if member_country:
        qs = qs.filter(
            Exists(
                Membership.objects.filter(
                    partnership_id=OuterRef("pk"),
                    organisation__country_id=member_country.upper(),
                )
            )
        )
    text = (query or "").strip()
    if text:
        # The document includes the member organisations' names (``members_text``).
        qs = search.search(qs, text, substring_fields=("acronym", "name"))
    return (
        qs.select_related("generation")
        .defer(*SEARCH_COLUMNS)
        .prefetch_related("sectors", "target_countries", "target_regions")
        .annotate(
            member_count=_count_of(Membership, "partnership"),
            generation_unknown=Case(
                When(generation__isnull=True, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
            generation_order=Coalesce("generation__code", Value("")),
        )
        .order_by(*_ranked(PARTNERSHIP_ORDERING, text))
    )


@dataclass(frozen=True, slots=True)
class RegistryTotals:
    partnerships: int
    organisations: int


def registry_totals(*, include_synthetic: bool = False) -> RegistryTotals:
    """How many partnerships and organisations the registry holds (real ones by default)."""
    partnerships = Partnership.objects.all()
    organisations = ClusterOrganisation.objects.all()
    if not include_synthetic:
        partnerships = partnerships.filter(is_synthetic=False)
        organisations = organisations.filter(is_synthetic=False)
    return RegistryTotals(partnerships.count(), organisations.count())


def partnership_get(*, slug: str) -> Partnership:
    partnership = (
        Partnership.objects.select_related("generation")
        .defer(*SEARCH_COLUMNS)
        .prefetch_related(
            "sectors",
            "target_countries",
            "target_regions__countries",
            Prefetch(
                "memberships",
                queryset=Membership.objects.select_related("organisation__country")
                .defer("organisation__search_document")
                .order_by("-role", "organisation__name"),
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
    """Filtered organisations, by relevance when there is a text query, else by name."""
    qs = (
        ClusterOrganisation.objects.select_related("country")
        .defer("search_document")
        .prefetch_related("sectors")
    )
    if country:
        qs = qs.filter(country__code=country.upper())
    if sector:
        qs = qs.filter(
            Exists(
                ClusterOrganisation.sectors.through.objects.filter(
                    clusterorganisation_id=OuterRef("pk"), sector__slug=sector
                )
            )
        )
    text = (query or "").strip()
    if text:
        qs = search.search(qs, text, substring_fields=("name",))
    return qs.annotate(partnership_count=_count_of(Membership, "organisation")).order_by(
        *_ranked(ORGANISATION_ORDERING, text)
    )


def organisation_get(*, slug: str) -> ClusterOrganisation:
    organisation = (
        ClusterOrganisation.objects.select_related("country")
        .defer("search_document")
        .prefetch_related(
            "sectors",
            Prefetch(
                "memberships",
                queryset=Membership.objects.select_related("partnership__generation")
                .defer(*(f"partnership__{c}" for c in SEARCH_COLUMNS))
                .order_by("partnership__acronym"),
            ),
        )
        .filter(slug=slug)
        .first()
    )
    if organisation is None:
        raise NotFound(f"No organisation {slug!r}.", slug=slug)
    return organisation


def sme_member_list(*, organisation: ClusterOrganisation) -> QuerySet[SmeMember]:
    """The organisation's SME member records, by name (keyset-paginated by the callers)."""
    return (
        SmeMember.objects.filter(organisation=organisation)
        .select_related("country")
        .order_by("name", "pk")
    )


COUNTRY_LIST_LIMIT = 50


@dataclass(frozen=True, slots=True)
class CountryView:
    """A country's registry activity. Each list holds at most ``COUNTRY_LIST_LIMIT`` rows (by
    name or acronym); the totals say how many there are (the catalogue filters list them all)."""

    country: Country
    organisations: Sequence[ClusterOrganisation]
    member_of: Sequence[Partnership]
    targeted_by: Sequence[Partnership]
    regions: list[str]
    organisation_total: int = 0
    member_of_total: int = 0
    targeted_by_total: int = 0


def country_get(*, code: str) -> CountryView:
    country = Country.objects.filter(code=code.upper()).first()
    if country is None:
        raise NotFound(f"No country {code!r}.", code=code)
    limit = COUNTRY_LIST_LIMIT
    based_here = ClusterOrganisation.objects.filter(country=country)
    organisations = list(
        based_here.defer("search_document")
        .annotate(partnership_count=_count_of(Membership, "organisation"))
        .order_by("name", "pk")[:limit]
    )
    member_of_qs = Partnership.objects.filter(
        Exists(
            Membership.objects.filter(partnership_id=OuterRef("pk"), organisation__country=country)
        )
    )
    targeted_qs = Partnership.objects.filter(
        Exists(
            Partnership.target_countries.through.objects.filter(
                partnership_id=OuterRef("pk"), country=country
            )
        )
        | Exists(
            Partnership.target_regions.through.objects.filter(
                partnership_id=OuterRef("pk"), region__countries=country
            )
        )
    )
    member_of = list(
        member_of_qs.select_related("generation")
        .defer(*SEARCH_COLUMNS)
        .order_by("acronym", "pk")[:limit]
    )
    targeted_by = list(
        targeted_qs.select_related("generation")
        .defer(*SEARCH_COLUMNS)
        .order_by("acronym", "pk")[:limit]
    )
    regions = list(country.regions.order_by("name").values_list("name", flat=True))
    return CountryView(
        country,
        organisations,
        member_of,
        targeted_by,
        regions,
        organisation_total=_total(organisations, based_here, limit),
        member_of_total=_total(member_of, member_of_qs, limit),
        targeted_by_total=_total(targeted_by, targeted_qs, limit),
    )


def country_get_cached(*, code: str) -> CountryView:
    """``country_get``, cached until the registry changes (core.cache: the registry services
    call ``registry_changed``; values expire after ``ESCP4I_FIGURES_CACHE_SECONDS`` in any case).
    The view holds only registry rows, the same in every language. An unknown code raises
    ``NotFound`` every time (nothing is cached for it)."""
    if not (len(code) == 2 and code.isascii() and code.isalpha()):
        return country_get(code=code)  # no such country (codes are ISO alpha-2): NotFound
    key = f"country:{code.upper()}:{COUNTRY_LIST_LIMIT}"
    return cached(REGISTRY, key, lambda: country_get(code=code))


def _total(shown: Sequence[Model], queryset: QuerySet[Any], limit: int) -> int:
    """The row count, without a count query when the list was not cut off."""
    return len(shown) if len(shown) < limit else queryset.count()


def country_choices() -> QuerySet[Country]:
    """Countries for filter menus, flagged ``has_organisations`` and ``is_targeted`` (existence
    checks that stop at the first row, unlike the counts of ``country_list_with_activity``)."""
    return (
        Country.objects.annotate(
            has_organisations=Exists(ClusterOrganisation.objects.filter(country_id=OuterRef("pk"))),
            is_targeted=Exists(
                Partnership.target_countries.through.objects.filter(country_id=OuterRef("pk"))
            ),
        )
        .filter(Q(has_organisations=True) | Q(is_targeted=True))
        .order_by("name")
    )


def country_list_with_activity() -> QuerySet[Country]:
    """Countries that have member organisations or are targeted, with counts."""
    return (
        Country.objects.annotate(
            organisation_count=_count_of(ClusterOrganisation, "country"),
            # One row per (partnership, country): the through table's unique constraint.
            target_count=_count_of(Partnership.target_countries.through, "country"),
        )
        .filter(Q(organisation_count__gt=0) | Q(target_count__gt=0))
        .order_by("name")
    )
