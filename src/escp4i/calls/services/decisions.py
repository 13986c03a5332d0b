"""Ranking applied, decisions (co-funded, reserve list, rejected) and the voluntary-label
invitation.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils.text import slugify
from django.utils.translation import gettext as _

from escp4i.accounts.models import User
from escp4i.calls import ranking
from escp4i.calls.models import (
    Call,
    CallOutcome,
    CallPartnership,
    PartnerRole,
    Proposal,
    ProposalState,
)
from escp4i.calls.selectors import (
    call_ranking,
    is_officer,
    require_officer,
)
from escp4i.calls.services._common import (
    audit,
    current_time,
    ensure_evaluation,
)
from escp4i.core.errors import Conflict, DomainError, InvalidTransition, PermissionDenied
from escp4i.registry.models import (
    Membership,
    MembershipRole,
    Partnership,
    PartnershipCategory,
)
from escp4i.registry.services import partnership_members_text_refresh, registry_changed


def _partnership_for(proposal: Proposal, category: str) -> Partnership:
    """Create the proposal's partnership, or update the one it continues, with ``category``."""
    partnership = proposal.partnership
    generation = proposal.call.generation
    if partnership is None:
        partnership = Partnership.objects.filter(
            acronym=proposal.acronym, generation=generation
        ).first()
    if partnership is None:
        base = slugify(f"{proposal.acronym}-{generation.code if generation else proposal.call_id}")
        slug = base[:70] or f"proposal-{proposal.pk}"
        counter = 2
        while Partnership.objects.filter(slug=slug).exists():
            slug = f"{base[:70]}-{counter}"
            counter += 1
        partnership = Partnership(
            acronym=proposal.acronym,
            slug=slug,
            name=proposal.title,
            generation=generation,
            notes=_("Created from proposal %(acronym)s to call %(call)s.")
            % {"acronym": proposal.acronym, "call": proposal.call.identifier},
        )
    partnership.category = category
    partnership.full_clean()
    partnership.save()
    for member in proposal.partners.all():
        role = (
            MembershipRole.COORDINATOR
            if member.role == PartnerRole.COORDINATOR
            else MembershipRole.PARTNER
        )
        Membership.objects.update_or_create(
            partnership=partnership, organisation_id=member.organisation_id, defaults={"role": role}
        )
    partnership_members_text_refresh(partnership_ids=[partnership.pk])
    registry_changed()
    return partnership


def _link(proposal: Proposal, partnership: Partnership, outcome: CallOutcome) -> None:
    CallPartnership.objects.update_or_create(
        call=proposal.call,
        partnership=partnership,
        defaults={
            "outcome": outcome,
            "strand": proposal.strand,
            "proposal": proposal,
            "source": _("decision on proposal %(acronym)s") % {"acronym": proposal.acronym},
        },
    )


def _open_charter(*, partnership: Partnership, actor: User) -> None:
    # Imported here: labels never imports calls, and calls only needs labels at decision time.
    from escp4i.labels.services import label_open_charter

    label_open_charter(partnership=partnership, actor=actor)


def _ensure_can_fund(proposal: Proposal, result: ranking.RankedProposal | None) -> None:
    """Co-funding must respect thresholds, places and budget, whatever the officer picks."""
    call = proposal.call
    if result is None or result.outcome not in (ranking.Outcome.FUNDED, ranking.Outcome.RESERVE):
        raise Conflict(_("Only an eligible proposal that passes every threshold can be funded."))
    strand = proposal.strand
    funded = call.proposals.filter(strand=strand, state=ProposalState.CO_FUNDED).count()
    if strand.places is not None and funded >= strand.places:
        raise Conflict(_("All places of strand %(code)s are taken.") % {"code": strand.code})
    committed = call.proposals.filter(state=ProposalState.CO_FUNDED).aggregate(
        total=Sum("awarded_grant")
    )["total"] or Decimal(0)
    if call.budget is None or committed + proposal.requested_grant > call.budget:
        raise Conflict(_("The grant does not fit the remaining budget of the call."))


