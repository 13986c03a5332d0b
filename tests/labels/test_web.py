"""Label pages through the Django client: registry, verification, badge, certificate, signing,
officer decisions, audit trail, and who sees which action."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.urls import reverse

from escp4i.labels.models import Label
from escp4i.labels.workflow import LabelState
from tests.labels.conftest import PASSWORD, reach

S = LabelState


def url(name, label, **kw):
    return reverse(f"labels:{name}", kwargs={"public_id": label.public_id, **kw})


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def test_registry_lists_labels_with_status_and_validity(
    client, world, officer, charter, today, django_assert_max_num_queries
):
    label = reach(S.AWARDED, world, officer, today)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("labels:label-list"))
    assert response.status_code == 200
    content = response.content.decode()
    assert label.public_id in content
    assert "active" in content
    assert label.valid_until.strftime("%Y-%m-%d") in content
    response = client.get(reverse("labels:label-list"), {"status": "revoked"})
    assert label.public_id not in response.content.decode()
    response = client.get(
        reverse("labels:label-list"), {"status": "active"}, HTTP_HX_REQUEST="true"
    )
    assert "<html" not in response.content.decode()
    assert label.public_id in response.content.decode()


def test_verification_page_is_public(client, world, officer, charter, today):
    label = reach(S.AWARDED, world, officer, today)
    response = client.get(url("label-detail", label))
    assert response.status_code == 200
    content = response.content.decode()
    assert "active" in content
    assert "Alpha Cluster" in content
    assert charter.sha256 in content
    assert "Award the label" not in content
    assert (
        client.get(reverse("labels:label-detail", kwargs={"public_id": "NOPE"})).status_code == 404
    )


def test_badge_reflects_live_status(client, world, officer, charter, today):
    label = reach(S.SIGNED, world, officer, today)
    response = client.get(url("label-badge", label))
    assert response["Content-Type"].startswith("image/svg+xml")
    assert "max-age=300" in response["Cache-Control"]
    svg = response.content.decode()
    assert "<title>" in svg
    assert 'data-status="in preparation"' in svg
    label = reach_award(label, officer)
    svg = client.get(url("label-badge", label)).content.decode()
    assert 'data-status="active"' in svg
    assert "#146c2e" in svg
    missing = client.get(reverse("labels:label-badge", kwargs={"public_id": "NOPE"}))
    assert missing.status_code == 404
    assert "unknown" in missing.content.decode()


def reach_award(label, officer):
    from escp4i.labels import services

    return services.label_award(label=label, actor=officer)


def test_badge_says_expired_once_validity_is_over_even_before_the_job(
    client, world, officer, charter, today
):
    label = reach(S.SIGNED, world, officer, today)
    from escp4i.labels import services

    services.label_award(label=label, actor=officer, valid_from=today, valid_until=today)
    Label.objects.filter(pk=label.pk).update(
        valid_from=today - dt.timedelta(days=5), valid_until=today - dt.timedelta(days=1)
    )
    assert 'data-status="expired"' in client.get(url("label-badge", label)).content.decode()


def test_certificate_only_once_awarded(client, world, officer, charter, today):
    label = reach(S.SIGNED, world, officer, today)
    assert client.get(url("label-certificate", label)).status_code == 404
    label = reach_award(label, officer)
    response = client.get(url("label-certificate", label))
    assert response.status_code == 200
    content = response.content.decode()
    # Print layout: a static stylesheet (the CSP allows no inline styles).
    assert "/static/web/certificate.css" in content
    from django.contrib.staticfiles import finders

    assert "@media print" in Path(finders.find("web/certificate.css")).read_text()
    assert "Beta Cluster" in content
    assert f"/labels/{label.public_id}/" in content


def test_representative_signs_through_the_page(client, world, officer, charter, today):
    label = reach(S.CHARTER_OPEN, world, officer, today)
    login(client, world.reps[0])
    detail = client.get(url("label-detail", label)).content.decode()
    assert "Sign the charter" in detail
    page = client.get(url("label-sign", label))
    assert charter.text.splitlines()[0] in page.content.decode()
    response = client.post(
        url("label-sign", label),
        {
            "organisation": world.orgs[0].pk,
            "representative_name": "Ada Example",
            "representative_title": "Director",
            "text_sha256": charter.sha256,
            "accept": "on",
        },
    )
    assert response.status_code == 302
    signature = label.partnership.charter_signatures.get()
    assert signature.ip_address == "127.0.0.1"
    # nothing left to sign for this user
    assert client.get(url("label-sign", label)).status_code == 302


def test_sign_page_shows_hash_mismatch_on_the_form(client, world, officer, charter, today):
    label = reach(S.CHARTER_OPEN, world, officer, today)
    login(client, world.reps[0])
    response = client.post(
        url("label-sign", label),
        {
            "organisation": world.orgs[0].pk,
            "representative_name": "A",
            "representative_title": "B",
            "text_sha256": "f" * 64,
            "accept": "on",
        },
    )
    assert response.status_code == 200
    assert "reload and sign again" in response.content.decode()


def test_officer_awards_and_revokes_through_the_page(client, world, officer, charter, today):
    label = reach(S.SIGNED, world, officer, today)
    login(client, officer)
    assert "Award the label" in client.get(url("label-detail", label)).content.decode()
    response = client.post(
        url("label-award", label),
        {
            "valid_from": today.isoformat(),
            "valid_until": (today + dt.timedelta(days=30)).isoformat(),
            "expected_state": "signed",
        },
    )
    assert response.status_code == 302
    assert Label.objects.get(pk=label.pk).state == S.AWARDED
    # a stale form (the officer still saw "signed") changes nothing
    response = client.post(
        url("label-revoke", label), {"reason": "x", "expected_state": "signed"}, follow=True
    )
    assert "changed meanwhile" in response.content.decode()
    assert Label.objects.get(pk=label.pk).state == S.AWARDED
    client.post(url("label-revoke", label), {"reason": "Breach", "expected_state": "awarded"})
    assert Label.objects.get(pk=label.pk).state == S.REVOKED


@pytest.mark.parametrize("who", ["coordinator", "representative"])
def test_award_page_refused_for_non_officers(who, client, world, officer, charter, today):
    label = reach(S.SIGNED, world, officer, today)
    login(client, world.coordinator if who == "coordinator" else world.reps[0])
    assert "Award the label" not in client.get(url("label-detail", label)).content.decode()
    response = client.post(
        url("label-award", label),
        {"valid_from": "2030-01-01", "valid_until": "2031-01-01", "expected_state": "signed"},
        follow=True,
    )
    assert response.status_code == 403
    assert "programme officer" in response.content.decode().lower()
    assert Label.objects.get(pk=label.pk).state == S.SIGNED


@pytest.mark.parametrize("action", ["label-award", "label-revoke", "label-renew", "label-strategy"])
def test_decisions_are_403_before_the_form_is_read(action, client, world, officer, charter, today):
    """Regression: a user without the right got a redirect with the form's errors (empty POST)
    or the service's refusal as a message; now the page refuses with 403 before reading it."""
    label = reach(S.AWARDED, world, officer, today)
    login(client, world.reps[1])  # a member's representative: neither officer nor coordinator
    assert client.post(url(action, label)).status_code == 403
    assert Label.objects.get(pk=label.pk).state == S.AWARDED


