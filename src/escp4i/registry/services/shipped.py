"""Loading the shipped, source-referenced ESCP-4i dataset (registry/data/) idempotently.

Partnerships and memberships go through the same importer as user files, so the shipped data is
validated by the same rules. Generations and the officially reported figures are seeded here with
the sources they come from.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from escp4i.registry.models import FigureKey, Generation, ReportedFigure
from escp4i.registry.services.derived import registry_changed
from escp4i.registry.services.imports import ImportSummary, registry_import

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

ECCP_LAUNCH = (
    "https://impr-0001-1260-partners.eccp.hosted-temp.com/news/"
    "eu-commission-launches-24-european-strategic-cluster-partnerships-go"
)
WARRANTHUB = (
    "https://cna.warranthub.it/en/news-2/81-funding/news/"
    "13852-cosme-24-european-strategic-cluster-partnerships.html"
)
ECCP_FIRST_GENERATION = (
    "https://clustercollaboration.eu/eu-cluster-partnerships/escp-4i/first-generation"
)
POLE_SCS_2018 = (
    "https://www.pole-scs.org/en/2018/03/01/signature-of-the-charter-european-strategic-cluster-"
    "partnerships/"
)
ECCP_CONSULTATION_2018 = (
    "https://www.clustercollaboration.eu/news/"
    "results-first-consultation-among-clusters-go-international-partnerships"
)

GENERATIONS: tuple[dict[str, object], ...] = (
    {
        "code": "2016",
        "name": "First generation (2016)",
        "call_identifier": "COS-CLUSTER-2014-3-03",
        "call_title": "Clusters Go International",
        "label_date": dt.date(2016, 3, 8),
        "description": (
            "Labelled on 8 March 2016 in Brussels: 15 partnerships co-funded by the COSME call "
            "(9 strand 1, 6 strand 2) and 9 voluntary partnerships from the reserve list."
        ),
        "source_urls": [ECCP_LAUNCH, WARRANTHUB, ECCP_FIRST_GENERATION],
    },
    {
        "code": "2018",
        "name": "Second generation (2018)",
        "call_identifier": "COS-CLUSINT-2016-03-01",
        "call_title": "Clusters Go International",
        "label_date": dt.date(2018, 2, 20),
        "description": "23 partnerships launched in Brussels on 20-21 February 2018.",
        "source_urls": [POLE_SCS_2018, ECCP_CONSULTATION_2018],
    },
)

SEED_NOTE = (
    "Programme figures as stated for the first generation; the sources disagree in places "
    "(see the dataset README)."
)

# (generation, key, value, qualifier, as_of, source, note)
REPORTED: tuple[tuple[str, str, str, str, dt.date, str, str], ...] = (
    ("2016", FigureKey.PARTNERSHIPS, "24", "", dt.date(2016, 3, 8), ECCP_LAUNCH, ""),
    ("2016", FigureKey.COFUNDED, "15", "", dt.date(2016, 3, 8), ECCP_LAUNCH, ""),
    ("2016", FigureKey.STRAND1, "9", "", dt.date(2016, 3, 8), WARRANTHUB, ""),
    ("2016", FigureKey.STRAND2, "6", "", dt.date(2016, 3, 8), WARRANTHUB, ""),
    ("2016", FigureKey.VOLUNTARY, "9", "", dt.date(2016, 3, 8), ECCP_LAUNCH, ""),
    ("2016", FigureKey.PENDING, "2", "", dt.date(2016, 3, 8), ECCP_FIRST_GENERATION, SEED_NOTE),
    (
        "2016",
        FigureKey.ORGANISATIONS,
        "138",
        "",
        dt.date(2016, 3, 8),
        ECCP_FIRST_GENERATION,
        SEED_NOTE,
    ),
    ("2016", FigureKey.ORGANISATIONS, "140", "about", dt.date(2016, 3, 8), ECCP_LAUNCH, ""),
    ("2016", FigureKey.COUNTRIES, "23", "", dt.date(2016, 3, 8), ECCP_LAUNCH, ""),
    (
        "2016",
        FigureKey.EU_COUNTRIES,
        "19",
        "",
        dt.date(2016, 3, 8),
        ECCP_FIRST_GENERATION,
        SEED_NOTE,
    ),
    ("2016", FigureKey.SMES, "17000", "more than", dt.date(2016, 3, 8), ECCP_LAUNCH, ""),
    (
        "2016",
        FigureKey.AVG_PARTNERS,
        "6",
        "about",
        dt.date(2016, 3, 8),
        ECCP_FIRST_GENERATION,
        SEED_NOTE,
    ),
    (
        "2016",
        FigureKey.AVG_SMES,
        "700",
        "about",
        dt.date(2016, 3, 8),
        ECCP_FIRST_GENERATION,
        SEED_NOTE,
    ),
    ("2018", FigureKey.PARTNERSHIPS, "23", "", dt.date(2018, 2, 20), POLE_SCS_2018, ""),
)


@dataclass(frozen=True, slots=True)
class LoadSummary:
    generations: int
    reported_figures: int
    partnerships: ImportSummary
    memberships: ImportSummary


@transaction.atomic
def registry_load_shipped(*, data_dir: Path | None = None) -> LoadSummary:
    """Load (or refresh) the shipped ESCP-4i data. Running it twice changes nothing."""
    directory = data_dir or DATA_DIR
    generations: dict[str, Generation] = {}
    for spec in GENERATIONS:
        defaults = {k: v for k, v in spec.items() if k != "code"}
        generation, _created = Generation.objects.update_or_create(
            code=str(spec["code"]), defaults=defaults
        )
        generations[generation.code] = generation
    figures = 0
    for gen_code, key, value, qualifier, as_of, source, note in REPORTED:
        ReportedFigure.objects.update_or_create(
            generation=generations[gen_code],
            key=key,
            as_of=as_of,
            source_url=source,
            defaults={"value": Decimal(value), "qualifier": qualifier, "note": note},
        )
        figures += 1
    registry_changed()
    with (directory / "partnerships.csv").open("rb") as stream:
        partnerships = registry_import(kind="partnerships", stream=stream, fmt="csv")
    with (directory / "members.csv").open("rb") as stream:
        memberships = registry_import(kind="memberships", stream=stream, fmt="csv")
    return LoadSummary(
        generations=len(generations),
        reported_figures=figures,
        partnerships=partnerships,
        memberships=memberships,
    )
