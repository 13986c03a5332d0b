"""Service rules beyond the transition table: who may sign, hashes, validity, renewals, new
members after the award, permissions, and the calls entry point."""

from __future__ import annotations

import datetime as dt

import pytest

from escp4i.accounts.models import User
from escp4i.core.errors import Conflict, DomainError, PermissionDenied
from escp4i.core.models import AuditEntry
from escp4i.labels import selectors, services
from escp4i.labels.models import CharterSignature, Label, LabelEvent
from escp4i.labels.workflow import LabelState, RenewalBasis
from escp4i.registry.models import PartnershipCategory
from tests.labels.conftest import CHARTER_TEXT, reach, sign

S = LabelState


def test_signature_records_who_for_whom_when_and_the_text_hash(world, officer, charter, today):
    label = reach(S.CHARTER_OPEN, world, officer, today)
    signature = services.label_charter_sign(
        label=label,
        organisation=world.orgs[1],
        actor=world.reps[1],
        representative_name="Ada Example",
        representative_title="Managing director",
        text_sha256=services.sha256_hex(CHARTER_TEXT),
        ip_address="192.0.2.7",
    )
    assert signature.signed_by == world.reps[1]
    assert signature.organisation == world.orgs[1]
    assert signature.charter_version == charter
    assert signature.text_sha256 == charter.sha256 == services.sha256_hex(CHARTER_TEXT)
    assert signature.signed_at is not None
    assert signature.ip_address == "192.0.2.7"
    event = LabelEvent.objects.filter(label=label, action="sign").get()
    assert event.actor == world.reps[1]
    assert event.data["organisation"] == world.orgs[1].slug


def test_sign_refused_when_text_hash_differs(world, officer, charter, today):
    label = reach(S.CHARTER_OPEN, world, officer, today)
    with pytest.raises(Conflict):
        services.label_charter_sign(
            label=label,
            organisation=world.orgs[0],
            actor=world.reps[0],
            representative_name="A",
            representative_title="B",
            text_sha256="0" * 64,
        )
    assert not CharterSignature.objects.exists()


@pytest.mark.parametrize("who", ["other_rep", "coordinator_without_role", "officer", "plain"])
def test_sign_refused_when_not_authorised_representative(who, world, officer, charter, today, user):
    label = reach(S.CHARTER_OPEN, world, officer, today)
    actor = {
        "other_rep": world.reps[1],  # represents Beta, not Alpha
        "coordinator_without_role": world.coordinator,  # acts for Alpha, no manager role
        "officer": officer,
        "plain": user,
    }[who]
    with pytest.raises(PermissionDenied):
        sign(label, world.orgs[0], actor)


def test_representative_authorisation_lets_a_user_sign(world, officer, charter, today):
    label = reach(S.CHARTER_OPEN, world, officer, today)
    # The coordinator acts for Alpha but is not its cluster manager: authorise explicitly.
    services.representative_authorise(
        organisation=world.orgs[0], user=world.coordinator, actor=world.reps[0]
    )
    sign(label, world.orgs[0], world.coordinator)
    assert selectors.labelled_members(label).get() == world.orgs[0]


def test_representative_authorise_refused_for_other_organisations_manager(world, charter):
    with pytest.raises(PermissionDenied):
        services.representative_authorise(
            organisation=world.orgs[0], user=world.coordinator, actor=world.reps[1]
        )


def test_sign_twice_refused(world, officer, charter, today):
    label = reach(S.CHARTER_OPEN, world, officer, today)
    sign(label, world.orgs[0], world.reps[0])
    with pytest.raises(Conflict):
        sign(label, world.orgs[0], world.reps[0])


def test_award_refused_when_member_added_before_award_has_not_signed(
    world, officer, charter, today
):
    label = reach(S.SIGNED, world, officer, today)
    world.add_member("Gamma Cluster")
    with pytest.raises(Conflict) as excinfo:
        services.label_award(label=label, actor=officer)
    assert "Gamma Cluster" in excinfo.value.message
    sign(label, world.orgs[2], world.reps[2])
    assert services.label_award(label=label, actor=officer).state == S.AWARDED


