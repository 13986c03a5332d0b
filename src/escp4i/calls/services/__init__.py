"""Writes of the calls domain: setting up and publishing calls, proposals by consortia (until the
deadline), eligibility decisions, evaluator assignment with conflict-of-interest declarations,
scores and consensus scores, applying the ranking and the decisions (co-funded: the partnership
is created or updated with its category and its charter opened in the labels app; reserve list:
invited to a voluntary label; rejected).

Every service checks the actor's permission itself and writes an audit row.
"""

from __future__ import annotations

from escp4i.calls.services.decisions import (
    call_ranking_apply,
    proposal_decide,
    proposal_invitation_accept,
)
from escp4i.calls.services.evaluation import (
    evaluation_scores_submit,
    evaluator_assign,
    evaluator_coi_declare,
    proposal_consensus_set,
    proposal_eligibility_decide,
)
from escp4i.calls.services.proposals import (
    proposal_attachment_add,
    proposal_create,
    proposal_submit,
    proposal_update,
)
from escp4i.calls.services.setup import (
    call_close,
    call_create,
    call_evaluation_start,
    call_publish,
    criterion_add,
    reserved_place_add,
    strand_add,
)

__all__ = [
    "call_close",
    "call_create",
    "call_evaluation_start",
    "call_publish",
    "call_ranking_apply",
    "criterion_add",
    "evaluation_scores_submit",
    "evaluator_assign",
    "evaluator_coi_declare",
    "proposal_attachment_add",
    "proposal_consensus_set",
    "proposal_create",
    "proposal_decide",
    "proposal_eligibility_decide",
    "proposal_invitation_accept",
    "proposal_submit",
    "proposal_update",
    "reserved_place_add",
    "strand_add",
]
