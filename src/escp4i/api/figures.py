"""Key figures: computed from the registry beside the officially reported figures."""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from escp4i.api.schemas import ErrorOut
from escp4i.dashboards.selectors import KeyFigures, Reported, key_figures_cached
from escp4i.registry.selectors import generation_get

router = Router(tags=["key figures"])


class KeyFiguresFilters(Schema):
    generation: str | None = Field(None, description="Generation code; default 2016")
    include_synthetic: bool = Field(
        False, description="Count synthetic (demo and scale-test) rows too; never for reporting"
    )


class ReportedOut(Schema):
    value: float
    qualifier: str = Field(..., description="e.g. 'about', 'more than'")
    as_of: dt.date
    source_url: str
    note: str


class KeyFigureOut(Schema):
    key: str
    label: str
    computed: float | None = Field(..., description="From the registry; null when unknown")
    reported: ReportedOut | None = Field(..., description="As officially stated, with source")
    coverage: str = Field(..., description="What the computed value rests on")
    unknown: int = Field(..., description="Rows whose value is unknown (never counted as 0)")


class OtherStatementOut(Schema):
    label: str
    reported: ReportedOut


class KeyFiguresOut(Schema):
    generation: str
    generation_name: str
    reference_date: dt.date
    figures: list[KeyFigureOut]
    by_category: dict[str, int]
    other_statements: list[OtherStatementOut]


def _reported(value: Reported | None) -> dict[str, Any] | None:
    if value is None:
        return None
    return {
        "value": float(value.value),
        "qualifier": value.qualifier,
        "as_of": value.as_of,
        "source_url": value.source_url,
        "note": value.note,
    }


def _shape(figures: KeyFigures) -> dict[str, Any]:
    return {
        "generation": figures.generation.code,
        "generation_name": figures.generation.name,
        "reference_date": figures.reference_date,
        "figures": [
            {
                "key": f.key,
                "label": f.label,
                "computed": float(f.computed) if f.computed is not None else None,
                "reported": _reported(f.reported),
                "coverage": f.coverage,
                "unknown": f.unknown,
            }
            for f in figures.figures
        ],
        "by_category": figures.by_category,
        "other_statements": [
            {"label": label, "reported": _reported(reported)}
            for label, reported in figures.other_statements
        ],
    }


@router.get("/key-figures", response={200: KeyFiguresOut, 404: ErrorOut})
def key_figures_get(request: HttpRequest, filters: Query[KeyFiguresFilters]) -> dict[str, Any]:
    generation = generation_get(code=filters.generation)
    figures = key_figures_cached(generation=generation, include_synthetic=filters.include_synthetic)
    return _shape(figures)
