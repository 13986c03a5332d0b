"""Reads of the calls domain: permission-checked fetches of calls, proposals and evaluator
assignments, the automatic eligibility check, the ranking of a call's proposals (adapting ORM rows
to the pure ``calls.ranking`` module), the budget view and the key figures per call.

Public data: calls that are not drafts, their strands, reserved places, criteria and reported
figures, the budget view and the list of co-funded proposals once decided. Everything about
proposals is private to their applicants, programme officers and assigned evaluators.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from escp4i.accounts.models import User
from escp4i.accounts.selectors import user_is_officer
from escp4i.calls import ranking
from escp4i.calls.models import (
    Call,
    CallFigure,
    CallOutcome,
    CallPartnership,
    CallState,
    ConsensusScore,
    Criterion,
    EvaluatorAssignment,
    FigureKind,
    PartnerRole,
    Proposal,
    ProposalPartner,
    ProposalState,
    Strand,
)
from escp4i.core.errors import NotFound, PermissionDenied

Actor = User | AnonymousUser | None


def _user(actor: Actor) -> User | None:
    if isinstance(actor, User) and actor.is_authenticated and actor.is_active:
        return actor
    return None


def is_officer(actor: Actor) -> bool:
    """A programme officer or superuser (the only ones who manage calls and decide)."""
    user = _user(actor)
    return user is not None and user_is_officer(user)


def require_officer(actor: Actor) -> User:
    user = _user(actor)
    if user is None or not is_officer(user):
        raise PermissionDenied(_("Only a programme officer may do this."))
    return user


# --- calls ---------------------------------------------------------------------------------


def call_list(*, actor: Actor) -> QuerySet[Call]:
    """Calls the actor may see: all for officers, published ones (not drafts) for everyone."""
    qs = Call.objects.select_related("generation").prefetch_related("strands")
    if is_officer(actor):
        return qs
    return qs.exclude(state=CallState.DRAFT)


def access_call(*, actor: Actor, call_id: int) -> Call:
    call = (
        call_list(actor=actor)
        .prefetch_related("strands__reserved_places", "criteria", "figures")
        .filter(pk=call_id)
        .first()
    )
    if call is None:
        raise NotFound(_("No such call."), call_id=call_id)
    return call


def call_is_open(*, call: Call, now: dt.datetime | None = None) -> bool:
    """Whether the call takes proposals now: published, opened and the deadline not passed."""
    moment = now or timezone.now()
    if call.state != CallState.OPEN or call.is_historical:
        return False
    if call.opens_at is not None and moment < call.opens_at:
        return False
    return call.deadline is None or moment <= call.deadline


def call_open_list(*, now: dt.datetime | None = None) -> list[Call]:
    calls = Call.objects.filter(state=CallState.OPEN, is_historical=False).prefetch_related(
        "strands__reserved_places"
    )
    return [c for c in calls if call_is_open(call=c, now=now)]


# --- proposals -----------------------------------------------------------------------------


def _proposal_qs() -> QuerySet[Proposal]:
    return Proposal.objects.select_related(
        "call", "strand", "created_by", "partnership"
    ).prefetch_related(
        Prefetch(
            "partners",
            queryset=ProposalPartner.objects.select_related("organisation__country"),
        ),
        "attachments",
    )


def _is_applicant(user: User, proposal: Proposal) -> bool:
    if proposal.created_by_id == user.pk:
        return True
    if user.organisation_id is None:
        return False
    return proposal.partners.filter(organisation_id=user.organisation_id).exists()


def proposal_list_for_applicant(*, actor: Actor) -> QuerySet[Proposal]:
    """Proposals the actor created or whose consortium includes the actor's organisation."""
    user = _user(actor)
    if user is None:
        return Proposal.objects.none()
    flt = Q(created_by=user)
    if user.organisation_id is not None:
        flt |= Q(partners__organisation_id=user.organisation_id)
    return _proposal_qs().filter(flt).distinct().order_by("-created_at")


def call_proposal_list(*, actor: Actor, call: Call) -> QuerySet[Proposal]:
    """Every proposal of the call that has been submitted (officers only)."""
    require_officer(actor)
    return (
        _proposal_qs()
        .filter(call=call)
        .exclude(state=ProposalState.DRAFT)
        .prefetch_related("assignments__evaluator", "consensus")
        .order_by("strand__code", "acronym")
    )


