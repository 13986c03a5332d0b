"""Key-figure rows for the templates: computed beside reported, with the unknowns phrased."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import ngettext
from django.utils.translation import pgettext_lazy as pgettext

from escp4i.dashboards.selectors import KeyFigures, Reported

_CATEGORY_KEYS = {"cofunded", "strand1", "strand2", "voluntary", "pending"}
_MEMBER_KEYS = {"organisations", "countries", "eu_countries", "avg_partners"}
_SME_KEYS = {"smes", "avg_smes"}

# Qualifiers as stored with reported figures, translated for display.
QUALIFIERS = {
    "about": pgettext("reported figure", "about"),
    "more than": pgettext("reported figure", "more than"),
    "up to": pgettext("reported figure", "up to"),
    "at least": pgettext("reported figure", "at least"),
    "less than": pgettext("reported figure", "less than"),
}


@dataclass(frozen=True, slots=True)
class FigureRow:
    key: str
    label: str
    computed: Decimal | None
    reported: Reported | None
    qualifier: str
    coverage: str
    unknown: int
    unknown_text: str


def unknown_text(key: str, n: int) -> str:
    if n == 0:
        return ""
    if key in _CATEGORY_KEYS:
        return ngettext(
            "%(n)s partnership of unknown category", "%(n)s partnerships of unknown category", n
        ) % {"n": n}
    if key in _MEMBER_KEYS:
        return ngettext(
            "%(n)s partnership without documented members",
            "%(n)s partnerships without documented members",
            n,
        ) % {"n": n}
    if key in _SME_KEYS:
        return ngettext(
            "%(n)s partnership without a stated SME count",
            "%(n)s partnerships without a stated SME count",
            n,
        ) % {"n": n}
    return ngettext("%(n)s unknown", "%(n)s unknown", n) % {"n": n}


def figure_rows(figures: KeyFigures) -> list[FigureRow]:
    rows = []
    for figure in figures.figures:
        qualifier = ""
        if figure.reported and figure.reported.qualifier:
            qualifier = str(QUALIFIERS.get(figure.reported.qualifier, figure.reported.qualifier))
        rows.append(
            FigureRow(
                key=figure.key,
                label=figure.label,
                computed=figure.computed,
                reported=figure.reported,
                qualifier=qualifier,
                coverage=figure.coverage,
                unknown=figure.unknown,
                unknown_text=unknown_text(figure.key, figure.unknown),
            )
        )
    return rows


def other_statement_rows(figures: KeyFigures) -> list[tuple[str, Reported, str]]:
    """Further reported values for the same figure (sources disagree): label, value, qualifier."""
    return [
        (label, reported, str(QUALIFIERS.get(reported.qualifier, reported.qualifier)))
        for label, reported in figures.other_statements
    ]
