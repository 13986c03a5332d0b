"""Chart geometry for the server-rendered SVG charts (bar charts and the map of Europe).

The dashboard selectors decide *what* is counted; this module only turns their series into
coordinates and colour classes, so the templates draw without computing. Nothing here needs
JavaScript: the SVG is plain markup with ``<title>``/``<desc>`` and a data-table alternative.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from escp4i.dashboards.selectors import Bar, CountryCount

MAP_FILE = Path(__file__).resolve().parent / "static" / "web" / "europe-map.json"

# Bar chart layout, in SVG user units.
_CHART_WIDTH = 640
_LABEL_WIDTH = 230
_VALUE_WIDTH = 40
_ROW_HEIGHT = 28
_BAR_HEIGHT = 18
_TOP = 8


@dataclass(frozen=True, slots=True)
class BarRow:
    key: str
    label: str
    value: int
    y: int
    text_y: int
    width: float
    value_x: float


@dataclass(frozen=True, slots=True)
class BarChart:
    id: str
    title: str
    description: str
    rows: list[BarRow]
    width: int
    height: int
    bar_x: int
    label_x: int
    bar_height: int


def bar_chart(*, chart_id: str, title: str, description: str, bars: list[Bar]) -> BarChart:
    """Horizontal bars, longest = full width of the bar area; zero bars stay visible as rows."""
    top = max((bar.value for bar in bars), default=0) or 1
    area = _CHART_WIDTH - _LABEL_WIDTH - _VALUE_WIDTH
    rows = []
    for index, bar in enumerate(bars):
        y = _TOP + index * _ROW_HEIGHT
        width = round(area * bar.value / top, 1)
        rows.append(
            BarRow(
                key=bar.key,
                label=bar.label,
                value=bar.value,
                y=y,
                text_y=y + _BAR_HEIGHT - 5,
                width=width,
                value_x=_LABEL_WIDTH + width + 6,
            )
        )
    return BarChart(
        id=chart_id,
        title=title,
        description=description,
        rows=rows,
        width=_CHART_WIDTH,
        height=_TOP * 2 + max(len(bars), 1) * _ROW_HEIGHT,
        bar_x=_LABEL_WIDTH,
        label_x=_LABEL_WIDTH - 8,
        bar_height=_BAR_HEIGHT,
    )


@lru_cache(maxsize=1)
def _europe_geometry() -> tuple[str, dict[str, str]]:
    data = json.loads(MAP_FILE.read_text(encoding="utf-8"))
    return str(data["viewBox"]), dict(data["paths"])


@dataclass(frozen=True, slots=True)
class MapCountry:
    code: str
    name: str
    path: str
    organisations: int
    css_class: str
    title: str


@dataclass(frozen=True, slots=True)
class LegendItem:
    css_class: str
    label: str


@dataclass(frozen=True, slots=True)
class EuropeMap:
    id: str
    title: str
    description: str
    view_box: str
    countries: list[MapCountry]
    legend: list[LegendItem]
    series: list[CountryCount]
    off_map: list[CountryCount]


_CLASSES = 4  # colour steps for countries with at least one organisation


def _bins(top: int) -> list[tuple[int, int]]:
    """Up to four equal-width value ranges covering 1..top, e.g. top=14 -> 1-4, 5-8, 9-12, 13-14."""
    step = max(1, math.ceil(top / _CLASSES))
    bins = []
    low = 1
    while low <= top:
        bins.append((low, min(low + step - 1, top)))
        low += step
    return bins


def europe_map(*, chart_id: str, title: str, series: list[CountryCount]) -> EuropeMap:
    """A choropleth of member organisations per country (grey = none documented)."""
    view_box, paths = _europe_geometry()
    counts = {row.code: row for row in series}
    bins = _bins(max((row.organisations for row in series), default=0))

    def css_class(n: int) -> str:
        for index, (low, high) in enumerate(bins, start=1):
            if low <= n <= high:
                return f"map-q{index}"
        return "map-q0"

    countries = []
    for code, path in sorted(paths.items()):
        row = counts.get(code)
        n = row.organisations if row else 0
        name = row.name if row else code
        title_text = (
            ngettext("%(country)s: %(n)s organisation", "%(country)s: %(n)s organisations", n)
            % {"country": name, "n": n}
            if row
            else ""
        )
        countries.append(MapCountry(code, name, path, n, css_class(n), title_text))
    legend = [LegendItem("map-q0", _("none documented"))]
    for index, (low, high) in enumerate(bins, start=1):
        label = str(low) if low == high else _("%(low)s to %(high)s") % {"low": low, "high": high}
        legend.append(LegendItem(f"map-q{index}", label))
    total = sum(row.organisations for row in series)
    description = ngettext(
        "Map of Europe shaded by the number of member cluster organisations per country: "
        "%(n)s organisation in %(countries)s countries.",
        "Map of Europe shaded by the number of member cluster organisations per country: "
        "%(n)s organisations in %(countries)s countries.",
        total,
    ) % {"n": total, "countries": len(series)}
    return EuropeMap(
        id=chart_id,
        title=title,
        description=description,
        view_box=view_box,
        countries=countries,
        legend=legend,
        series=series,
        off_map=[row for row in series if row.code not in paths],
    )
