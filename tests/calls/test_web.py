"""Calls pages through the Django test client: public, applicant, officer and evaluator."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from escp4i.accounts.models import User
from escp4i.calls import services
from escp4i.calls.models import EvaluatorAssignment, Proposal, ProposalState
from escp4i.calls.seed import calls_seed_shipped
from tests.conftest import PASSWORD
from tests.files import odt_bytes

D = Decimal


def _login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_public_call_pages_show_figures_and_sources(
    client, registry_data, django_assert_max_num_queries
):
    calls_seed_shipped()
    with django_assert_max_num_queries(6):
        response = client.get(reverse("calls:call-list"))
    assert response.status_code == 200
    assert "COS-CLUSINT-2016-03-01" in response.text
    from escp4i.calls.models import Call

    call = Call.objects.get(identifier="COS-CLUSINT-2016-03-01")
    with django_assert_max_num_queries(20):
        response = client.get(reverse("calls:call-detail", args=[call.pk]))
    text = response.text
    assert response.status_code == 200
    assert "programme brief" in text and "images-et-reseaux" in text
    assert "Dual-use technologies" in text
    assert "AdPack2" in text  # a real second-generation partnership linked to the call
    assert "Apply" not in text  # historical calls take no proposals
    first = Call.objects.get(identifier="COS-CLUSTER-2014-3-03")
    text = client.get(reverse("calls:call-detail", args=[first.pk])).text
    assert "ECCA" in text and "not found" in text


def test_applicant_creates_edits_submits_and_attaches(client, applicant, open_call, partner_ids):
    _login(client, applicant)
    url = reverse("calls:proposal-create", args=[open_call.pk])
    strand = open_call.strands.get(code="1")
    response = client.post(
        url,
        {
            "strand": strand.pk,
            "acronym": "WEBP",
            "title": "Web proposal",
            "theme": "",
            "requested_grant": "999999",
            "partners": partner_ids,
        },
    )
    assert response.status_code == 302
    proposal = Proposal.objects.get(acronym="WEBP")
    detail = client.get(reverse("calls:proposal-detail", args=[proposal.pk]))
    assert "failed" in detail.text  # requested grant above the strand maximum
    response = client.post(
        reverse("calls:proposal-edit", args=[proposal.pk]),
        {
            "strand": strand.pk,
            "title": "Web proposal",
            "theme": "dual-use",
            "requested_grant": "150000",
            "partners": partner_ids,
        },
    )
    assert response.status_code == 302
    client.post(reverse("calls:proposal-submit", args=[proposal.pk]))
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.SUBMITTED and proposal.theme == "dual-use"
    bad = SimpleUploadedFile("x.exe", b"MZ")
    response = client.post(
        reverse("calls:proposal-attachment-add", args=[proposal.pk]), {"title": "x", "file": bad}
    )
    assert response.status_code == 422
    good = SimpleUploadedFile("plan.odt", odt_bytes())
    client.post(
        reverse("calls:proposal-attachment-add", args=[proposal.pk]),
        {"title": "Plan", "file": good},
    )
    assert proposal.attachments.count() == 1
    attachment = proposal.attachments.get()
    url = reverse("calls:proposal-attachment-download", args=[proposal.pk, attachment.pk])
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == odt_bytes()
    client.logout()
    assert client.get(url).status_code == 302


def test_applicant_without_organisation_sees_the_domain_error(client, user, open_call):
    _login(client, user)
    response = client.post(
        reverse("calls:proposal-create", args=[open_call.pk]),
        {
            "strand": open_call.strands.first().pk,
            "acronym": "NOPE",
            "title": "x",
            "requested_grant": "1",
        },
    )
    assert response.status_code == 422
    assert "cluster organisation" in response.text


def test_officer_pages_forbidden_to_others(client, user, officer, open_call):
    for name in ("calls:call-manage", "calls:call-ranking"):
        url = reverse(name, args=[open_call.pk])
        assert _login(client, user).get(url).status_code == 403
        assert _login(client, officer).get(url).status_code == 200


def test_evaluator_declares_then_scores_and_officer_decides(
    client, officer, applicant, open_call, partner_ids, now
):
    proposal = services.proposal_create(
        actor=applicant,
        call=open_call,
        strand=open_call.strands.get(code="1"),
        acronym="EVAL",
        title="Evaluated",
        requested_grant=D("100000"),
        partner_ids=partner_ids,
    )
    services.proposal_submit(actor=applicant, proposal=proposal)
    services.call_evaluation_start(
        actor=officer, call=open_call, now=open_call.deadline + dt.timedelta(minutes=1)
    )
    evaluator = User.objects.create_user(username="judge", password=PASSWORD)
    _login(client, officer)
    client.post(reverse("calls:proposal-eligibility", args=[proposal.pk]), {"eligible": "yes"})
    client.post(reverse("calls:proposal-assign", args=[proposal.pk]), {"evaluator": evaluator.pk})
    assignment = EvaluatorAssignment.objects.get(proposal=proposal, evaluator=evaluator)

    _login(client, evaluator)
    url = reverse("calls:assignment-detail", args=[assignment.pk])
    page = client.get(url)
    assert "conflict of interest" in page.text and "Evaluated" not in page.text
    client.post(url, {"has_conflict": "no"})
    criteria = list(open_call.criteria.all())
    scores = {f"score_{c.pk}": "4" for c in criteria} | {
        f"comment_{c.pk}": "fine" for c in criteria
    }
    assert client.post(url, scores).status_code == 302
    assert client.get(reverse("calls:proposal-detail", args=[proposal.pk])).status_code == 302

    _login(client, officer)
    page = client.get(reverse("calls:proposal-detail", args=[proposal.pk]))
    assert page.status_code == 200 and "judge" in page.text and "fine" in page.text
    assert client.get(reverse("calls:proposal-consensus", args=[proposal.pk])).status_code == 200
    response = client.post(reverse("calls:proposal-consensus", args=[proposal.pk]), scores)
    assert response.status_code == 302
    ranking = client.get(reverse("calls:call-ranking", args=[open_call.pk]))
    assert "EVAL" in ranking.text and "reserve" in ranking.text
    response = client.post(
        reverse("calls:proposal-decide", args=[proposal.pk]), {"decision": "reserve"}
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.RESERVE
    # The applicant sees the invitation and accepts it.
    _login(client, applicant)
    page = client.get(reverse("calls:proposal-detail", args=[proposal.pk]))
    assert "voluntary label" in page.text
    client.post(reverse("calls:proposal-invitation-accept", args=[proposal.pk]))
    proposal.refresh_from_db()
    assert proposal.partnership.category == "voluntary"
    assert (
        "voluntary label"
        not in client.get(reverse("calls:proposal-detail", args=[proposal.pk])).text
    )
    mine = client.get(reverse("calls:proposal-mine"))
    assert "EVAL" in mine.text


def test_someone_elses_proposal_is_not_found(client, user, applicant, open_call, partner_ids):
    proposal = services.proposal_create(
        actor=applicant,
        call=open_call,
        strand=open_call.strands.first(),
        acronym="PRIV",
        title="Private",
        requested_grant=D(1),
        partner_ids=partner_ids,
    )
    _login(client, user)
    assert client.get(reverse("calls:proposal-detail", args=[proposal.pk])).status_code == 404
    assert client.post(reverse("calls:proposal-submit", args=[proposal.pk])).status_code == 404


@pytest.mark.parametrize("name", ["calls:proposal-mine"])
def test_my_pages_need_login(client, name):
    assert client.get(reverse(name)).status_code == 302
