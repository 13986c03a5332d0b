"""Calls endpoints: public reads (calls, strands, reserved places, criteria, reported figures,
budget, key figures per call) and token-authenticated writes (officers: set-up, eligibility,
evaluators, consensus, ranking and decisions; applicants: proposals; evaluators: declarations
and scores). Mounted by the lead at ``/calls``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import ConfigDict

from escp4i.accounts.models import User
from escp4i.api.auth import actor, token_auth
from escp4i.api.schemas import WRITE_ERRORS, ErrorOut
from escp4i.calls import selectors, services
from escp4i.calls.models import (
    Call,
    EvaluatorAssignment,
    Proposal,
    ProposalAttachment,
    Strand,
)
from escp4i.core.errors import NotFound

router = Router(tags=["calls"])

# --- schemas -------------------------------------------------------------------------------


class ReservedOut(Schema):
    theme: str
    places: int
    source: str
    notes: str


class StrandOut(Schema):
    code: str
    title: str
    category: str
    max_grant: Decimal | None
    duration_months: int | None
    places: int | None
    source: str
    notes: str
    reserved_places: list[ReservedOut]

    @staticmethod
    def resolve_reserved_places(obj: Strand) -> list[Any]:
        return list(obj.reserved_places.all())


class CriterionOut(Schema):
    id: int
    code: str
    title: str
    weight: Decimal
    max_score: Decimal
    threshold: Decimal


class ReportedFigureOut(Schema):
    kind: str
    label: str
    scope: str
    value: Decimal
    qualifier: str
    source_url: str
    source_label: str
    from_programme_brief: bool
    note: str


class CallOut(Schema):
    id: int
    identifier: str
    title: str
    programme: str
    state: str
    is_historical: bool
    budget: Decimal | None
    opens_at: dt.datetime | None
    deadline: dt.datetime | None
    generation: str | None = Field(None, description="Code of the generation it produced")

    @staticmethod
    def resolve_generation(obj: Call) -> str | None:
        return obj.generation.code if obj.generation else None


class StrandBudgetOut(Schema):
    code: str
    title: str
    places: int | None
    reserved: list[tuple[str, int]]
    funded: int
    committed: Decimal
    max_grant: Decimal | None


class BudgetOut(Schema):
    budget: Decimal | None
    committed: Decimal
    available: Decimal | None
    strands: list[StrandBudgetOut]


class CallDetailOut(CallOut):
    description: str
    overall_threshold: Decimal
    min_partners: int
    min_countries: int
    notes: str
    source_urls: list[str]
    strands: list[StrandOut]
    criteria: list[CriterionOut]
    figures: list[ReportedFigureOut]

    @staticmethod
    def resolve_strands(obj: Call) -> list[Any]:
        return list(obj.strands.all())

    @staticmethod
    def resolve_criteria(obj: Call) -> list[Any]:
        return list(obj.criteria.all())

    @staticmethod
    def resolve_figures(obj: Call) -> list[Any]:
        return selectors.call_reported_figures(call=obj)


class StrandCountOut(Schema):
    strand: str
    outcome: str
    label: str
    partnerships: int


class CallFiguresOut(Schema):
    call_id: int
    identifier: str
    title: str
    generation: str | None
    budget: Decimal | None
    committed: Decimal
    partnerships: int
    by_strand: list[StrandCountOut]
    reported: list[ReportedFigureOut]


class CallIn(Schema):
    model_config = ConfigDict(extra="forbid")

    identifier: str = Field(..., max_length=64)
    title: str = Field(..., max_length=255)
    budget: Decimal | None = Field(None, ge=0)
    opens_at: dt.datetime | None = None
    deadline: dt.datetime | None = None
    programme: str = Field("", max_length=120)
    description: str = ""
    overall_threshold: Decimal = Field(Decimal(0), ge=0)
    min_partners: int = Field(3, ge=1)
    min_countries: int = Field(3, ge=1)


class StrandIn(Schema):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(..., max_length=16)
    title: str = Field(..., max_length=255)
    places: int = Field(..., ge=0)
    max_grant: Decimal | None = Field(None, gt=0)
    duration_months: int | None = Field(None, ge=1)
    category: Literal["strand1", "strand2"] = "strand1"


class ReservedIn(Schema):
    model_config = ConfigDict(extra="forbid")

    theme: str = Field(..., max_length=120)
    places: int = Field(..., ge=1)


class CriterionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(..., max_length=32, pattern=r"^[-a-zA-Z0-9_]+$")
    title: str = Field(..., max_length=255)
    weight: Decimal = Field(Decimal(1), gt=0)
    max_score: Decimal = Field(Decimal(5), gt=0)
    threshold: Decimal = Field(Decimal(0), ge=0)
    position: int = Field(0, ge=0)


class PartnerOut(Schema):
    organisation: str
    name: str
    country: str
    role: str


class AttachmentOut(Schema):
    id: int
    title: str
    url: str = Field(..., description="Web download link (login and access needed)")


class CheckOut(Schema):
    code: str
    ok: bool
    message: str


class ProposalOut(Schema):
    id: int
    call: str
    strand: str
    acronym: str
    title: str
    theme: str
    requested_grant: Decimal
    summary: str
    description: str
    state: str
    submitted_at: dt.datetime | None
    consensus_total: Decimal | None
    awarded_grant: Decimal | None
    partnership: str | None
    partners: list[PartnerOut]
    attachments: list[AttachmentOut]
    eligibility: list[CheckOut]

    @staticmethod
    def resolve_call(obj: Proposal) -> str:
        return obj.call.identifier

    @staticmethod
    def resolve_strand(obj: Proposal) -> str:
        return obj.strand.code

    @staticmethod
    def resolve_partnership(obj: Proposal) -> str | None:
        return obj.partnership.slug if obj.partnership else None

    @staticmethod
    def resolve_partners(obj: Proposal) -> list[dict[str, str]]:
        return [
            {
                "organisation": p.organisation.slug,
                "name": p.organisation.name,
                "country": p.organisation.country_id,
                "role": p.role,
            }
            for p in obj.partners.all()
        ]

    @staticmethod
    def resolve_attachments(obj: Proposal) -> list[dict[str, object]]:
        return [_attachment(a) for a in obj.attachments.all()]

    @staticmethod
    def resolve_eligibility(obj: Proposal) -> list[Any]:
        return selectors.proposal_eligibility(proposal=obj).checks


class ProposalIn(Schema):
    model_config = ConfigDict(extra="forbid")

    strand: str = Field(..., description="Strand code")
    acronym: str = Field(..., max_length=64)
    title: str = Field(..., max_length=300)
    requested_grant: Decimal = Field(..., gt=0)
    partner_ids: list[int] = Field(
        default_factory=list, description="Other consortium organisations (ids)"
    )
    theme: str = Field("", max_length=120)
    summary: str = ""
    description: str = ""


class ProposalUpdateIn(Schema):
    model_config = ConfigDict(extra="forbid")

    strand: str
    title: str = Field(..., max_length=300)
    requested_grant: Decimal = Field(..., gt=0)
    partner_ids: list[int] = Field(default_factory=list)
    theme: str = Field("", max_length=120)
    summary: str = ""
    description: str = ""


class EligibilityIn(Schema):
    eligible: bool
    note: str = ""


class AssignIn(Schema):
    evaluator_id: int


class AssignmentOut(Schema):
    id: int
    proposal_id: int
    proposal: str
    call: str
    has_conflict: bool | None
    submitted_at: dt.datetime | None

    @staticmethod
    def resolve_proposal(obj: EvaluatorAssignment) -> str:
        return obj.proposal.acronym

    @staticmethod
    def resolve_call(obj: EvaluatorAssignment) -> str:
        return obj.proposal.call.identifier


class CoiIn(Schema):
    has_conflict: bool
    note: str = ""


class ScoreIn(Schema):
    criterion_id: int
    score: Decimal = Field(..., ge=0)
    comment: str = ""


class ScoresIn(Schema):
    scores: list[ScoreIn]

    def as_mapping(self) -> dict[int, tuple[Decimal, str]]:
        return {s.criterion_id: (s.score, s.comment) for s in self.scores}


class DecisionIn(Schema):
    decision: Literal["co_funded", "reserve", "rejected"]
    note: str = ""


class RankingRowOut(Schema):
    proposal_id: int
    acronym: str
    theme: str
    rank: int | None
    total: Decimal | None
    requested_grant: Decimal
    outcome: str
    reason: str
    reserved_theme: str
    state: str


class StrandRankingOut(Schema):
    strand: str
    places: int | None
    rows: list[RankingRowOut]


class RankingOut(Schema):
    budget: Decimal
    committed: Decimal
    available: Decimal
    strands: list[StrandRankingOut]


class DecidedOut(Schema):
    decided: int


# --- helpers -------------------------------------------------------------------------------


def _attachment(attachment: ProposalAttachment) -> dict[str, object]:
    url = reverse(
        "calls:proposal-attachment-download", args=[attachment.proposal_id, attachment.pk]
    )
    return {"id": attachment.pk, "title": attachment.title, "url": url}


def _strand(call: Call, code: str) -> Strand:
    strand = call.strands.filter(code=code).first()
    if strand is None:
        raise NotFound("No such strand in this call.", strand=code)
    return strand


def _call_for(user: User, call_id: int) -> Call:
    return selectors.access_call(actor=user, call_id=call_id)


def _proposal(user: User, proposal_id: int) -> Proposal:
    return selectors.access_proposal(actor=user, proposal_id=proposal_id)


# --- public reads --------------------------------------------------------------------------


@router.get("", response=list[CallOut])
def call_list(request: HttpRequest) -> Any:
    return list(selectors.call_list(actor=request.user))


@router.get("/figures", response=list[CallFiguresOut])
def call_figures(request: HttpRequest) -> Any:
    """Key figures per call: partnerships by outcome and strand, budget, committed grants."""
    return selectors.call_figures()


@router.get("/{int:call_id}", response={200: CallDetailOut, 404: ErrorOut})
def call_detail(request: HttpRequest, call_id: int) -> Any:
    return selectors.access_call(actor=request.user, call_id=call_id)


@router.get("/{int:call_id}/budget", response={200: BudgetOut, 404: ErrorOut})
def call_budget(request: HttpRequest, call_id: int) -> Any:
    call = selectors.access_call(actor=request.user, call_id=call_id)
    return selectors.call_budget(call=call)


# --- officers: set-up ----------------------------------------------------------------------


@router.post("", auth=token_auth, response={201: CallDetailOut, **WRITE_ERRORS})
def call_create(request: HttpRequest, payload: CallIn) -> Any:
    user = actor(request)
    call = services.call_create(actor=user, **payload.model_dump())
    return Status(201, _call_for(user, call.pk))


@router.post("/{int:call_id}/strands", auth=token_auth, response={201: StrandOut, **WRITE_ERRORS})
def strand_add(request: HttpRequest, call_id: int, payload: StrandIn) -> Any:
    user = actor(request)
    call = _call_for(user, call_id)
    return Status(201, services.strand_add(actor=user, call=call, **payload.model_dump()))


@router.post(
    "/{int:call_id}/strands/{code}/reserved",
    auth=token_auth,
    response={201: ReservedOut, **WRITE_ERRORS},
)
def reserved_place_add(request: HttpRequest, call_id: int, code: str, payload: ReservedIn) -> Any:
    user = actor(request)
    strand = _strand(_call_for(user, call_id), code)
    return Status(
        201,
        services.reserved_place_add(
            actor=user, strand=strand, theme=payload.theme, places=payload.places
        ),
    )


@router.post(
    "/{int:call_id}/criteria", auth=token_auth, response={201: CriterionOut, **WRITE_ERRORS}
)
def criterion_add(request: HttpRequest, call_id: int, payload: CriterionIn) -> Any:
    user = actor(request)
    call = _call_for(user, call_id)
    return Status(201, services.criterion_add(actor=user, call=call, **payload.model_dump()))


@router.post(
    "/{int:call_id}/publish", auth=token_auth, response={200: CallDetailOut, **WRITE_ERRORS}
)
def call_publish(request: HttpRequest, call_id: int) -> Any:
    user = actor(request)
    services.call_publish(actor=user, call=_call_for(user, call_id))
    return _call_for(user, call_id)


@router.post("/{int:call_id}/evaluation", auth=token_auth, response={200: CallOut, **WRITE_ERRORS})
def call_evaluation_start(request: HttpRequest, call_id: int) -> Any:
    user = actor(request)
    return services.call_evaluation_start(actor=user, call=_call_for(user, call_id))


@router.get("/{int:call_id}/ranking", auth=token_auth, response={200: RankingOut, **WRITE_ERRORS})
def call_ranking(request: HttpRequest, call_id: int) -> Any:
    """The ranking per strand (officers). Rule: docs/calls.md."""
    user = actor(request)
    result = selectors.call_ranking(actor=user, call=_call_for(user, call_id))
    return {
        "budget": result.ranking.budget,
        "committed": result.ranking.committed,
        "available": result.ranking.available,
        "strands": [
            {
                "strand": s.strand.code,
                "places": s.strand.places,
                "rows": [
                    {
                        "proposal_id": r.proposal.pk,
                        "acronym": r.proposal.acronym,
                        "theme": r.proposal.theme,
                        "rank": r.result.rank,
                        "total": r.result.total,
                        "requested_grant": r.proposal.requested_grant,
                        "outcome": r.result.outcome.value,
                        "reason": r.result.reason.value,
                        "reserved_theme": r.result.reserved_theme,
                        "state": r.proposal.state,
                    }
                    for r in s.rows
                ],
            }
            for s in result.strands
        ],
    }


@router.post(
    "/{int:call_id}/ranking/apply", auth=token_auth, response={200: DecidedOut, **WRITE_ERRORS}
)
def call_ranking_apply(request: HttpRequest, call_id: int) -> Any:
    user = actor(request)
    return {"decided": services.call_ranking_apply(actor=user, call=_call_for(user, call_id))}


@router.post("/{int:call_id}/close", auth=token_auth, response={200: CallOut, **WRITE_ERRORS})
def call_close(request: HttpRequest, call_id: int) -> Any:
    user = actor(request)
    return services.call_close(actor=user, call=_call_for(user, call_id))


# --- applicants ----------------------------------------------------------------------------


@router.post(
    "/{int:call_id}/proposals", auth=token_auth, response={201: ProposalOut, **WRITE_ERRORS}
)
def proposal_create(request: HttpRequest, call_id: int, payload: ProposalIn) -> Any:
    """Start a draft proposal; the token user's organisation coordinates the consortium."""
    user = actor(request)
    call = _call_for(user, call_id)
    data = payload.model_dump()
    strand = _strand(call, data.pop("strand"))
    proposal = services.proposal_create(actor=user, call=call, strand=strand, **data)
    return Status(201, _proposal(user, proposal.pk))


