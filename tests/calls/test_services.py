"""The call workflow through the real services: set-up, proposals, evaluation and decisions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from escp4i.accounts.models import User
from escp4i.calls import selectors, services
from escp4i.calls.models import CallOutcome, CallPartnership, CallState, ProposalState
from escp4i.core.errors import Conflict, DomainError, InvalidTransition, NotFound, PermissionDenied
from escp4i.core.models import AuditEntry
from escp4i.registry.models import Partnership, PartnershipCategory

D = Decimal


def _proposal(actor, call, partner_ids, now, acronym="ALPHA", strand="1", grant="150000", **kw):
    proposal = services.proposal_create(
        actor=actor,
        call=call,
        strand=call.strands.get(code=strand),
        acronym=acronym,
        title=f"{acronym} partnership",
        requested_grant=D(grant),
        partner_ids=partner_ids,
        now=now,
        **kw,
    )
    return services.proposal_submit(actor=actor, proposal=proposal, now=now)


def _evaluate(officer, proposal, evaluator, relevance, impact):
    services.proposal_eligibility_decide(actor=officer, proposal=proposal, eligible=True)
    assignment = services.evaluator_assign(actor=officer, proposal=proposal, evaluator=evaluator)
    services.evaluator_coi_declare(actor=evaluator, assignment=assignment, has_conflict=False)
    criteria = {c.code: c.pk for c in proposal.call.criteria.all()}
    scores = {criteria["relevance"]: (D(relevance), "ok"), criteria["impact"]: (D(impact), "ok")}
    services.evaluation_scores_submit(actor=evaluator, assignment=assignment, scores=scores)
    services.proposal_consensus_set(actor=officer, proposal=proposal, scores=scores)
    proposal.refresh_from_db()
    return proposal


@pytest.fixture
def evaluator(db):
    return User.objects.create_user(username="evaluator", password="x" * 12)


def _to_evaluation(officer, call, now):
    return services.call_evaluation_start(
        actor=officer, call=call, now=call.deadline + dt.timedelta(hours=1)
    )


def test_publish_refused_without_criteria(officer, now):
    call = services.call_create(
        actor=officer,
        identifier="X",
        title="x",
        budget=D(1),
        opens_at=now,
        deadline=now + dt.timedelta(days=1),
    )
    with pytest.raises(DomainError):
        services.call_publish(actor=officer, call=call)


def test_call_create_needs_officer(user, officer, now):
    args = {"identifier": "X", "title": "x", "budget": D(1), "opens_at": None, "deadline": None}
    services.call_create(actor=officer, **args)
    with pytest.raises(PermissionDenied):
        services.call_create(actor=user, **{**args, "identifier": "Y"})


def test_reserved_places_cannot_exceed_strand_places(officer, open_call):
    strand = open_call.strands.get(code="2")
    with pytest.raises(InvalidTransition):  # published calls are frozen
        services.reserved_place_add(actor=officer, strand=strand, theme="x", places=5)


def test_proposal_submitted_until_deadline_only(applicant, open_call, partner_ids, now):
    proposal = _proposal(applicant, open_call, partner_ids, now)
    assert proposal.state == ProposalState.SUBMITTED
    report = selectors.proposal_eligibility(proposal=proposal)
    assert report.ok, report.failures
    late = open_call.deadline + dt.timedelta(seconds=1)
    with pytest.raises(Conflict):
        services.proposal_submit(actor=applicant, proposal=proposal, now=late)


def test_proposal_needs_an_organisation(user, open_call, now):
    with pytest.raises(PermissionDenied):
        services.proposal_create(
            actor=user,
            call=open_call,
            strand=open_call.strands.first(),
            acronym="A",
            title="A",
            requested_grant=D(1),
            now=now,
        )


def test_eligibility_report_flags_small_consortium_and_grant(applicant, open_call, now):
    proposal = _proposal(applicant, open_call, [], now, grant="250000")
    failures = {c.code for c in selectors.proposal_eligibility(proposal=proposal).failures}
    assert failures == {"consortium_size", "countries", "max_grant"}


def test_attachment_type_and_size_are_checked(applicant, open_call, partner_ids, now):
    proposal = _proposal(applicant, open_call, partner_ids, now)
    pdf = SimpleUploadedFile("plan.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    services.proposal_attachment_add(
        actor=applicant, proposal=proposal, title="Plan", file=pdf, now=now
    )
    exe = SimpleUploadedFile("virus.exe", b"MZ", content_type="application/octet-stream")
    with pytest.raises(ValidationError):
        services.proposal_attachment_add(
            actor=applicant, proposal=proposal, title="Bad", file=exe, now=now
        )
    big = SimpleUploadedFile("big.pdf", b"0" * (10 * 1024 * 1024 + 1))
    with pytest.raises(ValidationError):
        services.proposal_attachment_add(
            actor=applicant, proposal=proposal, title="Big", file=big, now=now
        )
    assert proposal.attachments.count() == 1


def test_evaluator_from_consortium_is_refused(officer, applicant, open_call, partner_ids, now):
    proposal = _proposal(applicant, open_call, partner_ids, now)
    _to_evaluation(officer, open_call, now)
    services.proposal_eligibility_decide(actor=officer, proposal=proposal, eligible=True)
    with pytest.raises(Conflict):
        services.evaluator_assign(actor=officer, proposal=proposal, evaluator=applicant)


def test_scoring_needs_coi_declaration_and_no_conflict(
    officer, applicant, open_call, partner_ids, evaluator, now
):
    proposal = _proposal(applicant, open_call, partner_ids, now)
    _to_evaluation(officer, open_call, now)
    services.proposal_eligibility_decide(actor=officer, proposal=proposal, eligible=True)
    assignment = services.evaluator_assign(actor=officer, proposal=proposal, evaluator=evaluator)
    scores = {c.pk: (D(4), "") for c in open_call.criteria.all()}
    with pytest.raises(Conflict):
        services.evaluation_scores_submit(actor=evaluator, assignment=assignment, scores=scores)
    with pytest.raises(PermissionDenied):
        services.evaluator_coi_declare(actor=officer, assignment=assignment, has_conflict=False)
    services.evaluator_coi_declare(actor=evaluator, assignment=assignment, has_conflict=True)
    with pytest.raises(PermissionDenied):
        services.evaluation_scores_submit(actor=evaluator, assignment=assignment, scores=scores)


def test_full_workflow_ranking_decisions_and_partnerships(
    officer, applicant, open_call, partner_ids, evaluator, now
):
    alpha = _proposal(applicant, open_call, partner_ids, now, "ALPHA", grant="150000")
    beta = _proposal(applicant, open_call, partner_ids, now, "BETA", grant="100000")
    dual = _proposal(
        applicant, open_call, partner_ids, now, "DUAL", grant="100000", theme="dual-use"
    )
    weak = _proposal(applicant, open_call, partner_ids, now, "WEAK", grant="100000")
    impl = _proposal(applicant, open_call, partner_ids, now, "IMPL", "2", grant="400000")
    _to_evaluation(officer, open_call, now)
    alpha = _evaluate(officer, alpha, evaluator, 5, 5)
    beta = _evaluate(officer, beta, evaluator, 4, 5)
    dual = _evaluate(officer, dual, evaluator, 3, 3)
    weak = _evaluate(officer, weak, evaluator, 2, 5)  # below the relevance threshold
    impl = _evaluate(officer, impl, evaluator, 5, 5)

    ranking = selectors.call_ranking(actor=officer, call=open_call)
    outcome = {r.proposal.acronym: r.result for s in ranking.strands for r in s.rows}
    assert outcome["DUAL"].reserved_theme == "dual-use"
    assert outcome["ALPHA"].outcome == "funded"
    assert outcome["BETA"].outcome == "reserve"
    assert outcome["WEAK"].outcome == "below_threshold"
    # 150k + 100k funded in strand 1 leaves 250k: IMPL's 400k does not fit.
    assert outcome["IMPL"].outcome == "reserve" and outcome["IMPL"].reason == "no_budget"

    decided = services.call_ranking_apply(actor=officer, call=open_call)
    assert decided == 5
    states = dict(open_call.proposals.values_list("acronym", "state"))
    assert states == {
        "ALPHA": ProposalState.CO_FUNDED,
        "DUAL": ProposalState.CO_FUNDED,
        "BETA": ProposalState.RESERVE,
        "IMPL": ProposalState.RESERVE,
        "WEAK": ProposalState.REJECTED,
    }
    budget = selectors.call_budget(call=open_call)
    assert budget.committed == D("250000") and budget.available == D("250000")

    partnership = Partnership.objects.get(acronym="ALPHA")
    assert partnership.category == PartnershipCategory.STRAND1
    assert partnership.memberships.count() == 3
    link = CallPartnership.objects.get(partnership=partnership)
    assert link.outcome == CallOutcome.CO_FUNDED and link.strand.code == "1"
    assert partnership.labels.get().state == "charter_open"

    # Reserve list: invited to a voluntary label.
    beta.refresh_from_db()
    voluntary = services.proposal_invitation_accept(actor=applicant, proposal=beta)
    assert voluntary.category == PartnershipCategory.VOLUNTARY
    assert voluntary.labels.get().state == "charter_open"
    with pytest.raises(Conflict):
        services.proposal_invitation_accept(actor=applicant, proposal=beta)

    figures = {f.identifier: f for f in selectors.call_figures()}["TEST-CALL-01"]
    assert figures.committed == D("250000") and figures.partnerships == 3
    services.call_close(actor=officer, call=open_call)
    open_call.refresh_from_db()
    assert open_call.state == CallState.CLOSED
    assert AuditEntry.objects.filter(action="proposal.decide").count() == 5


def test_manual_cofunding_respects_places_and_budget(
    officer, applicant, open_call, partner_ids, evaluator, now
):
    impl = _proposal(applicant, open_call, partner_ids, now, "IMPL", "2", grant="400000")
    impl2 = _proposal(applicant, open_call, partner_ids, now, "IMPL2", "2", grant="50000")
    weak = _proposal(applicant, open_call, partner_ids, now, "WEAK", grant="10000")
    _to_evaluation(officer, open_call, now)
    impl = _evaluate(officer, impl, evaluator, 5, 5)
    impl2 = _evaluate(officer, impl2, evaluator, 4, 4)
    weak = _evaluate(officer, weak, evaluator, 1, 1)
    with pytest.raises(Conflict):
        services.proposal_decide(actor=officer, proposal=weak, decision=ProposalState.CO_FUNDED)
    with pytest.raises(Conflict):
        services.proposal_decide(actor=officer, proposal=weak, decision=ProposalState.RESERVE)
    services.proposal_decide(actor=officer, proposal=impl, decision=ProposalState.CO_FUNDED)
    with pytest.raises(Conflict):  # strand 2 has one place
        services.proposal_decide(actor=officer, proposal=impl2, decision=ProposalState.CO_FUNDED)


def test_applicant_access(applicant, user, officer, open_call, partner_ids, now):
    proposal = _proposal(applicant, open_call, partner_ids, now)
    assert selectors.access_proposal(actor=officer, proposal_id=proposal.pk) == proposal
    assert selectors.access_proposal(actor=applicant, proposal_id=proposal.pk) == proposal
    with pytest.raises(NotFound):
        selectors.access_proposal(actor=user, proposal_id=proposal.pk)
    with pytest.raises(NotFound):
        selectors.access_proposal(actor=None, proposal_id=proposal.pk)
    with pytest.raises(PermissionDenied):
        selectors.access_proposal_for_applicant(actor=officer, proposal_id=proposal.pk)


def test_draft_calls_are_hidden_from_the_public(officer, user, now):
    call = services.call_create(
        actor=officer, identifier="D", title="d", budget=None, opens_at=None, deadline=None
    )
    assert selectors.access_call(actor=officer, call_id=call.pk) == call
    with pytest.raises(NotFound):
        selectors.access_call(actor=user, call_id=call.pk)


def test_cofunding_updates_the_partnership_a_proposal_continues(
    registry_data, officer, applicant, open_call, partner_ids, evaluator, now
):
    ecca = Partnership.objects.get(acronym="ECCA", generation__code="2016")
    proposal = _proposal(
        applicant, open_call, partner_ids, now, "ECCA2", "2", grant="400000", partnership=ecca
    )
    _to_evaluation(officer, open_call, now)
    proposal = _evaluate(officer, proposal, evaluator, 5, 5)
    services.proposal_decide(actor=officer, proposal=proposal, decision=ProposalState.CO_FUNDED)
    ecca.refresh_from_db()
    assert ecca.category == PartnershipCategory.STRAND2 and ecca.generation.code == "2016"
    assert ecca.memberships.filter(organisation=applicant.organisation).exists()
    assert CallPartnership.objects.get(call=open_call).partnership == ecca


def test_ranking_apply_refused_while_a_proposal_lacks_consensus(
    officer, applicant, open_call, partner_ids, now
):
    proposal = _proposal(applicant, open_call, partner_ids, now)
    _to_evaluation(officer, open_call, now)
    with pytest.raises(Conflict):  # eligibility not decided
        services.call_ranking_apply(actor=officer, call=open_call)
    services.proposal_eligibility_decide(actor=officer, proposal=proposal, eligible=True)
    with pytest.raises(Conflict):  # no consensus score
        services.call_ranking_apply(actor=officer, call=open_call)
    with pytest.raises(Conflict):  # pending decisions
        services.call_close(actor=officer, call=open_call)


def test_eligibility_override_needs_a_note(officer, applicant, open_call, now):
    proposal = _proposal(applicant, open_call, [], now)  # consortium too small
    _to_evaluation(officer, open_call, now)
    with pytest.raises(DomainError):
        services.proposal_eligibility_decide(actor=officer, proposal=proposal, eligible=True)
    services.proposal_eligibility_decide(
        actor=officer, proposal=proposal, eligible=True, note="Third partner confirmed by letter."
    )
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.ELIGIBLE
