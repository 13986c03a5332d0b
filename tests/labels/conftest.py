"""Label fixtures: a published sample charter and a small synthetic partnership whose members each
have an authorised representative. Later label states are reached through the real services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from escp4i.accounts.models import Role, User
from escp4i.accounts.services import role_grant
from escp4i.labels import services
from escp4i.labels.models import CharterVersion, Label
from escp4i.labels.workflow import LabelState, RenewalBasis
from escp4i.registry.models import (
    ClusterOrganisation,
    Membership,
    MembershipRole,
    Partnership,
    PartnershipCategory,
)

PASSWORD = "correct-horse-battery-staple"
CHARTER_TEXT = "Sample charter text for tests.\n\n1. We cooperate.\n2. We report."


@pytest.fixture
def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def charter(db) -> CharterVersion:
    return services.charter_version_publish(
        version="1.0-test", title="Sample charter", text=CHARTER_TEXT, actor=None
    )


def make_org(name: str, country: str) -> ClusterOrganisation:
    return ClusterOrganisation.objects.create(
        name=name, slug=name.lower().replace(" ", "-"), country_id=country, is_synthetic=True
    )


def make_representative(org: ClusterOrganisation, username: str) -> User:
    user = User.objects.create_user(
        username=username, email=f"{username}@example.org", password=PASSWORD, organisation=org
    )
    role_grant(user=user, role=Role.CLUSTER_MANAGER)
    return user


@dataclass
class World:
    partnership: Partnership
    orgs: list[ClusterOrganisation]
    reps: list[User]
    coordinator: User

    def add_member(self, name: str, country: str = "IT") -> tuple[ClusterOrganisation, User]:
        org = make_org(name, country)
        Membership.objects.create(partnership=self.partnership, organisation=org)
        rep = make_representative(org, f"rep-{org.slug}")
        self.orgs.append(org)
        self.reps.append(rep)
        return org, rep


@pytest.fixture
def world(db, today) -> World:
    partnership = Partnership.objects.create(
        acronym="DEMO",
        slug="demo",
        name="Demo partnership (synthetic)",
        category=PartnershipCategory.STRAND1,
        start_date=today - dt.timedelta(days=30),
        end_date=today + dt.timedelta(days=700),
        is_synthetic=True,
    )
    orgs = [make_org("Alpha Cluster", "DE"), make_org("Beta Cluster", "FR")]
    Membership.objects.create(
        partnership=partnership, organisation=orgs[0], role=MembershipRole.COORDINATOR
    )
    Membership.objects.create(partnership=partnership, organisation=orgs[1])
    reps = [make_representative(org, f"rep-{org.slug}") for org in orgs]
    coordinator = User.objects.create_user(
        username="demo-coordinator",
        email="coord@example.org",
        password=PASSWORD,
        organisation=orgs[0],
    )
    role_grant(user=coordinator, role=Role.PARTNERSHIP_COORDINATOR, partnership=partnership)
    return World(partnership, orgs, reps, coordinator)


def sign(label: Label, org: ClusterOrganisation, rep: User):
    return services.label_charter_sign(
        label=label,
        organisation=org,
        actor=rep,
        representative_name=f"Rep of {org.name}",
        representative_title="Director",
        text_sha256=(label.charter_version or CharterVersion.objects.latest("pk")).sha256,
    )


def sign_all(label: Label, world: World) -> Label:
    for org, rep in zip(world.orgs, world.reps, strict=True):
        sign(Label.objects.get(pk=label.pk), org, rep)
    return Label.objects.get(pk=label.pk)


def reach(state: LabelState, world: World, officer: User, today: dt.date) -> Label:
    """A label of ``world.partnership`` in ``state``, reached through the real services only."""
    label = services.label_propose(partnership=world.partnership, actor=officer)
    if state == LabelState.PROPOSED:
        return label
    if state == LabelState.REVOKED:
        return services.label_revoke(label=label, actor=officer, reason="Test revocation")
    label = services.label_charter_open(label=label, actor=officer)
    if state == LabelState.CHARTER_OPEN:
        return label
    label = sign_all(label, world)
    if state == LabelState.SIGNED:
        return label
    label = services.label_award(label=label, actor=officer, today=today)
    if state == LabelState.AWARDED:
        return label
    if state == LabelState.RENEWED:
        services.label_renew(
            label=label,
            actor=officer,
            basis=RenewalBasis.LATER_CALL,
            new_end=label.valid_until + dt.timedelta(days=365),
        )
        return Label.objects.get(pk=label.pk)
    if state == LabelState.EXPIRED:
        return services.label_expire(label=label, today=label.valid_until + dt.timedelta(days=1))
    label = services.label_expiring_start(label=label, today=today)
    assert state == LabelState.EXPIRING
    return label


@pytest.fixture
def officer2(db) -> User:
    user = User.objects.create_user(
        username="officer2", email="officer2@example.org", password=PASSWORD
    )
    role_grant(user=user, role=Role.PROGRAMME_OFFICER)
    return user
