"""Key figures and chart series, computed from the registry and shaped for templates and the API.

Every computed figure travels with its coverage (how many rows it rests on) and the officially
reported figure beside it, so a reader sees both and how far apart they are. Unknown values are
counted as unknown, never as zero.

Synthetic rows (``is_synthetic``: demo and scale-test data) are left out of every figure and
series unless ``include_synthetic=True`` is asked for. Figures are aggregated in the database
(counts, distinct counts), never by pulling rows into Python.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

from django.db.models import Count, Model, Q, QuerySet, Sum
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from escp4i.core.cache import cached
from escp4i.core.countries import eu_member_codes
from escp4i.registry.models import (
    ClusterOrganisation,
    FigureKey,
    Generation,
    Membership,
    Partnership,
    PartnershipCategory,
    ReportedFigure,
    Sector,
)
from escp4i.registry.services.derived import REGISTRY

M = TypeVar("M", bound=Model)


@dataclass(frozen=True, slots=True)
class Reported:
    value: Decimal
    qualifier: str
    as_of: dt.date
    source_url: str
    note: str


@dataclass(frozen=True, slots=True)
class KeyFigure:
    key: str
    label: str
    computed: Decimal | None
    reported: Reported | None
    coverage: str
    unknown: int


@dataclass(frozen=True, slots=True)
class KeyFigures:
    generation: Generation
    reference_date: dt.date
    figures: list[KeyFigure]
    by_category: dict[str, int]
    other_statements: list[tuple[str, Reported]]

    def figure(self, key: str) -> KeyFigure:
        return next(f for f in self.figures if f.key == key)


def _avg(total: int, count: int) -> Decimal | None:
    if count == 0:
        return None
    return (Decimal(total) / Decimal(count)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _real(queryset: QuerySet[M], include_synthetic: bool, prefix: str = "") -> QuerySet[M]:
    """``queryset`` without synthetic rows (``prefix`` reaches the row that carries the flag)."""
    if include_synthetic:
        return queryset
    return queryset.filter(**{f"{prefix}is_synthetic": False})


def key_figures(*, generation: Generation, include_synthetic: bool = False) -> KeyFigures:
    """The programme's key-figure table for ``generation``, computed from the registry."""
    partnerships = _real(Partnership.objects.filter(generation=generation), include_synthetic)
    stats = partnerships.aggregate(
        total=Count("pk"),
        stated=Count("pk", filter=Q(sme_count__isnull=False)),
        smes=Sum("sme_count"),
        **{
            f"category_{choice.value}": Count("pk", filter=Q(category=choice.value))
            for choice in PartnershipCategory
        },
    )
    by_category = {
        choice.value: int(stats[f"category_{choice.value}"]) for choice in PartnershipCategory
    }
    total = int(stats["total"])
    sme_stated = int(stats["stated"])
    sme_total = int(stats["smes"] or 0)
    memberships = _real(
        Membership.objects.filter(partnership__in=partnerships.values("pk")),
        include_synthetic,
        "organisation__",
    )
    reference = generation.reference_date
    # One pass over the memberships: the distinct countries and the EU ones among them are
    # counted with the other member figures, not fetched in a second query.
    member_stats = memberships.aggregate(
        rows=Count("pk"),
        partnerships=Count("partnership", distinct=True),
        organisations=Count("organisation", distinct=True),
        countries=Count("organisation__country", distinct=True),
        eu_countries=Count(
            "organisation__country",
            distinct=True,
            filter=Q(organisation__country__in=sorted(eu_member_codes(reference))),
        ),
    )
    organisation_count = int(member_stats["organisations"])

    reported_rows = list(
        ReportedFigure.objects.filter(generation=generation).order_by("as_of", "pk")
    )
    primary: dict[str, Reported] = {}
    others: list[tuple[str, Reported]] = []
    for row in reported_rows:
        value = Reported(row.value, row.qualifier, row.as_of, row.source_url, row.note)
        if row.key not in primary:
            primary[row.key] = value
        else:
            others.append((str(FigureKey(row.key).label), value))

    documented_partnerships = int(member_stats["partnerships"])
    stated = primary.get(FigureKey.ORGANISATIONS)
    org_coverage = (
        _("%(n)s of %(stated)s organisations documented")
        % {"n": organisation_count, "stated": f"{stated.value:.0f}"}
        if stated
        else _("%(n)s organisations documented") % {"n": organisation_count}
    )
    unknown_category = by_category[PartnershipCategory.UNKNOWN]

    def fig(key: FigureKey, computed: Decimal | None, coverage: str, unknown: int = 0) -> KeyFigure:
        return KeyFigure(
            key=key.value,
            label=str(key.label),
            computed=computed,
            reported=primary.get(key.value),
            coverage=coverage,
            unknown=unknown,
        )

    category_coverage = _("%(n)s of %(total)s partnerships have a stated category") % {
        "n": total - unknown_category,
        "total": total,
    }
    figures = [
        fig(
            FigureKey.PARTNERSHIPS,
            Decimal(total),
            _("%(n)s partnerships documented") % {"n": total},
        ),
        fig(
            FigureKey.COFUNDED,
            Decimal(by_category["strand1"] + by_category["strand2"]),
            category_coverage,
            unknown_category,
        ),
        fig(
            FigureKey.STRAND1, Decimal(by_category["strand1"]), category_coverage, unknown_category
        ),
        fig(
            FigureKey.STRAND2, Decimal(by_category["strand2"]), category_coverage, unknown_category
        ),
        fig(
            FigureKey.VOLUNTARY,
            Decimal(by_category["voluntary"]),
            category_coverage,
            unknown_category,
        ),
        fig(
            FigureKey.PENDING, Decimal(by_category["pending"]), category_coverage, unknown_category
        ),
        fig(
            FigureKey.ORGANISATIONS,
            Decimal(organisation_count),
            org_coverage,
            total - documented_partnerships,
        ),
        fig(
            FigureKey.COUNTRIES,
            Decimal(int(member_stats["countries"])),
            _("countries of the %(n)s documented organisations") % {"n": organisation_count},
            total - documented_partnerships,
        ),
        fig(
            FigureKey.EU_COUNTRIES,
            Decimal(int(member_stats["eu_countries"])),
            _("EU membership as of %(date)s") % {"date": reference.isoformat()},
            total - documented_partnerships,
        ),
        fig(
            FigureKey.SMES,
            Decimal(sme_total) if sme_stated else None,
            _("%(n)s of %(total)s partnerships state an SME count")
            % {"n": sme_stated, "total": total},
            total - sme_stated,
        ),
        fig(
            FigureKey.AVG_PARTNERS,
            _avg(int(member_stats["rows"]), documented_partnerships),
            _("over %(n)s of %(total)s partnerships with documented members")
            % {"n": documented_partnerships, "total": total},
            total - documented_partnerships,
        ),
        fig(
            FigureKey.AVG_SMES,
            _avg(sme_total, sme_stated),
            _("over %(n)s of %(total)s partnerships that state an SME count")
            % {"n": sme_stated, "total": total},
            total - sme_stated,
        ),
    ]
    return KeyFigures(generation, reference, figures, by_category, others)


