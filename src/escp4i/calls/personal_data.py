"""Personal data of the calls app (contract: core/privacy.py).

Export: the proposals the person created, the attachments they uploaded, their evaluator
assignments with conflict-of-interest declarations and scores, and the consensus scores they set.

Erasure: proposals belong to their consortium and evaluations are programme records the funding
decision rests on, so both stay with their author shown as "deleted user". What the evaluator
wrote about themselves, the conflict-of-interest note, is erased.
"""

from __future__ import annotations

from typing import Any

from escp4i.accounts.models import User
from escp4i.calls.models import (
    ConsensusScore,
    EvaluatorAssignment,
    Proposal,
    ProposalAttachment,
    Score,
)
from escp4i.core.privacy import ERASED

MODELS = (
    "calls.Proposal",
    "calls.ProposalAttachment",
    "calls.EvaluatorAssignment",
    "calls.Score",
    "calls.ConsensusScore",
)


def export(user: User) -> dict[str, Any]:
    assignments = EvaluatorAssignment.objects.filter(evaluator=user).select_related(
        "proposal__call"
    )
    return {
        "proposals_created": list(
            Proposal.objects.filter(created_by=user).values(
                "call__identifier", "acronym", "title", "state", "created_at", "submitted_at"
            )
        ),
        "attachments_uploaded": list(
            ProposalAttachment.objects.filter(uploaded_by=user).values(
                "proposal__acronym", "title", "created_at"
            )
        ),
        "evaluations": [
            {
                "call": a.proposal.call.identifier,
                "proposal": a.proposal.acronym,
                "has_conflict": a.has_conflict,
                "coi_declared_at": a.coi_declared_at,
                "coi_note": a.coi_note,
                "submitted_at": a.submitted_at,
                "scores": list(
                    Score.objects.filter(assignment=a).values("criterion__code", "score", "comment")
                ),
            }
            for a in assignments
        ],
        "consensus_scores_set": list(
            ConsensusScore.objects.filter(set_by=user).values(
                "proposal__acronym", "criterion__code", "score", "comment"
            )
        ),
    }


def erase(user: User) -> None:
    EvaluatorAssignment.objects.filter(evaluator=user).exclude(coi_note="").update(coi_note=ERASED)