def test_member_added_after_award_is_listed_not_yet_signed(world, officer, charter, today):
    label = reach(S.AWARDED, world, officer, today)
    org, rep = world.add_member("Gamma Cluster")
    label.refresh_from_db()
    assert label.state == S.AWARDED
    statuses = {m.organisation.name: m for m in selectors.label_member_statuses(label=label)}
    assert statuses["Gamma Cluster"].signature is None
    assert statuses["Gamma Cluster"].joined_after_award
    assert org not in selectors.labelled_members(label)
    sign(label, org, rep)
    assert org in selectors.labelled_members(label)
    assert Label.objects.get(pk=label.pk).state == S.AWARDED


def test_award_uses_project_dates_and_needs_them(world, officer, charter, today):
    label = reach(S.SIGNED, world, officer, today)
    world.partnership.start_date = world.partnership.end_date = None
    world.partnership.save()
    with pytest.raises(DomainError):
        services.label_award(label=label, actor=officer)
    with pytest.raises(DomainError):
        services.label_award(
            label=label, actor=officer, valid_from=today, valid_until=today - dt.timedelta(days=1)
        )
    with pytest.raises(Conflict):
        services.label_award(
            label=label,
            actor=officer,
            valid_from=today - dt.timedelta(days=9),
            valid_until=today - dt.timedelta(days=1),
        )
    awarded = services.label_award(
        label=label, actor=officer, valid_from=today, valid_until=today + dt.timedelta(days=10)
    )
    assert (awarded.valid_from, awarded.valid_until) == (today, today + dt.timedelta(days=10))
    assert awarded.awarded_by == officer


@pytest.mark.parametrize("who", ["coordinator", "representative", "plain"])
def test_decisions_refused_for_non_officers(who, world, officer, charter, today, user):
    label = reach(S.SIGNED, world, officer, today)
    actor = {"coordinator": world.coordinator, "representative": world.reps[0], "plain": user}[who]
    with pytest.raises(PermissionDenied):
        services.label_award(label=label, actor=actor)
    with pytest.raises(PermissionDenied):
        services.label_revoke(label=label, actor=actor, reason="No")
    assert Label.objects.get(pk=label.pk).state == S.SIGNED


def test_revoke_needs_a_reason(world, officer, charter, today):
    label = reach(S.AWARDED, world, officer, today)
    with pytest.raises(DomainError):
        services.label_revoke(label=label, actor=officer, reason="   ")
    revoked = services.label_revoke(label=label, actor=officer, reason="Charter breached")
    assert revoked.revocation_reason == "Charter breached"
    assert AuditEntry.objects.filter(
        action="label.revoke", data__reason="Charter breached"
    ).exists()


def test_expected_state_mismatch_is_a_conflict(world, officer, charter, today):
    label = reach(S.AWARDED, world, officer, today)
    with pytest.raises(Conflict):
        services.label_revoke(label=label, actor=officer, reason="x", expected_state=S.SIGNED)
    assert Label.objects.get(pk=label.pk).state == S.AWARDED


def test_renewal_creates_successor_with_same_public_id(world, officer, charter, today):
    label = reach(S.AWARDED, world, officer, today)
    new_end = label.valid_until + dt.timedelta(days=365)
    successor = services.label_renew(
        label=label, actor=officer, basis=RenewalBasis.LATER_CALL, new_end=new_end
    )
    label.refresh_from_db()
    assert label.state == S.RENEWED
    assert successor.previous == label
    assert successor.public_id == label.public_id
    assert successor.sequence == 2
    assert successor.state == S.AWARDED
    assert successor.valid_from == label.valid_until + dt.timedelta(days=1)
    assert successor.valid_until == new_end
    assert selectors.label_get(public_id=label.public_id) == successor
    assert set(selectors.labelled_members(successor)) == set(world.orgs)