def key_figures_cached(*, generation: Generation, include_synthetic: bool = False) -> KeyFigures:
    """``key_figures``, cached until the registry changes (core.cache; the registry services
    call ``registry_changed``). Keyed by language too: labels are translated when computed."""
    key = f"key-figures:{generation.pk}:{int(include_synthetic)}:{get_language()}"
    return cached(
        REGISTRY,
        key,
        lambda: key_figures(generation=generation, include_synthetic=include_synthetic),
    )


@dataclass(frozen=True, slots=True)
class Bar:
    key: str
    label: str
    value: int


def partnerships_by_sector_series(
    *, generation: Generation | None, include_synthetic: bool = False
) -> list[Bar]:
    links = Partnership.sectors.through.objects.all()
    if generation is not None:
        links = links.filter(partnership__generation=generation)
    links = _real(links, include_synthetic, "partnership__")
    counts = dict(
        links.order_by().values_list("sector_id").annotate(n=Count("partnership_id", distinct=True))
    )
    return [
        Bar(s.slug, s.name, int(counts.get(s.pk, 0))) for s in Sector.objects.order_by("position")
    ]


def partnerships_by_target_series(
    *, generation: Generation | None, limit: int = 15, include_synthetic: bool = False
) -> list[Bar]:
    """Partnerships per target third country (direct targets) and per named region."""
    partnerships = _real(Partnership.objects.all(), include_synthetic)
    if generation is not None:
        partnerships = partnerships.filter(generation=generation)
    ids = partnerships.values("pk")
    counter: Counter[tuple[str, str]] = Counter()
    through_c = (
        Partnership.target_countries.through.objects.filter(partnership__in=ids)
        .order_by()
        .values_list("country__code", "country__name")
        .annotate(n=Count("pk"))
    )
    for code, name, n in through_c:
        counter[(code, name)] += n
    through_r = (
        Partnership.target_regions.through.objects.filter(partnership__in=ids)
        .order_by()
        .values_list("region__slug", "region__name")
        .annotate(n=Count("pk"))
    )
    for slug, name, n in through_r:
        counter[(f"region:{slug}", _("%(name)s (region)") % {"name": name})] += n
    ordered = sorted(counter.items(), key=lambda item: (-item[1], item[0][1]))
    return [Bar(key, label, n) for (key, label), n in ordered[:limit]]


@dataclass(frozen=True, slots=True)
class CountryCount:
    code: str
    name: str
    organisations: int
    eu_member: bool


def member_countries_series(
    *, generation: Generation | None, include_synthetic: bool = False
) -> list[CountryCount]:
    """Distinct member organisations per country, for the map of Europe."""
    organisations = _real(ClusterOrganisation.objects.all(), include_synthetic)
    if generation is not None:
        organisations = organisations.filter(
            pk__in=_real(
                Membership.objects.filter(partnership__generation=generation),
                include_synthetic,
                "partnership__",
            ).values("organisation_id")
        )
    rows = (
        organisations.values("country__code", "country__name")
        .annotate(n=Count("pk", distinct=True))
        .order_by("-n", "country__name")
    )
    reference = generation.reference_date if generation else dt.date.today()  # noqa: DTZ011
    eu = eu_member_codes(reference)
    return [
        CountryCount(r["country__code"], r["country__name"], int(r["n"]), r["country__code"] in eu)
        for r in rows
    ]
