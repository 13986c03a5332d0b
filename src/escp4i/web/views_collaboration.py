"""Collaboration pages: support-service directory, policy dialogues, third-market pages and the
"recommended partners" / "services for this market" fragments embedded on partnership pages."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from escp4i.collaboration import selectors
from escp4i.collaboration.models import InstrumentKind, ServiceKind
from escp4i.matching import Reason
from escp4i.registry.models import Country, Sector
from escp4i.registry.selectors import partnership_get
from escp4i.web.views._http import fetch, is_htmx, render_page_or_fragment


class ServiceFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind of help"),
        required=False,
        choices=[("", gettext_lazy("Any")), *ServiceKind.choices],
    )
    country = forms.ChoiceField(label=gettext_lazy("Target country"), required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]  # Form's untyped signature
        codes = Country.objects.filter(
            pk__in=[m.code for m in selectors.market_list() if not m.is_region]
        ).order_by("name")
        self.fields["country"].choices = [  # type: ignore[attr-defined]  # ChoiceField
            ("", _("Any")),
            *[(c.code, c.name) for c in codes],
        ]


@require_safe
def service_list(request: HttpRequest) -> HttpResponse:
    form = ServiceFilterForm(request.GET or None)
    kind = country = None
    if form.is_valid():
        kind = form.cleaned_data["kind"] or None
        country = form.cleaned_data["country"] or None
    services = selectors.support_service_list(kind=kind, country=country)
    context = {"form": form, "services": services, "country": country}
    return render_page_or_fragment(
        request, "collaboration/service_list.html", "collaboration/_service_results.html", context
    )


@require_safe
def service_detail(request: HttpRequest, slug: str) -> HttpResponse:
    service = fetch(selectors.support_service_get, slug=slug)
    return render(request, "collaboration/service_detail.html", {"service": service})


@require_safe
def dialogue_list(request: HttpRequest) -> HttpResponse:
    instrument = request.GET.get("instrument") or None
    if instrument not in InstrumentKind.values:
        instrument = None
    country = (request.GET.get("country") or "").upper() or None
    context = {
        "dialogues": selectors.policy_dialogue_list(country=country, instrument=instrument),
        "instruments": InstrumentKind.choices,
        "instrument": instrument,
    }
    return render(request, "collaboration/dialogue_list.html", context)


@require_safe
def market_list(request: HttpRequest) -> HttpResponse:
    markets = selectors.market_list()
    context = {
        "countries": [m for m in markets if not m.is_region],
        "regions": [m for m in markets if m.is_region],
    }
    return render(request, "collaboration/market_list.html", context)


# --- activity chart (server-side SVG, stacked columns per year) ---------------------------------

_CHART_HEIGHT = 160
_COLUMN_WIDTH = 34
_GAP = 14
_LEFT = 28
_BOTTOM = 22


@dataclass(frozen=True, slots=True)
class ColumnPart:
    css_class: str
    y: float
    height: float
    label: str


@dataclass(frozen=True, slots=True)
class Column:
    year: int
    x: int
    label_x: int
    total: int
    total_y: float
    parts: list[ColumnPart]


@dataclass(frozen=True, slots=True)
class ActivityChart:
    id: str
    title: str
    description: str
    width: int
    height: int
    baseline: int
    columns: list[Column]
    rows: list[selectors.ActivityYear]


def activity_chart(
    *, chart_id: str, title: str, series: list[selectors.ActivityYear]
) -> ActivityChart:
    top = max((row.total for row in series), default=0) or 1
    area = _CHART_HEIGHT - _BOTTOM - 16
    baseline = _CHART_HEIGHT - _BOTTOM
    columns = []
    for index, row in enumerate(series):
        x = _LEFT + index * (_COLUMN_WIDTH + _GAP)
        y = float(baseline)
        parts = []
        for css, value, label in (
            ("act-partnerships", row.partnerships, _("partnerships")),
            ("act-dialogues", row.dialogues, _("dialogues")),
            ("act-events", row.events, _("events")),
        ):
            height = round(area * value / top, 1)
            y = round(y - height, 1)
            if value:
                parts.append(ColumnPart(css, y, height, f"{row.year}: {value} {label}"))
        columns.append(Column(row.year, x, x + _COLUMN_WIDTH // 2, row.total, y - 4, parts))
    description = _("Partnerships (by start or label year), policy dialogues and events per year.")
    return ActivityChart(
        id=chart_id,
        title=title,
        description=description,
        width=_LEFT + max(len(series), 1) * (_COLUMN_WIDTH + _GAP),
        height=_CHART_HEIGHT,
        baseline=baseline,
        columns=columns,
        rows=series,
    )


@require_safe
def market_detail(request: HttpRequest, code: str) -> HttpResponse:
    view = fetch(selectors.third_country_view, code=code)
    chart = activity_chart(
        chart_id="chart-activity",
        title=_("Activity over time: %(name)s") % {"name": view.name},
        series=view.activity,
    )
    context = {
        "view": view,
        "chart": chart,
        "forum_space": selectors.forum_market_space(code=view.code),
    }
    return render(request, "collaboration/market_detail.html", context)


# --- embeddable fragments ------------------------------------------------------------------------


def reason_text(reason: Reason, sector_names: dict[str, str] | None = None) -> str:
    """The translated sentence for one recommendation reason (codes from escp4i.matching)."""
    p = dict(reason.params)
    if "families" in p and sector_names:
        slugs = [s.strip() for s in p["families"].split(",") if s.strip()]
        p["families"] = ", ".join(sector_names.get(s, s) for s in slugs)
    texts = {
        "same_sector_family": _("Works in the same sector family: %(families)s"),
        "overlapping_markets": _("Already targets the same markets: %(markets)s"),
        "worked_with_members": _(
            "Has worked with current members in other partnerships: %(organisations)s"
        ),
        "new_country": _("Adds a country the partnership does not cover yet: %(country)s"),
        "wanted_country": _("Based in a partner country you seek: %(country)s"),
        "similar_profile": _("Profile text shares key terms: %(terms)s")
        if p.get("terms")
        else _("Profile text is similar"),
    }
    template = texts.get(reason.code)
    return template % p if template else reason.text


@require_safe
def partnership_recommendations(request: HttpRequest, slug: str) -> HttpResponse:
    """The "recommended partners" block for a partnership (fragment for htmx, page otherwise)."""
    partnership = fetch(partnership_get, slug=slug)
    sector_names = {s.slug: s.name for s in Sector.objects.all()}
    recommendations = [
        {
            "organisation": r.organisation,
            "score": r.score,
            "reasons": [reason_text(reason, sector_names) for reason in r.reasons],
        }
        for r in selectors.recommend_members(partnership=partnership, limit=10)
    ]
    context = {"partnership": partnership, "recommendations": recommendations}
    template = (
        "collaboration/_recommendations.html"
        if is_htmx(request)
        else "collaboration/partnership_recommendations.html"
    )
    return render(request, template, context)


@require_safe
def partnership_services(request: HttpRequest, slug: str) -> HttpResponse:
    """The "services for this target market" block for a partnership page."""
    partnership = fetch(partnership_get, slug=slug)
    context = {
        "partnership": partnership,
        "services": selectors.services_for_partnership(partnership=partnership),
    }
    return render(request, "collaboration/_market_services.html", context)