@router.get("/proposals/mine", auth=token_auth, response=list[ProposalOut])
def proposal_mine(request: HttpRequest) -> Any:
    return list(selectors.proposal_list_for_applicant(actor=actor(request)))


@router.get(
    "/proposals/{int:proposal_id}", auth=token_auth, response={200: ProposalOut, 404: ErrorOut}
)
def proposal_detail(request: HttpRequest, proposal_id: int) -> Any:
    return _proposal(actor(request), proposal_id)


@router.put(
    "/proposals/{int:proposal_id}", auth=token_auth, response={200: ProposalOut, **WRITE_ERRORS}
)
def proposal_update(request: HttpRequest, proposal_id: int, payload: ProposalUpdateIn) -> Any:
    user = actor(request)
    proposal = selectors.access_proposal_for_applicant(actor=user, proposal_id=proposal_id)
    data = payload.model_dump()
    strand = _strand(proposal.call, data.pop("strand"))
    services.proposal_update(actor=user, proposal=proposal, strand=strand, **data)
    return _proposal(user, proposal_id)


@router.post(
    "/proposals/{int:proposal_id}/submit",
    auth=token_auth,
    response={200: ProposalOut, **WRITE_ERRORS},
)
def proposal_submit(request: HttpRequest, proposal_id: int) -> Any:
    user = actor(request)
    proposal = selectors.access_proposal_for_applicant(actor=user, proposal_id=proposal_id)
    services.proposal_submit(actor=user, proposal=proposal)
    return _proposal(user, proposal_id)


