"""Proposals by consortia of cluster organisations, until the deadline (applicants)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from escp4i.accounts.models import User
from escp4i.calls.models import (
    ATTACHMENT_EXTENSIONS,
    Call,
    PartnerRole,
    Proposal,
    ProposalAttachment,
    ProposalPartner,
    ProposalState,
    Strand,
)
from escp4i.calls.services._common import (
    audit,
    current_time,
    ensure_open,
)
from escp4i.core.errors import DomainError, InvalidTransition, PermissionDenied
from escp4i.core.uploads import upload_check
from escp4i.registry.models import (
    ClusterOrganisation,
    Partnership,
)


def _set_consortium(
    proposal: Proposal, coordinator: ClusterOrganisation, partner_ids: Sequence[int]
) -> None:
    ids = {int(i) for i in partner_ids} - {coordinator.pk}
    found = set(ClusterOrganisation.objects.filter(pk__in=ids).values_list("pk", flat=True))
    if found != ids:
        raise DomainError(_("Unknown cluster organisation in the consortium."))
    proposal.partners.exclude(organisation_id__in=ids | {coordinator.pk}).delete()
    ProposalPartner.objects.update_or_create(
        proposal=proposal, organisation=coordinator, defaults={"role": PartnerRole.COORDINATOR}
    )
    for pk in sorted(ids):
        ProposalPartner.objects.update_or_create(
            proposal=proposal, organisation_id=pk, defaults={"role": PartnerRole.PARTNER}
        )


@transaction.atomic
def proposal_create(
    *,
    actor: User,
    call: Call,
    strand: Strand,
    acronym: str,
    title: str,
    requested_grant: Decimal,
    partner_ids: Sequence[int] = (),
    theme: str = "",
    summary: str = "",
    description: str = "",
    partnership: Partnership | None = None,
    now: dt.datetime | None = None,
) -> Proposal:
    """Start a draft proposal; the actor's organisation coordinates the consortium."""
    if actor.organisation is None:
        raise PermissionDenied(_("Only a user acting for a cluster organisation can apply."))
    ensure_open(call, now)
    if strand.call_id != call.pk:
        raise DomainError(_("The strand does not belong to this call."))
    proposal = Proposal(
        call=call,
        strand=strand,
        acronym=acronym,
        title=title,
        requested_grant=requested_grant,
        theme=theme,
        summary=summary,
        description=description,
        partnership=partnership,
        created_by=actor,
    )
    proposal.full_clean()
    proposal.save()
    _set_consortium(proposal, actor.organisation, partner_ids)
    audit(actor=actor, action="proposal.create", target=proposal, data={"call": call.identifier})
    return proposal


def _ensure_editable(proposal: Proposal, now: dt.datetime | None) -> None:
    if proposal.state not in (ProposalState.DRAFT, ProposalState.SUBMITTED):
        raise InvalidTransition(_("This proposal can no longer be changed."), state=proposal.state)
    ensure_open(proposal.call, now)


@transaction.atomic
def proposal_update(
    *,
    actor: User,
    proposal: Proposal,
    title: str,
    requested_grant: Decimal,
    strand: Strand,
    partner_ids: Sequence[int],
    theme: str = "",
    summary: str = "",
    description: str = "",
    now: dt.datetime | None = None,
) -> Proposal:
    """Edit a proposal (also after submission) until the deadline."""
    _ensure_editable(proposal, now)
    if strand.call_id != proposal.call_id:
        raise DomainError(_("The strand does not belong to this call."))
    proposal.title = title
    proposal.requested_grant = requested_grant
    proposal.strand = strand
    proposal.theme = theme
    proposal.summary = summary
    proposal.description = description
    proposal.full_clean()
    proposal.save()
    coordinator = proposal.partners.filter(role=PartnerRole.COORDINATOR).first()
    if coordinator is None:
        raise DomainError(_("The proposal has no coordinator."))
    _set_consortium(proposal, coordinator.organisation, partner_ids)
    audit(actor=actor, action="proposal.update", target=proposal, data={})
    return proposal


@transaction.atomic
def proposal_attachment_add(
    *,
    actor: User,
    proposal: Proposal,
    title: str,
    file: UploadedFile[bytes],
    now: dt.datetime | None = None,
) -> ProposalAttachment:
    """Attach a PDF, DOCX or ODT file of at most 10 MB (and ``ESCP4I_UPLOAD_MAX_BYTES``),
    checked by its content; a refused file is not stored (ValidationError)."""
    _ensure_editable(proposal, now)
    upload_check(name=file.name or "", data=file, size=file.size, allowed=ATTACHMENT_EXTENSIONS)
    attachment = ProposalAttachment(proposal=proposal, title=title, file=file, uploaded_by=actor)
    attachment.full_clean()
    attachment.save()
    audit(actor=actor, action="proposal.attachment_add", target=proposal, data={"title": title})
    return attachment


@transaction.atomic
def proposal_submit(*, actor: User, proposal: Proposal, now: dt.datetime | None = None) -> Proposal:
    """Submit (or re-submit after edits) before the deadline."""
    _ensure_editable(proposal, now)
    proposal.state = ProposalState.SUBMITTED
    proposal.submitted_at = current_time(now)
    proposal.save(update_fields=["state", "submitted_at", "updated_at"])
    audit(actor=actor, action="proposal.submit", target=proposal, data={})
    return proposal