def access_proposal(*, actor: Actor, proposal_id: int) -> Proposal:
    """A proposal visible to its applicants, officers and its assigned evaluators."""
    user = _user(actor)
    proposal = _proposal_qs().filter(pk=proposal_id).first()
    if user is None or proposal is None:
        raise NotFound(_("No such proposal."), proposal_id=proposal_id)
    if is_officer(user):
        return proposal
    if _is_applicant(user, proposal):
        return proposal
    if proposal.assignments.filter(evaluator=user).exists():
        return proposal
    raise NotFound(_("No such proposal."), proposal_id=proposal_id)


def access_proposal_for_applicant(*, actor: Actor, proposal_id: int) -> Proposal:
    """A proposal the actor may edit, submit or attach files to (one of its applicants)."""
    proposal = access_proposal(actor=actor, proposal_id=proposal_id)
    user = _user(actor)
    if user is None:
        raise NotFound(_("No such proposal."), proposal_id=proposal_id)
    if not _is_applicant(user, proposal):
        raise PermissionDenied(_("Only the applicants may change this proposal."))
    return proposal


def proposal_can_edit(*, proposal: Proposal, now: dt.datetime | None = None) -> bool:
    editable = proposal.state in (ProposalState.DRAFT, ProposalState.SUBMITTED)
    return editable and call_is_open(call=proposal.call, now=now)


@dataclass(frozen=True, slots=True)
class EligibilityCheck:
    code: str
    ok: bool
    message: str


@dataclass(frozen=True, slots=True)
class EligibilityReport:
    checks: list[EligibilityCheck]

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)

    @property
    def failures(self) -> list[EligibilityCheck]:
        return [c for c in self.checks if not c.ok]


def proposal_eligibility(*, proposal: Proposal) -> EligibilityReport:
    """The automatic eligibility checks; the officer confirms or overrides them with a note."""
    call = proposal.call
    strand = proposal.strand
    partners = list(proposal.partners.all())
    countries = {p.organisation.country_id for p in partners}
    coordinators = [p for p in partners if p.role == PartnerRole.COORDINATOR]
    themes = set(strand.reserved_places.values_list("theme", flat=True))
    checks = [
        EligibilityCheck(
            "consortium_size",
            len(partners) >= call.min_partners,
            _("At least %(n)s cluster organisations in the consortium (has %(has)s).")
            % {"n": call.min_partners, "has": len(partners)},
        ),
        EligibilityCheck(
            "countries",
            len(countries) >= call.min_countries,
            _("Organisations from at least %(n)s different countries (has %(has)s).")
            % {"n": call.min_countries, "has": len(countries)},
        ),
        EligibilityCheck(
            "coordinator",
            len(coordinators) == 1,
            _("Exactly one coordinating organisation."),
        ),
        EligibilityCheck(
            "max_grant",
            strand.max_grant is None or proposal.requested_grant <= strand.max_grant,
            _("Requested grant within the strand maximum (%(max)s EUR).")
            % {"max": strand.max_grant if strand.max_grant is not None else "-"},
        ),
        EligibilityCheck(
            "theme",
            not proposal.theme or proposal.theme in themes,
            _("The theme, if any, is one of the strand's reserved-place themes."),
        ),
        EligibilityCheck(
            "in_time",
            proposal.submitted_at is not None
            and (call.deadline is None or proposal.submitted_at <= call.deadline),
            _("Submitted before the deadline."),
        ),
    ]
    return EligibilityReport(checks)


# --- evaluators ----------------------------------------------------------------------------


def evaluator_assignment_list(*, actor: Actor) -> QuerySet[EvaluatorAssignment]:
    """The actor's own evaluation assignments (the evaluator capability)."""
    user = _user(actor)
    if user is None:
        return EvaluatorAssignment.objects.none()
    return (
        EvaluatorAssignment.objects.filter(evaluator=user)
        .select_related("proposal__call", "proposal__strand")
        .order_by("-created_at")
    )