@router.post(
    "/proposals/{int:proposal_id}/attachments",
    auth=token_auth,
    response={201: AttachmentOut, **WRITE_ERRORS},
)
def proposal_attachment_add(
    request: HttpRequest,
    proposal_id: int,
    title: Form[str],
    file: File[UploadedFile],
) -> Any:
    """Attach a PDF, DOCX or ODT file of at most 10 MB (multipart form: title, file)."""
    user = actor(request)
    proposal = selectors.access_proposal_for_applicant(actor=user, proposal_id=proposal_id)
    attachment = services.proposal_attachment_add(
        actor=user, proposal=proposal, title=title, file=file
    )
    return Status(201, _attachment(attachment))


@router.post(
    "/proposals/{int:proposal_id}/accept-invitation",
    auth=token_auth,
    response={200: ProposalOut, **WRITE_ERRORS},
)
def proposal_invitation_accept(request: HttpRequest, proposal_id: int) -> Any:
    user = actor(request)
    proposal = selectors.access_proposal_for_applicant(actor=user, proposal_id=proposal_id)
    services.proposal_invitation_accept(actor=user, proposal=proposal)
    return _proposal(user, proposal_id)


# --- officers: evaluation and decisions ----------------------------------------------------


@router.post(
    "/proposals/{int:proposal_id}/eligibility",
    auth=token_auth,
    response={200: ProposalOut, **WRITE_ERRORS},
)
def proposal_eligibility(request: HttpRequest, proposal_id: int, payload: EligibilityIn) -> Any:
    user = actor(request)
    services.proposal_eligibility_decide(
        actor=user,
        proposal=_proposal(user, proposal_id),
        eligible=payload.eligible,
        note=payload.note,
    )
    return _proposal(user, proposal_id)


