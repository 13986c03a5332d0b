from django.contrib import admin

from escp4i.accounts.admin_site import OfficerOnlyAdmin, OfficerOnlyInline
from escp4i.calls.models import (
    Call,
    CallFigure,
    CallPartnership,
    ConsensusScore,
    Criterion,
    EvaluatorAssignment,
    Proposal,
    ProposalAttachment,
    ProposalPartner,
    ReservedPlace,
    Score,
    Strand,
)

# Officers only (the same rule as the other domain admins). Calls can be set up here; proposals,
# evaluations and decisions should go through the pages or the API, whose services check the
# workflow rules that the admin does not.


class StrandInline(OfficerOnlyInline):
    model = Strand
    extra = 0


class CriterionInline(OfficerOnlyInline):
    model = Criterion
    extra = 0


class CallFigureInline(OfficerOnlyInline):
    model = CallFigure
    extra = 0


@admin.register(Call)
class CallAdmin(OfficerOnlyAdmin):
    list_display = ["identifier", "title", "state", "budget", "deadline", "is_historical"]
    list_filter = ["state", "is_historical"]
    search_fields = ["identifier", "title"]
    inlines = [StrandInline, CriterionInline, CallFigureInline]


@admin.register(ReservedPlace)
class ReservedPlaceAdmin(OfficerOnlyAdmin):
    list_display = ["strand", "theme", "places", "source"]


class ProposalPartnerInline(OfficerOnlyInline):
    model = ProposalPartner
    extra = 0
    raw_id_fields = ["organisation"]


class ProposalAttachmentInline(OfficerOnlyInline):
    model = ProposalAttachment
    extra = 0


class ConsensusInline(OfficerOnlyInline):
    model = ConsensusScore
    extra = 0


@admin.register(Proposal)
class ProposalAdmin(OfficerOnlyAdmin):
    list_display = ["acronym", "call", "strand", "state", "requested_grant", "consensus_total"]
    list_filter = ["state", "call"]
    search_fields = ["acronym", "title"]
    raw_id_fields = ["created_by", "partnership"]
    inlines = [ProposalPartnerInline, ProposalAttachmentInline, ConsensusInline]


class ScoreInline(OfficerOnlyInline):
    model = Score
    extra = 0


@admin.register(EvaluatorAssignment)
class EvaluatorAssignmentAdmin(OfficerOnlyAdmin):
    list_display = ["proposal", "evaluator", "has_conflict", "submitted_at"]
    raw_id_fields = ["proposal", "evaluator", "assigned_by"]
    inlines = [ScoreInline]


@admin.register(CallPartnership)
class CallPartnershipAdmin(OfficerOnlyAdmin):
    list_display = ["call", "partnership", "outcome", "strand"]
    list_filter = ["call", "outcome"]