def test_opening_the_charter_is_403_for_outsiders(client, world, officer, charter, today):
    from escp4i.accounts.models import User

    label = reach(S.PROPOSED, world, officer, today)
    outsider = User.objects.create_user(username="outsider", password=PASSWORD)
    login(client, outsider)
    assert client.post(url("label-open", label)).status_code == 403
    assert Label.objects.get(pk=label.pk).state == S.PROPOSED


def test_audit_trail_for_officers_and_coordinators_only(client, world, officer, charter, today):
    label = reach(S.AWARDED, world, officer, today)
    assert client.get(url("label-audit", label)).status_code == 302  # login first
    login(client, world.reps[0])
    assert client.get(url("label-audit", label)).status_code == 403
    login(client, world.coordinator)
    content = client.get(url("label-audit", label)).content.decode()
    assert "award" in content
    assert officer.username in content


def test_coordinator_opens_charter_and_sees_my_labels(client, world, officer, charter, today):
    from escp4i.labels import services

    label = services.label_propose(partnership=world.partnership, actor=officer)
    login(client, world.coordinator)
    client.post(url("label-open", label), {"expected_state": "proposed"})
    assert Label.objects.get(pk=label.pk).state == S.CHARTER_OPEN
    mine = client.get(reverse("labels:label-mine")).content.decode()
    assert label.public_id in mine


def test_charter_page(client, charter):
    response = client.get(reverse("labels:charter-detail"))
    assert charter.sha256 in response.content.decode()
    assert client.get(reverse("labels:charter-version", args=["nope"])).status_code == 404