@transaction.atomic
def proposal_decide(
    *,
    actor: User,
    proposal: Proposal,
    decision: ProposalState | str,
    note: str = "",
    now: dt.datetime | None = None,
) -> Proposal:
    """Decide one proposal: co-funded, reserve list or rejected.

    Co-funded creates or updates the partnership with the strand's category, links it to the
    call and opens its charter (labels app). Reserve list invites the consortium to a voluntary
    label (``proposal_invitation_accept``). Raises Conflict when co-funding would break a
    threshold, the strand's places or the budget.
    """
    officer = require_officer(actor)
    ensure_evaluation(proposal.call)
    decision = ProposalState(decision)
    if decision not in (ProposalState.CO_FUNDED, ProposalState.RESERVE, ProposalState.REJECTED):
        raise DomainError(_("Unknown decision."), decision=decision)
    if proposal.state not in (ProposalState.ELIGIBLE, ProposalState.INELIGIBLE):
        raise InvalidTransition(_("This proposal cannot be decided now."), state=proposal.state)
    if proposal.state == ProposalState.INELIGIBLE and decision != ProposalState.REJECTED:
        raise Conflict(_("An ineligible proposal can only be rejected."))
    if decision != ProposalState.REJECTED and proposal.consensus_total is None:
        raise Conflict(_("Set the consensus score first."))
    if decision == ProposalState.RESERVE:
        result = call_ranking(actor=officer, call=proposal.call).ranking.by_key().get(proposal.pk)
        if result is None or result.outcome not in (
            ranking.Outcome.FUNDED,
            ranking.Outcome.RESERVE,
        ):
            raise Conflict(
                _("Only a proposal that passes every threshold can go on the reserve list.")
            )
    if decision == ProposalState.CO_FUNDED:
        result = call_ranking(actor=officer, call=proposal.call).ranking.by_key().get(proposal.pk)
        _ensure_can_fund(proposal, result)
        proposal.awarded_grant = proposal.requested_grant
        partnership = _partnership_for(proposal, proposal.strand.category)
        proposal.partnership = partnership
        _link(proposal, partnership, CallOutcome.CO_FUNDED)
    proposal.state = decision
    proposal.decision_note = note
    proposal.decided_at = current_time(now)
    proposal.save()
    audit(
        actor=actor,
        action="proposal.decide",
        target=proposal,
        data={"decision": str(decision), "note": note},
    )
    if decision == ProposalState.CO_FUNDED and proposal.partnership is not None:
        _open_charter(partnership=proposal.partnership, actor=actor)
    return proposal


@transaction.atomic
def call_ranking_apply(*, actor: User, call: Call, now: dt.datetime | None = None) -> int:
    """Decide every undecided proposal as the ranking says; returns how many were decided.

    Refused while an eligible proposal has no consensus score, since the ranking would be
    incomplete.
    """
    officer = require_officer(actor)
    ensure_evaluation(call)
    if call.proposals.filter(state=ProposalState.SUBMITTED).exists():
        raise Conflict(_("Decide the eligibility of every submitted proposal first."))
    if call.proposals.filter(state=ProposalState.ELIGIBLE, consensus_total__isnull=True).exists():
        raise Conflict(_("Every eligible proposal needs a consensus score first."))
    current = call_ranking(actor=officer, call=call)
    decided = 0
    # Funded first so the place and budget checks of proposal_decide see the same order.
    order = {ranking.Outcome.FUNDED: 0, ranking.Outcome.RESERVE: 1}
    rows = sorted(
        (row for s in current.strands for row in s.rows),
        key=lambda row: (order.get(row.result.outcome, 2), row.result.rank or 0, row.proposal.pk),
    )
    for row in rows:
        proposal = row.proposal
        if proposal.state not in (ProposalState.ELIGIBLE, ProposalState.INELIGIBLE):
            continue
        if row.result.outcome == ranking.Outcome.FUNDED:
            decision = ProposalState.CO_FUNDED
        elif row.result.outcome == ranking.Outcome.RESERVE:
            decision = ProposalState.RESERVE
        else:
            decision = ProposalState.REJECTED
        proposal_decide(
            actor=actor,
            proposal=Proposal.objects.get(pk=proposal.pk),
            decision=decision,
            note=_("Applied from the ranking (%(reason)s).") % {"reason": row.result.reason},
            now=now,
        )
        decided += 1
    audit(actor=actor, action="call.ranking_apply", target=call, data={"decided": decided})
    return decided


@transaction.atomic
def proposal_invitation_accept(*, actor: User, proposal: Proposal) -> Partnership:
    """An applicant of a reserve-list proposal accepts the invitation to a voluntary label: the
    partnership is created (category voluntary) and its charter opened."""
    if proposal.state != ProposalState.RESERVE:
        raise InvalidTransition(_("Only reserve-list proposals are invited."), state=proposal.state)
    is_applicant = proposal.created_by_id == actor.pk or (
        actor.organisation_id is not None
        and proposal.partners.filter(organisation_id=actor.organisation_id).exists()
    )
    if not is_applicant and not is_officer(actor):
        raise PermissionDenied(_("Only the applicants may accept the invitation."))
    if (
        proposal.partnership is not None
        and CallPartnership.objects.filter(
            call=proposal.call, partnership=proposal.partnership
        ).exists()
    ):
        raise Conflict(_("The invitation has already been accepted."))
    partnership = _partnership_for(proposal, PartnershipCategory.VOLUNTARY)
    proposal.partnership = partnership
    proposal.save(update_fields=["partnership", "updated_at"])
    _link(proposal, partnership, CallOutcome.VOLUNTARY)
    audit(actor=actor, action="proposal.invitation_accept", target=proposal, data={})
    _open_charter(partnership=partnership, actor=actor)
    return partnership
