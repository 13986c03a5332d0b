"""The key-figures page: computed figures beside the reported ones, with charts."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from escp4i.calls.selectors import call_figures
from escp4i.dashboards.selectors import (
    key_figures_cached,
    member_countries_series,
    partnerships_by_sector_series,
    partnerships_by_target_series,
)
from escp4i.events.selectors import event_outcomes_by_partnership
from escp4i.labels.selectors import label_status_counts
from escp4i.labels.workflow import LabelState
from escp4i.registry import selectors
from escp4i.registry.models import PartnershipCategory
from escp4i.web.charts import bar_chart, europe_map
from escp4i.web.figures import figure_rows, other_statement_rows
from escp4i.web.forms import GenerationForm
from escp4i.web.views._http import fetch


@require_safe
def keyfigure_list(request: HttpRequest) -> HttpResponse:
    generations = list(selectors.generation_list())
    generation = fetch(selectors.generation_get, code=request.GET.get("generation") or None)
    form = GenerationForm(initial={"generation": generation.code}, generations=generations)
    figures = key_figures_cached(generation=generation)
    context = {
        "form": form,
        "generation": generation,
        "figures": figures,
        "rows": figure_rows(figures),
        "others": other_statement_rows(figures),
        "by_category": [
            (choice.label, figures.by_category.get(choice.value, 0), choice.value)
            for choice in PartnershipCategory
        ],
        "sector_chart": bar_chart(
            chart_id="chart-sectors",
            title=_("Partnerships by focus area"),
            description=_(
                "Number of %(generation)s partnerships working in each focus area; a partnership "
                "can work in several."
            )
            % {"generation": generation.name},
            bars=partnerships_by_sector_series(generation=generation),
        ),
        "target_chart": bar_chart(
            chart_id="chart-targets",
            title=_("Partnerships by target third country or region"),
            description=_(
                "Number of %(generation)s partnerships naming each third country or region as "
                "a target (most frequent first)."
            )
            % {"generation": generation.name},
            bars=partnerships_by_target_series(generation=generation),
        ),
        "map": europe_map(
            chart_id="map-members",
            title=_("Member cluster organisations by country"),
            series=member_countries_series(generation=generation),
        ),
        # Programme activity from the other domains: labels, calls and event outcomes.
        "label_counts": _label_rows(),
        "calls": call_figures(),
        "event_outcomes": sorted(
            event_outcomes_by_partnership(), key=lambda o: (-o.meetings_held, o.acronym)
        ),
    }
    return render(request, "web/keyfigure_list.html", context)


def _label_rows() -> list[tuple[str, int]]:
    counts = label_status_counts()
    rows = [(str(state.label), counts.get(state.value, 0)) for state in LabelState]
    return [(_("In force (awarded or expiring)"), counts.get("active", 0)), *rows]