def access_assignment(*, actor: Actor, assignment_id: int) -> EvaluatorAssignment:
    """An assignment, for its evaluator only."""
    user = _user(actor)
    assignment = (
        EvaluatorAssignment.objects.select_related(
            "proposal__call", "proposal__strand", "evaluator"
        )
        .prefetch_related("scores")
        .filter(pk=assignment_id)
        .first()
    )
    if user is None or assignment is None:
        raise NotFound(_("No such assignment."), assignment_id=assignment_id)
    if assignment.evaluator_id != user.pk:
        raise NotFound(_("No such assignment."), assignment_id=assignment_id)
    return assignment


def user_is_evaluator(*, user: Actor, call: Call | None = None) -> bool:
    """Whether the user holds any evaluator assignment (in ``call``, if given)."""
    u = _user(user)
    if u is None:
        return False
    qs = EvaluatorAssignment.objects.filter(evaluator=u)
    if call is not None:
        qs = qs.filter(proposal__call=call)
    return qs.exists()


# --- ranking -------------------------------------------------------------------------------

RANKED_STATES = (
    ProposalState.SUBMITTED,
    ProposalState.ELIGIBLE,
    ProposalState.INELIGIBLE,
    ProposalState.CO_FUNDED,
    ProposalState.RESERVE,
    ProposalState.REJECTED,
)


def call_ranking_spec(*, call: Call) -> ranking.CallSpec:
    strands = list(call.strands.prefetch_related("reserved_places"))
    return ranking.CallSpec(
        budget=call.budget if call.budget is not None else Decimal(0),
        strands=tuple(
            ranking.Strand(s.code, s.places if s.places is not None else 0, s.max_grant)
            for s in strands
        ),
        criteria=tuple(
            ranking.Criterion(c.code, c.weight, c.threshold)
            for c in Criterion.objects.filter(call=call)
        ),
        reserved=tuple(
            ranking.ReservedPlaces(s.code, r.theme, r.places)
            for s in strands
            for r in s.reserved_places.all()
        ),
        overall_threshold=call.overall_threshold,
    )


def _eligible_for_ranking(proposal: Proposal) -> bool:
    # A proposal the officer rejected by hand is out of the competition, like an ineligible one.
    return proposal.state in (
        ProposalState.ELIGIBLE,
        ProposalState.CO_FUNDED,
        ProposalState.RESERVE,
    )


@dataclass(frozen=True, slots=True)
class RankingRow:
    proposal: Proposal
    result: ranking.RankedProposal


@dataclass(frozen=True, slots=True)
class StrandRanking:
    strand: Strand
    rows: list[RankingRow]


@dataclass(frozen=True, slots=True)
class CallRanking:
    call: Call
    ranking: ranking.Ranking
    strands: list[StrandRanking]


def call_ranking(*, actor: Actor, call: Call) -> CallRanking:
    """The ranking per strand (officers only); proposals pending eligibility rank as ineligible."""
    require_officer(actor)
    proposals = list(
        Proposal.objects.filter(call=call, state__in=RANKED_STATES)
        .select_related("strand")
        .prefetch_related(
            Prefetch("consensus", queryset=ConsensusScore.objects.select_related("criterion"))
        )
    )
    specs = [
        ranking.ProposalSpec(
            key=p.pk,
            strand=p.strand.code,
            requested=p.requested_grant,
            scores={c.criterion.code: c.score for c in p.consensus.all()},
            theme=p.theme,
            eligible=_eligible_for_ranking(p),
        )
        for p in proposals
    ]
    result = ranking.rank(call_ranking_spec(call=call), specs)
    by_pk = {p.pk: p for p in proposals}
    strands = [
        StrandRanking(
            strand=s,
            rows=[RankingRow(by_pk[r.key], r) for r in result.for_strand(s.code)],
        )
        for s in call.strands.all()
    ]
    return CallRanking(call, result, strands)


# --- budget and figures --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StrandBudget:
    code: str
    title: str
    places: int | None
    reserved: list[tuple[str, int]]
    funded: int
    committed: Decimal
    max_grant: Decimal | None


@dataclass(frozen=True, slots=True)
class BudgetView:
    budget: Decimal | None
    committed: Decimal
    available: Decimal | None
    strands: list[StrandBudget]


