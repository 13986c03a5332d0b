"""Hypothesis walks random sequences of label events through the real services and checks the
invariants after every step: one label in progress per partnership; validity dates consistent;
an awarded label has every member signed (except members who joined after the award, listed as
not yet signed); every label's trail is a path through the transition table; renewals chain."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import event as note_event
from hypothesis import strategies as st

from escp4i.core.errors import DomainError
from escp4i.labels import selectors, services
from escp4i.labels.models import Label
from escp4i.labels.workflow import (
    ACTIVE_STATES,
    FINAL_STATES,
    TRANSITIONS,
    VALIDITY_STATES,
    LabelAction,
    LabelState,
    RenewalBasis,
)
from escp4i.registry.models import Membership, PartnershipCategory
from tests.labels.conftest import World, sign

# Weighted so that random walks often get through signing to an award (revocation ends a walk's
# label, so it is rarer); ``head_start`` begins half the walks from an awarded label.
NAMES = ["open"] * 3 + ["sign"] * 6 + ["award"] * 3 + ["day"] * 4 + ["renew"] * 2
NAMES += ["add_member", "propose", "revoke", "strategy"]
EVENTS = st.lists(st.tuples(st.sampled_from(NAMES), st.integers(-3, 200)), max_size=30)
HEAD_START = [("open", 0), ("sign", 0), ("sign", 1), ("award", 150)]


class _Rollback(Exception):
    pass


def apply(event, arg, world, officer, clock):
    today = clock[0]
    label = selectors.label_latest_for_partnership(partnership=world.partnership)
    if event == "propose":
        services.label_propose(partnership=world.partnership, actor=officer)
    elif event == "open":
        services.label_open_charter(partnership=world.partnership, actor=officer)
    elif event == "add_member":
        world.add_member(f"Member {len(world.orgs)}", country="ES")
    elif event == "day":
        clock[0] = today + dt.timedelta(days=abs(arg) % 120 + 1)
        services.labels_daily_run(today=clock[0], lead_days=(90, 30, 7))
    elif label is None:
        return
    elif event == "sign":
        index = arg % len(world.orgs)
        sign(label, world.orgs[index], world.reps[index])
    elif event == "award":
        services.label_award(
            label=label,
            actor=officer,
            valid_from=today - dt.timedelta(days=10),
            valid_until=today + dt.timedelta(days=arg),
            today=today,
        )
    elif event == "renew":
        basis = (
            RenewalBasis.SUSTAINABLE_STRATEGY
            if world.partnership.category == PartnershipCategory.STRAND2
            else RenewalBasis.LATER_CALL
        )
        end = (label.valid_until or today) + dt.timedelta(days=arg)
        services.label_renew(label=label, actor=officer, basis=basis, new_end=end)
    elif event == "revoke":
        services.label_revoke(label=label, actor=officer, reason="Random revocation")
    elif event == "strategy":
        services.label_strategy_submit(label=label, actor=world.coordinator, text="Strategy")


def check_invariants(world, today):
    labels = list(Label.objects.filter(partnership=world.partnership).order_by("sequence"))
    assert sum(1 for label in labels if label.state not in FINAL_STATES) <= 1
    assert len({label.public_id for label in labels}) <= 1
    assert [label.sequence for label in labels] == list(range(1, len(labels) + 1))
    for label in labels:
        if label.valid_from or label.valid_until:
            assert label.valid_from <= label.valid_until
        if label.state in VALIDITY_STATES:
            assert label.valid_from and label.valid_until and label.awarded_at
        if label.state in ACTIVE_STATES:
            assert label.valid_until >= today  # the daily job and the award keep this true
            members = set(
                Membership.objects.filter(partnership=world.partnership).values_list(
                    "organisation_id", "created_at"
                )
            )
            signed = set(selectors.labelled_members(label).values_list("pk", flat=True))
            for organisation_id, joined in members:
                assert organisation_id in signed or joined > label.awarded_at
        if label.state == LabelState.RENEWED:
            successor = label.successor
            assert successor.public_id == label.public_id
            assert successor.valid_from == label.valid_until + dt.timedelta(days=1)
            assert successor.charter_version_id == label.charter_version_id
        if label.state == LabelState.REVOKED:
            assert label.revocation_reason
        check_trail(label)


def check_trail(label):
    events = list(label.events.select_related("audit_entry").order_by("pk"))
    assert events[0].action == "create"
    state = LabelState(events[0].to_state)
    assert state == (LabelState.AWARDED if label.previous_id else LabelState.PROPOSED)
    for entry in events:
        assert entry.audit_entry.action == f"label.{entry.action}"
        assert entry.audit_entry.target_pk == str(label.pk)
        if entry.action in LabelAction.values:
            assert LabelState(entry.from_state) == state
            state = TRANSITIONS[(state, LabelAction(entry.action))]
            assert entry.to_state == state
        else:
            assert entry.from_state == entry.to_state == state
    assert state == label.state


@pytest.mark.django_db
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(events=EVENTS, strand2=st.booleans(), head_start=st.booleans())
def test_random_event_sequences_keep_the_invariants(
    events, strand2, head_start, world, officer, charter
):
    try:
        with transaction.atomic():
            if strand2:
                world.partnership.category = PartnershipCategory.STRAND2
                world.partnership.save()
            local = World(world.partnership, list(world.orgs), list(world.reps), world.coordinator)
            clock = [dt.date(2030, 1, 1)]
            for name, arg in (HEAD_START if head_start else []) + events:
                try:
                    with transaction.atomic():
                        apply(name, arg, local, officer, clock)
                except DomainError:
                    pass  # refused: the invariants must hold all the same
                check_invariants(local, clock[0])
            for state in Label.objects.values_list("state", flat=True):
                note_event(f"reached {state}")  # shown by --hypothesis-show-statistics
            raise _Rollback
    except _Rollback:
        pass
