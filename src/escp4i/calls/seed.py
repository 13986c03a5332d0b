"""The two real "Clusters Go International" calls behind the first and second generations, seeded
from registry/data/programme.md (section 1) and the programme brief, idempotently.

Every figure carries its source. A figure that only the programme brief states has no URL, its
``source_label`` is ``PROGRAMME_BRIEF`` and it is shown as such. Where sources disagree both
figures are stored, each with a note. Nothing is estimated: unknown places, durations and
deadlines stay empty.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import transaction

from escp4i.calls.models import (
    PROGRAMME_BRIEF,
    Call,
    CallFigure,
    CallOutcome,
    CallPartnership,
    CallState,
    FigureKind,
    ReservedPlace,
    Strand,
)
from escp4i.registry.models import Generation, Partnership, PartnershipCategory

BRUSSELS = ZoneInfo("Europe/Brussels")

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
CALL_2017_SUMMARY = (
    "https://www.images-et-reseaux.com/projet/"
    "commission-europeenne-cosme-europe-cluster-go-international-2017/"
)
ECCP_CALL_NEWS = "https://impr-0001-1260-partners.eccp.hosted-temp.com/content/cluster-go-international-call-launched"
ECCP_FEB_2018 = (
    "https://clustercollaboration.eu/news/"
    "eu-commission-action-clusters-go-international-contributes-strongly-boost-smes"
)
POLE_SCS_2018 = (
    "https://www.pole-scs.org/en/2018/03/01/signature-of-the-charter-european-strategic-cluster-"
    "partnerships/"
)

LABELS = {
    ECCP_LAUNCH: "ECCP launch news (Mar 2016)",
    WARRANTHUB: "warranthub (Mar 2016)",
    ECCP_FIRST_GENERATION: "ECCP first-generation page",
    CALL_2017_SUMMARY: "2017 call summary (images-et-reseaux)",
    ECCP_CALL_NEWS: "ECCP call news",
    ECCP_FEB_2018: "ECCP results (Feb 2018)",
    POLE_SCS_2018: "Pôle SCS (Mar 2018)",
}

NOTE_2014_BUDGET = (
    "Stated only in the programme brief; programme.md found no budget for this call in public "
    "sources."
)
NOTE_2014_CLUSTERS = (
    "Programme brief: 80 clusters in the 15 co-funded projects. Sources give about 140 "
    "organisations for all 24 labelled partnerships (ECCP, Mar 2016) and about 100 for the "
    "co-funded and some voluntary partnerships (ECCP, Feb 2018)."
)
NOTE_VOLUNTARY = (
    "9 voluntary partnerships from the reserve list on 8 Mar 2016; the later ECCP page says 10 "
    "(25 labelled in all); the 2016 call text says up to 26 and a Dec 2016 article says 26."
)
NOTE_2016_BUDGET = (
    "Sources disagree: the 2017 call summary gives 5,790,000 EUR (400,000 strand 1.b earth "
    "observation + 5,390,000 strands 1.a and 2); the programme brief gives 4,425,000 EUR. The "
    "call budget uses the sourced figure."
)
NOTE_DUAL_USE = (
    "Only the programme brief states 2 strand-1 places reserved for dual-use technologies "
    "(defence and security); the 2017 call summary instead describes strand 1.b (earth "
    "observation, 2 expected projects), and defence and security had its own call later "
    "(COS-CLUSINT-2017-03-6). Attached to strand 1.a, the all-sector strand-1 strand."
)


@dataclass(frozen=True, slots=True)
class FigureSeed:
    kind: FigureKind
    value: str
    source: str  # a URL, or PROGRAMME_BRIEF
    scope: str = ""
    qualifier: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True)
class StrandSeed:
    code: str
    title: str
    category: PartnershipCategory
    max_grant: str | None
    places: int | None
    source: str
    notes: str = ""


@dataclass(frozen=True, slots=True)
class CallSeed:
    identifier: str
    title: str
    programme: str
    budget: str | None
    deadline: dt.datetime | None
    description: str
    notes: str
    source_urls: tuple[str, ...]
    strands: tuple[StrandSeed, ...]
    reserved: tuple[tuple[str, str, int, str, str], ...]  # strand, theme, places, source, note
    figures: tuple[FigureSeed, ...]


CALLS: tuple[CallSeed, ...] = (
    CallSeed(
        identifier="COS-CLUSTER-2014-3-03",
        title="Clusters Go International",
        programme="COSME work programme 2014",
        budget="3750000",
        deadline=None,
        description=(
            "First call for European Strategic Cluster Partnerships - Going International. "
            "Projects started in January 2016; 15 were co-funded and the consortia on the "
            "reserve list were invited to become voluntary partnerships (labelled 8 Mar 2016)."
        ),
        notes=NOTE_2014_BUDGET + " Deadline and places per strand not found.",
        source_urls=(ECCP_LAUNCH, WARRANTHUB, ECCP_FIRST_GENERATION),
        strands=(
            StrandSeed(
                "1",
                "Strategy preparation",
                PartnershipCategory.STRAND1,
                None,
                None,
                WARRANTHUB,
                "9 co-funded; places and maximum grant not found.",
            ),
            StrandSeed(
                "2",
                "Strategy implementation",
                PartnershipCategory.STRAND2,
                None,
                None,
                WARRANTHUB,
                "6 co-funded; places and maximum grant not found.",
            ),
        ),
        reserved=(),
        figures=(
            FigureSeed(FigureKind.BUDGET, "3750000", PROGRAMME_BRIEF, note=NOTE_2014_BUDGET),
            FigureSeed(FigureKind.FUNDED, "15", PROGRAMME_BRIEF),
            FigureSeed(FigureKind.FUNDED, "15", ECCP_LAUNCH),
            FigureSeed(FigureKind.FUNDED, "9", WARRANTHUB, scope="strand 1"),
            FigureSeed(FigureKind.FUNDED, "6", WARRANTHUB, scope="strand 2"),
            FigureSeed(FigureKind.VOLUNTARY, "9", ECCP_LAUNCH, note=NOTE_VOLUNTARY),
            FigureSeed(FigureKind.VOLUNTARY, "10", ECCP_FIRST_GENERATION, note=NOTE_VOLUNTARY),
            FigureSeed(FigureKind.LABELLED, "24", ECCP_LAUNCH),
            FigureSeed(FigureKind.LABELLED, "25", ECCP_FIRST_GENERATION, note=NOTE_VOLUNTARY),
            FigureSeed(
                FigureKind.ORGANISATIONS,
                "80",
                PROGRAMME_BRIEF,
                scope="co-funded projects",
                note=NOTE_2014_CLUSTERS,
            ),
            FigureSeed(
                FigureKind.ORGANISATIONS,
                "140",
                ECCP_LAUNCH,
                scope="all labelled partnerships",
                qualifier="about",
                note=NOTE_2014_CLUSTERS,
            ),
            FigureSeed(
                FigureKind.ORGANISATIONS,
                "100",
                ECCP_FEB_2018,
                scope="co-funded and some voluntary",
                qualifier="about",
                note=NOTE_2014_CLUSTERS,
            ),
        ),
    ),
    CallSeed(
        identifier="COS-CLUSINT-2016-03-01",
        title="Clusters Go International",
        programme="COSME work programme 2016",
        budget="5790000",
        # programme.md gives the date only; the time of day is not stated (end of day here).
        deadline=dt.datetime(2017, 5, 23, 23, 59, tzinfo=BRUSSELS),
        description=(
            "Second call: strand 1.a (strategy preparation, all sectors), strand 1.b (strategy "
            "preparation, earth observation) and strand 2 (strategy implementation). The second "
            "generation (23 partnerships) was launched in Brussels on 20-21 Feb 2018."
        ),
        notes=NOTE_2016_BUDGET + " Deadline: date from the sources, time of day not stated.",
        source_urls=(CALL_2017_SUMMARY, ECCP_CALL_NEWS, POLE_SCS_2018),
        strands=(
            StrandSeed(
                "1.a",
                "Strategy preparation (all sectors)",
                PartnershipCategory.STRAND1,
                "200000",
                9,
                CALL_2017_SUMMARY,
                "Places = projects EASME expected to fund.",
            ),
            StrandSeed(
                "1.b",
                "Strategy preparation (earth observation)",
                PartnershipCategory.STRAND1,
                "200000",
                2,
                CALL_2017_SUMMARY,
                "Places = projects EASME expected to fund; strand budget 400,000 EUR.",
            ),
            StrandSeed(
                "2",
                "Strategy implementation",
                PartnershipCategory.STRAND2,
                "448750",
                8,
                CALL_2017_SUMMARY,
                "Places = projects EASME expected to fund.",
            ),
        ),
        reserved=(
            (
                "1.a",
                "Dual-use technologies (defence and security)",
                2,
                PROGRAMME_BRIEF,
                NOTE_DUAL_USE,
            ),
        ),
        figures=(
            FigureSeed(FigureKind.BUDGET, "5790000", CALL_2017_SUMMARY, note=NOTE_2016_BUDGET),
            FigureSeed(FigureKind.BUDGET, "4425000", PROGRAMME_BRIEF, note=NOTE_2016_BUDGET),
            FigureSeed(FigureKind.STRAND_BUDGET, "400000", CALL_2017_SUMMARY, scope="strand 1.b"),
            FigureSeed(
                FigureKind.STRAND_BUDGET, "5390000", CALL_2017_SUMMARY, scope="strands 1.a and 2"
            ),
            FigureSeed(FigureKind.MAX_GRANT, "200000", CALL_2017_SUMMARY, scope="strands 1.a, 1.b"),
            FigureSeed(FigureKind.MAX_GRANT, "448750", CALL_2017_SUMMARY, scope="strand 2"),
            FigureSeed(FigureKind.EXPECTED, "9", CALL_2017_SUMMARY, scope="strand 1.a"),
            FigureSeed(FigureKind.EXPECTED, "2", CALL_2017_SUMMARY, scope="strand 1.b"),
            FigureSeed(FigureKind.EXPECTED, "8", CALL_2017_SUMMARY, scope="strand 2"),
            FigureSeed(
                FigureKind.RESERVED, "2", PROGRAMME_BRIEF, scope="strand 1", note=NOTE_DUAL_USE
            ),
            FigureSeed(FigureKind.LABELLED, "23", POLE_SCS_2018),
        ),
    ),
)


@dataclass(frozen=True, slots=True)
class SeedSummary:
    calls: int
    figures: int
    linked_partnerships: int
    unlinked_calls: list[str]


def _source(source: str) -> tuple[str, str]:
    """(source_url, source_label) for a seed source."""
    if source == PROGRAMME_BRIEF:
        return "", PROGRAMME_BRIEF
    return source, LABELS.get(source, source)


def _outcome(category: str) -> CallOutcome:
    if category in (PartnershipCategory.STRAND1, PartnershipCategory.STRAND2):
        return CallOutcome.CO_FUNDED
    if category == PartnershipCategory.VOLUNTARY:
        return CallOutcome.VOLUNTARY
    return CallOutcome.NOT_STATED


def _strand_for(strands: list[Strand], category: str) -> Strand | None:
    """The call's strand for a partnership category, when exactly one strand has it."""
    matching = [s for s in strands if s.category == category]
    return matching[0] if len(matching) == 1 else None


