"""Eligibility, evaluator assignment, conflict-of-interest declarations, scores and
consensus scores.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from escp4i.accounts.models import User
from escp4i.calls.models import (
    Call,
    ConsensusScore,
    Criterion,
    EvaluatorAssignment,
    Proposal,
    ProposalState,
    Score,
)
from escp4i.calls.selectors import (
    proposal_eligibility,
    require_officer,
)
from escp4i.calls.services._common import (
    ScoreInput,
    audit,
    current_time,
    ensure_evaluation,
)
from escp4i.core.errors import Conflict, DomainError, InvalidTransition, PermissionDenied


@transaction.atomic
def proposal_eligibility_decide(
    *, actor: User, proposal: Proposal, eligible: bool, note: str = ""
) -> Proposal:
    """Confirm the eligibility check. Declaring eligible a proposal that fails an automatic
    check needs a note that justifies the override."""
    require_officer(actor)
    ensure_evaluation(proposal.call)
    allowed = (ProposalState.SUBMITTED, ProposalState.ELIGIBLE, ProposalState.INELIGIBLE)
    if proposal.state not in allowed:
        raise InvalidTransition(_("Eligibility is already settled."), state=proposal.state)
    report = proposal_eligibility(proposal=proposal)
    if eligible and not report.ok and not note.strip():
        raise DomainError(
            _("The proposal fails automatic checks; give a note to override them."),
            failures=[c.code for c in report.failures],
        )
    proposal.state = ProposalState.ELIGIBLE if eligible else ProposalState.INELIGIBLE
    proposal.eligibility_note = note
    proposal.save(update_fields=["state", "eligibility_note", "updated_at"])
    audit(
        actor=actor,
        action="proposal.eligibility",
        target=proposal,
        data={"eligible": eligible, "failures": [c.code for c in report.failures]},
    )
    return proposal


@transaction.atomic
def evaluator_assign(*, actor: User, proposal: Proposal, evaluator: User) -> EvaluatorAssignment:
    """Assign an evaluator to an eligible proposal; applicants of the proposal are refused."""
    require_officer(actor)
    ensure_evaluation(proposal.call)
    if proposal.state != ProposalState.ELIGIBLE:
        raise InvalidTransition(_("Only eligible proposals are evaluated."), state=proposal.state)
    in_consortium = (
        evaluator.organisation_id is not None
        and proposal.partners.filter(organisation_id=evaluator.organisation_id).exists()
    )
    if evaluator.pk == proposal.created_by_id or in_consortium:
        raise Conflict(_("This person belongs to the applicant consortium."))
    if EvaluatorAssignment.objects.filter(proposal=proposal, evaluator=evaluator).exists():
        raise Conflict(_("This evaluator is already assigned."))
    assignment = EvaluatorAssignment.objects.create(
        proposal=proposal, evaluator=evaluator, assigned_by=actor
    )
    audit(
        actor=actor,
        action="proposal.evaluator_assign",
        target=proposal,
        data={"evaluator": evaluator.pk},
    )
    return assignment


def _ensure_own(actor: User, assignment: EvaluatorAssignment) -> None:
    if assignment.evaluator_id != actor.pk:
        raise PermissionDenied(_("This is not your assignment."))


@transaction.atomic
def evaluator_coi_declare(
    *,
    actor: User,
    assignment: EvaluatorAssignment,
    has_conflict: bool,
    note: str = "",
    now: dt.datetime | None = None,
) -> EvaluatorAssignment:
    """Declare (once) whether the evaluator has a conflict of interest with the proposal."""
    _ensure_own(actor, assignment)
    if assignment.has_conflict is not None:
        raise Conflict(_("The declaration has already been made."))
    assignment.has_conflict = has_conflict
    assignment.coi_note = note
    assignment.coi_declared_at = current_time(now)
    assignment.save(update_fields=["has_conflict", "coi_note", "coi_declared_at", "updated_at"])
    audit(
        actor=actor,
        action="evaluation.coi_declare",
        target=assignment.proposal,
        data={"has_conflict": has_conflict},
    )
    return assignment


def _validated_scores(call: Call, scores: ScoreInput) -> list[tuple[Criterion, Decimal, str]]:
    criteria = list(call.criteria.all())
    if {c.pk for c in criteria} != set(scores):
        raise DomainError(_("Give a score for every criterion of the call."))
    result = []
    for criterion in criteria:
        value, comment = scores[criterion.pk]
        if value < 0 or value > criterion.max_score:
            raise DomainError(
                _("%(criterion)s: the score must be between 0 and %(max)s.")
                % {"criterion": criterion.title, "max": criterion.max_score}
            )
        result.append((criterion, value, comment))
    return result


@transaction.atomic
def evaluation_scores_submit(
    *,
    actor: User,
    assignment: EvaluatorAssignment,
    scores: ScoreInput,
    now: dt.datetime | None = None,
) -> EvaluatorAssignment:
    """Score every criterion with a comment; allowed after declaring no conflict of interest.
    Re-submitting replaces the scores until the consensus is set."""
    _ensure_own(actor, assignment)
    proposal = assignment.proposal
    ensure_evaluation(proposal.call)
    if assignment.has_conflict is None:
        raise Conflict(_("Declare any conflict of interest before scoring."))
    if assignment.has_conflict:
        raise PermissionDenied(_("You declared a conflict of interest with this proposal."))
    if proposal.state != ProposalState.ELIGIBLE or proposal.consensus_total is not None:
        raise InvalidTransition(_("The evaluation of this proposal is closed."))
    for criterion, value, comment in _validated_scores(proposal.call, scores):
        Score.objects.update_or_create(
            assignment=assignment,
            criterion=criterion,
            defaults={"score": value, "comment": comment},
        )
    assignment.submitted_at = current_time(now)
    assignment.save(update_fields=["submitted_at", "updated_at"])
    audit(actor=actor, action="evaluation.scores_submit", target=proposal, data={})
    return assignment


@transaction.atomic
def proposal_consensus_set(*, actor: User, proposal: Proposal, scores: ScoreInput) -> Proposal:
    """Record the consensus score per criterion (after at least one evaluation) and the total."""
    require_officer(actor)
    ensure_evaluation(proposal.call)
    if proposal.state != ProposalState.ELIGIBLE:
        raise InvalidTransition(_("Only eligible, undecided proposals are scored."))
    done = proposal.assignments.filter(has_conflict=False, submitted_at__isnull=False)
    if not done.exists():
        raise Conflict(_("No evaluator has submitted scores yet."))
    total = Decimal(0)
    for criterion, value, comment in _validated_scores(proposal.call, scores):
        ConsensusScore.objects.update_or_create(
            proposal=proposal,
            criterion=criterion,
            defaults={"score": value, "comment": comment, "set_by": actor},
        )
        total += criterion.weight * value
    proposal.consensus_total = total
    proposal.save(update_fields=["consensus_total", "updated_at"])
    audit(actor=actor, action="proposal.consensus_set", target=proposal, data={"total": str(total)})
    return proposal
