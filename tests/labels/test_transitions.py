"""Every transition through the real services: each allowed one succeeds and is audited, each
forbidden one raises InvalidTransition and changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from escp4i.core.errors import InvalidTransition
from escp4i.core.models import AuditEntry
from escp4i.labels import services
from escp4i.labels.models import Label, LabelEvent
from escp4i.labels.workflow import TRANSITIONS, LabelAction, LabelState, RenewalBasis
from escp4i.notifications.models import Notification, NotificationKind
from tests.labels.conftest import reach, sign

S, A = LabelState, LabelAction
SERVICE_ACTIONS = [a for a in LabelAction if a != A.COMPLETE_SIGNATURES]


def run(action, label, world, officer):
    far_future = dt.date(2999, 1, 1)
    if action == A.OPEN_CHARTER:
        return services.label_charter_open(label=label, actor=officer)
    if action == A.AWARD:
        return services.label_award(label=label, actor=officer)
    if action == A.START_EXPIRING:
        return services.label_expiring_start(label=label, today=dt.date.today())  # noqa: DTZ011
    if action == A.EXPIRE:
        return services.label_expire(label=label, today=far_future)
    if action == A.RENEW:
        return services.label_renew(
            label=label, actor=officer, basis=RenewalBasis.LATER_CALL, new_end=far_future
        )
    assert action == A.REVOKE
    return services.label_revoke(label=label, actor=officer, reason="Reason")


@pytest.mark.parametrize("state", list(LabelState))
@pytest.mark.parametrize("action", SERVICE_ACTIONS)
def test_service_transition(state, action, world, officer, charter, today, mailoutbox):
    label = reach(state, world, officer, today)
    events_before = LabelEvent.objects.filter(label=label).count()
    expected = TRANSITIONS.get((state, action))
    if expected is None:
        with pytest.raises(InvalidTransition):
            run(action, label, world, officer)
        assert Label.objects.get(pk=label.pk).state == state
        assert LabelEvent.objects.filter(label=label).count() == events_before
        return
    run(action, label, world, officer)
    label.refresh_from_db()
    assert label.state == expected
    event = LabelEvent.objects.filter(label=label).latest("pk")
    assert (event.action, event.from_state, event.to_state) == (action.value, state, expected)
    assert event.audit_entry.action == f"label.{action.value}"
    assert event.audit_entry.target_pk == str(label.pk)
    assert event.audit_entry.data["from"] == state


def test_complete_signatures_only_from_charter_open(world, officer, charter, today):
    label = reach(S.CHARTER_OPEN, world, officer, today)
    sign(label, world.orgs[0], world.reps[0])
    label.refresh_from_db()
    assert label.state == S.CHARTER_OPEN  # one member still missing
    sign(label, world.orgs[1], world.reps[1])
    label.refresh_from_db()
    assert label.state == S.SIGNED
    actions = list(LabelEvent.objects.filter(label=label).values_list("action", flat=True))
    assert actions == ["create", "open_charter", "sign", "sign", "complete_signatures"]


@pytest.mark.parametrize("state", [S.PROPOSED, S.EXPIRED, S.RENEWED, S.REVOKED])
def test_sign_refused_when_charter_not_open(state, world, officer, charter, today):
    label = reach(state, world, officer, today)
    label.charter_version = label.charter_version or charter
    with pytest.raises(InvalidTransition):
        sign(label, world.orgs[0], world.reps[0])


def test_transitions_notify_after_commit(
    world, officer, charter, today, django_capture_on_commit_callbacks, mailoutbox
):
    label = reach(S.SIGNED, world, officer, today)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.label_award(label=label, actor=officer)
    assert len(callbacks) == 1  # nothing is sent before the transaction commits
    assert mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        callbacks[0]()
    # One in-app notification per recipient, e-mailed (immediately, the default) to each.
    notes = Notification.objects.filter(kind=NotificationKind.LABEL_UPDATE)
    assert sorted(m.to[0] for m in mailoutbox) == sorted(n.user.email for n in notes)
    recipients = {n.user.email for n in notes}
    assert recipients >= {"officer@example.org", "coord@example.org"}
    assert "rep-alpha-cluster@example.org" in recipients
    assert all("award" in n.title and n.url == f"/labels/{label.public_id}/" for n in notes)


def test_failed_transition_sends_nothing_and_audits_nothing(
    world, officer, charter, today, django_capture_on_commit_callbacks, mailoutbox
):
    label = reach(S.PROPOSED, world, officer, today)
    audits = AuditEntry.objects.count()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(InvalidTransition):
        services.label_award(label=label, actor=officer)
    assert mailoutbox == []
    assert AuditEntry.objects.count() == audits