@router.post(
    "/proposals/{int:proposal_id}/evaluators",
    auth=token_auth,
    response={201: AssignmentOut, **WRITE_ERRORS},
)
def evaluator_assign(request: HttpRequest, proposal_id: int, payload: AssignIn) -> Any:
    user = actor(request)
    proposal = _proposal(user, proposal_id)
    selectors.require_officer(user)
    evaluator = get_object_or_404(User, pk=payload.evaluator_id, is_active=True)
    return Status(
        201, services.evaluator_assign(actor=user, proposal=proposal, evaluator=evaluator)
    )


@router.post(
    "/proposals/{int:proposal_id}/consensus",
    auth=token_auth,
    response={200: ProposalOut, **WRITE_ERRORS},
)
def proposal_consensus(request: HttpRequest, proposal_id: int, payload: ScoresIn) -> Any:
    user = actor(request)
    services.proposal_consensus_set(
        actor=user, proposal=_proposal(user, proposal_id), scores=payload.as_mapping()
    )
    return _proposal(user, proposal_id)


@router.post(
    "/proposals/{int:proposal_id}/decision",
    auth=token_auth,
    response={200: ProposalOut, **WRITE_ERRORS},
)
def proposal_decide(request: HttpRequest, proposal_id: int, payload: DecisionIn) -> Any:
    user = actor(request)
    services.proposal_decide(
        actor=user,
        proposal=_proposal(user, proposal_id),
        decision=payload.decision,
        note=payload.note,
    )
    return _proposal(user, proposal_id)


# --- evaluators ----------------------------------------------------------------------------


@router.get("/assignments", auth=token_auth, response=list[AssignmentOut])
def assignment_list(request: HttpRequest) -> Any:
    return list(selectors.evaluator_assignment_list(actor=actor(request)))


@router.post(
    "/assignments/{int:assignment_id}/coi",
    auth=token_auth,
    response={200: AssignmentOut, **WRITE_ERRORS},
)
def evaluator_coi_declare(request: HttpRequest, assignment_id: int, payload: CoiIn) -> Any:
    user = actor(request)
    assignment = selectors.access_assignment(actor=user, assignment_id=assignment_id)
    return services.evaluator_coi_declare(
        actor=user, assignment=assignment, has_conflict=payload.has_conflict, note=payload.note
    )


@router.post(
    "/assignments/{int:assignment_id}/scores",
    auth=token_auth,
    response={200: AssignmentOut, **WRITE_ERRORS},
)
def evaluation_scores_submit(request: HttpRequest, assignment_id: int, payload: ScoresIn) -> Any:
    user = actor(request)
    assignment = selectors.access_assignment(actor=user, assignment_id=assignment_id)
    return services.evaluation_scores_submit(
        actor=user, assignment=assignment, scores=payload.as_mapping()
    )