def test_strand2_renewal_needs_an_approved_strategy(world, officer, charter, today):
    world.partnership.category = PartnershipCategory.STRAND2
    world.partnership.save()
    label = reach(S.AWARDED, world, officer, today)
    new_end = label.valid_until + dt.timedelta(days=365)
    with pytest.raises(DomainError):
        services.label_renew(
            label=label, actor=officer, basis=RenewalBasis.LATER_CALL, new_end=new_end
        )
    with pytest.raises(Conflict):
        services.label_renew(
            label=label, actor=officer, basis=RenewalBasis.SUSTAINABLE_STRATEGY, new_end=new_end
        )
    with pytest.raises(PermissionDenied):
        services.label_strategy_submit(label=label, actor=world.reps[1], text="Plan")
    services.label_strategy_submit(label=label, actor=world.coordinator, text="Our plan")
    successor = services.label_renew(
        label=label, actor=officer, basis=RenewalBasis.SUSTAINABLE_STRATEGY, new_end=new_end
    )
    assert successor.renewal_basis == RenewalBasis.SUSTAINABLE_STRATEGY


def test_renewal_needs_every_current_member_signed(world, officer, charter, today):
    label = reach(S.AWARDED, world, officer, today)
    world.add_member("Gamma Cluster")
    with pytest.raises(Conflict):
        services.label_renew(
            label=label,
            actor=officer,
            basis=RenewalBasis.LATER_CALL,
            new_end=label.valid_until + dt.timedelta(days=30),
        )


def test_open_charter_entry_point_creates_and_is_idempotent(world, officer, charter, today):
    label = services.label_open_charter(partnership=world.partnership, actor=officer)
    assert label.state == S.CHARTER_OPEN
    assert label.public_id == "ESCP4I-DEMO"
    again = services.label_open_charter(partnership=world.partnership, actor=officer)
    assert again.pk == label.pk
    assert LabelEvent.objects.filter(label=label, action="open_charter").count() == 1


def test_open_charter_by_member_user_but_not_outsider(world, charter, user):
    with pytest.raises(PermissionDenied):
        services.label_open_charter(partnership=world.partnership, actor=user)
    label = services.label_open_charter(partnership=world.partnership, actor=world.reps[1])
    assert label.state == S.CHARTER_OPEN


def test_open_charter_without_published_charter(world, officer):
    # The calls entry point leaves the label proposed; the strict service refuses.
    label = services.label_open_charter(partnership=world.partnership, actor=officer)
    assert label.state == S.PROPOSED
    with pytest.raises(Conflict):
        services.label_charter_open(label=label, actor=officer)
    assert Label.objects.get().state == S.PROPOSED


def test_new_label_after_revocation_reuses_signatures_of_same_version(
    world, officer, charter, today
):
    label = reach(S.AWARDED, world, officer, today)
    services.label_revoke(label=label, actor=officer, reason="Mistake")
    again = services.label_open_charter(partnership=world.partnership, actor=officer)
    assert again.sequence == 2
    assert again.public_id == label.public_id
    assert again.state == S.SIGNED  # every member already signed this charter version


def test_charter_versions_are_immutable(charter):
    assert (
        services.charter_version_publish(
            version=charter.version, title="x", text=CHARTER_TEXT, actor=None
        )
        == charter
    )
    with pytest.raises(Conflict):
        services.charter_version_publish(
            version=charter.version, title="x", text="Another text", actor=None
        )


def test_charter_publish_needs_an_officer(db):
    plain = User.objects.create_user(username="p")
    with pytest.raises(PermissionDenied):
        services.charter_version_publish(version="9", title="t", text="t", actor=plain)


def test_status_counts_count_latest_periods(world, officer, charter, today):
    label = reach(S.AWARDED, world, officer, today)
    services.label_renew(
        label=label,
        actor=officer,
        basis=RenewalBasis.LATER_CALL,
        new_end=label.valid_until + dt.timedelta(days=30),
    )
    counts = selectors.label_status_counts()
    assert counts["awarded"] == 1
    assert counts["renewed"] == 0  # the renewed period is not the latest
    assert counts["active"] == 1
    assert set(counts) >= {s.value for s in LabelState}