def call_budget(*, call: Call) -> BudgetView:
    """Committed (awarded grants of co-funded proposals) against the call budget, per strand."""
    rows = dict(
        Proposal.objects.filter(call=call, state=ProposalState.CO_FUNDED)
        .values_list("strand_id")
        .annotate(total=Sum("awarded_grant"))
        .values_list("strand_id", "total")
    )
    counts = Counter(
        Proposal.objects.filter(call=call, state=ProposalState.CO_FUNDED).values_list(
            "strand_id", flat=True
        )
    )
    strands = [
        StrandBudget(
            code=s.code,
            title=s.title,
            places=s.places,
            reserved=[(r.theme, r.places) for r in s.reserved_places.all()],
            funded=counts.get(s.pk, 0),
            committed=rows.get(s.pk) or Decimal(0),
            max_grant=s.max_grant,
        )
        for s in call.strands.prefetch_related("reserved_places")
    ]
    committed = sum((s.committed for s in strands), Decimal(0))
    available = call.budget - committed if call.budget is not None else None
    return BudgetView(call.budget, committed, available, strands)


def co_funded_proposal_list(*, call: Call) -> QuerySet[Proposal]:
    """Public once decided: the co-funded proposals of a call."""
    return (
        Proposal.objects.filter(call=call, state=ProposalState.CO_FUNDED)
        .select_related("strand", "partnership")
        .order_by("strand__code", "acronym")
    )


@dataclass(frozen=True, slots=True)
class ReportedCallFigure:
    kind: str
    label: str
    scope: str
    value: Decimal
    qualifier: str
    source_url: str
    source_label: str
    from_programme_brief: bool
    note: str


@dataclass(frozen=True, slots=True)
class StrandCount:
    strand: str
    outcome: str
    label: str
    partnerships: int


@dataclass(frozen=True, slots=True)
class CallFigures:
    call_id: int
    identifier: str
    title: str
    generation: str | None
    budget: Decimal | None
    committed: Decimal
    partnerships: int
    by_strand: list[StrandCount]
    reported: list[ReportedCallFigure]


def _reported(figure: CallFigure) -> ReportedCallFigure:
    return ReportedCallFigure(
        kind=figure.kind,
        label=str(FigureKind(figure.kind).label),
        scope=figure.scope,
        value=figure.value,
        qualifier=figure.qualifier,
        source_url=figure.source_url,
        source_label=figure.source_label,
        from_programme_brief=figure.from_programme_brief,
        note=figure.note,
    )


def call_figures() -> list[CallFigures]:
    """Key figures per (non-draft) call: partnerships by outcome and strand, budget, committed
    grants and every reported figure with its source. Ordered by identifier."""
    calls = list(
        Call.objects.exclude(state=CallState.DRAFT)
        .select_related("generation")
        .prefetch_related("figures")
        .order_by("identifier")
    )
    links = (
        CallPartnership.objects.filter(call__in=calls)
        .values_list("call_id", "outcome", "strand__code")
        .order_by()
    )
    counter: Counter[tuple[int, str, str]] = Counter(
        (call_id, outcome, code or "") for call_id, outcome, code in links
    )
    committed = dict(
        Proposal.objects.filter(call__in=calls, state=ProposalState.CO_FUNDED)
        .values_list("call_id")
        .annotate(total=Sum("awarded_grant"))
        .values_list("call_id", "total")
    )
    result = []
    for call in calls:
        by_strand = [
            StrandCount(
                strand=code,
                outcome=outcome,
                label=str(CallOutcome(outcome).label),
                partnerships=n,
            )
            for (call_id, outcome, code), n in sorted(counter.items())
            if call_id == call.pk
        ]
        result.append(
            CallFigures(
                call_id=call.pk,
                identifier=call.identifier,
                title=call.title,
                generation=call.generation.code if call.generation else None,
                budget=call.budget,
                committed=committed.get(call.pk) or Decimal(0),
                partnerships=sum(s.partnerships for s in by_strand),
                by_strand=by_strand,
                reported=[_reported(f) for f in call.figures.all()],
            )
        )
    return result


def call_reported_figures(*, call: Call) -> list[ReportedCallFigure]:
    return [_reported(f) for f in call.figures.all()]


def call_partnership_list(*, call: Call) -> QuerySet[CallPartnership]:
    return CallPartnership.objects.filter(call=call).select_related("partnership", "strand")