def _seed_call(spec: CallSeed) -> tuple[Call, int]:
    generation = Generation.objects.filter(call_identifier=spec.identifier).first()
    call, _created = Call.objects.update_or_create(
        identifier=spec.identifier,
        defaults={
            "title": spec.title,
            "programme": spec.programme,
            "budget": Decimal(spec.budget) if spec.budget else None,
            "deadline": spec.deadline,
            "description": spec.description,
            "notes": spec.notes,
            "source_urls": list(spec.source_urls),
            "state": CallState.CLOSED,
            "is_historical": True,
            "generation": generation,
        },
    )
    strands = []
    for s in spec.strands:
        strand, _created = Strand.objects.update_or_create(
            call=call,
            code=s.code,
            defaults={
                "title": s.title,
                "category": s.category,
                "max_grant": Decimal(s.max_grant) if s.max_grant else None,
                "places": s.places,
                "source": LABELS.get(s.source, s.source),
                "notes": s.notes,
            },
        )
        strands.append(strand)
    by_code = {s.code: s for s in strands}
    for strand_code, theme, places, source, note in spec.reserved:
        ReservedPlace.objects.update_or_create(
            strand=by_code[strand_code],
            theme=theme,
            defaults={"places": places, "source": _source(source)[1], "notes": note},
        )
    for f in spec.figures:
        url, label = _source(f.source)
        CallFigure.objects.update_or_create(
            call=call,
            kind=f.kind,
            scope=f.scope,
            source_label=label,
            defaults={
                "value": Decimal(f.value),
                "qualifier": f.qualifier,
                "source_url": url,
                "note": f.note,
            },
        )
    linked = 0
    if generation is not None:
        for partnership in Partnership.objects.filter(generation=generation):
            CallPartnership.objects.update_or_create(
                call=call,
                partnership=partnership,
                defaults={
                    "outcome": _outcome(partnership.category),
                    "strand": _strand_for(strands, partnership.category),
                    "source": (
                        f"registry: generation {generation.code} came from {spec.identifier}; "
                        f"category as recorded ({partnership.category})"
                    ),
                },
            )
            linked += 1
    return call, linked


@transaction.atomic
def calls_seed_shipped() -> SeedSummary:
    """Create or refresh the 2014 and 2016 calls; running it twice changes nothing.

    Partnerships are linked through the registry generation whose ``call_identifier`` names the
    call, so load the registry first (``load_escp4i``) to get the links.
    """
    figures = 0
    linked = 0
    unlinked = []
    for spec in CALLS:
        call, n = _seed_call(spec)
        figures += len(spec.figures)
        linked += n
        if call.generation_id is None:
            unlinked.append(call.identifier)
    return SeedSummary(len(CALLS), figures, linked, unlinked)
