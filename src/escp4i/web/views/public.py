"""Public registry pages: home, partnership catalogue and detail, organisations, countries."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from escp4i.collaboration.selectors import services_for_countries
from escp4i.core.errors import NotFound
from escp4i.dashboards.selectors import (
    key_figures_cached,
    member_countries_series,
    partnerships_by_sector_series,
)
from escp4i.registry import selectors
from escp4i.registry.models import Generation
from escp4i.web.access import may_edit
from escp4i.web.charts import bar_chart, europe_map
from escp4i.web.figures import figure_rows
from escp4i.web.forms import OrganisationFilterForm, PartnershipFilterForm
from escp4i.web.views._http import fetch, keyset_paginate, render_page_or_fragment

HOME_FIGURES = ("partnerships", "organisations", "countries", "smes")


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    try:
        generation: Generation | None = selectors.generation_get(code=None)
    except NotFound:
        generation = None  # an empty registry still gets a home page
    rows = figure_rows(key_figures_cached(generation=generation)) if generation else []
    totals = selectors.registry_totals()
    context = {
        "generation": generation,
        "figures": [row for row in rows if row.key in HOME_FIGURES],
        "partnership_total": totals.partnerships,
        "organisation_total": totals.organisations,
        "sector_chart": bar_chart(
            chart_id="chart-sectors",
            title=_("Partnerships by focus area (all generations)"),
            description=_("Number of partnerships working in each focus area."),
            bars=partnerships_by_sector_series(generation=None),
        ),
        "map": europe_map(
            chart_id="map-members",
            title=_("Member cluster organisations by country (all generations)"),
            series=member_countries_series(generation=None),
        ),
    }
    return render(request, "web/home.html", context)


@require_safe
def partnership_list(request: HttpRequest) -> HttpResponse:
    form = PartnershipFilterForm(
        request.GET,
        generations=list(selectors.generation_list()),
        sectors=list(selectors.sector_list()),
        countries=list(selectors.country_choices()),
    )
    page, count = keyset_paginate(request, selectors.partnership_search(**form.filters()))
    context = {"form": form, "page": page, "count": count}
    return render_page_or_fragment(
        request, "web/partnership_list.html", "web/_partnership_results.html", context
    )


@require_safe
def partnership_detail(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = fetch(selectors.partnership_get, slug=slug)
    context = {
        "partnership": partnership,
        "coordinators": [m for m in partnership.memberships.all() if m.role == "coordinator"],
        "can_edit": _can_edit(request, "partnership", slug),
    }
    return render(request, "web/partnership_detail.html", context)


@require_safe
def organisation_list(request: HttpRequest) -> HttpResponse:
    form = OrganisationFilterForm(request.GET, countries=list(selectors.country_choices()))
    page, count = keyset_paginate(request, selectors.organisation_search(**form.filters()))
    return render_page_or_fragment(
        request,
        "web/organisation_list.html",
        "web/_organisation_results.html",
        {"form": form, "page": page, "count": count},
    )


@require_safe
def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = fetch(selectors.organisation_get, slug=slug)
    sme_page, sme_count = keyset_paginate(
        request, selectors.sme_member_list(organisation=organisation)
    )
    context = {
        "organisation": organisation,
        "can_edit": _can_edit(request, "organisation", slug),
        "page": sme_page,
        "sme_count": sme_count,
    }
    return render(request, "web/organisation_detail.html", context)


@require_safe
def country_list(request: HttpRequest) -> HttpResponse:
    countries = list(selectors.country_list_with_activity())
    return render(
        request,
        "web/country_list.html",
        {
            "member_countries": [c for c in countries if getattr(c, "organisation_count", 0)],
            "target_countries": [c for c in countries if getattr(c, "target_count", 0)],
        },
    )


@require_safe
def country_detail(request: HttpRequest, code: str) -> HttpResponse:
    view = fetch(selectors.country_get_cached, code=code)
    return render(
        request,
        "web/country_detail.html",
        {
            "view": view,
            "country": view.country,
            "services": services_for_countries(codes=[view.country.code]),
        },
    )


def _can_edit(request: HttpRequest, entity: str, slug: str) -> bool:
    """Whether to offer the edit link; the edit page itself re-checks through the same selector."""
    if not request.user.is_authenticated:
        return False
    return may_edit(request.user, entity, slug)


@require_safe
def privacy(request: HttpRequest) -> HttpResponse:
    """What the platform stores about people, why, for how long, and how to use one's rights."""
    return render(
        request,
        "web/privacy.html",
        {
            "unsubscribe_days": settings.ESCP4I_UNSUBSCRIBE_MAX_AGE_DAYS,
            "contact": settings.ESCP4I_PRIVACY_CONTACT,
        },
    )
