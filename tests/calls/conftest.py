"""Fixtures for the calls domain: a published call built through the real services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from escp4i.calls import services
from escp4i.registry.models import ClusterOrganisation

D = Decimal


@pytest.fixture
def now():
    return timezone.now()


@pytest.fixture
def open_call(officer, now):
    """A published call: strand 1 (2 places, 1 reserved for dual-use), strand 2 (1 place)."""
    call = services.call_create(
        actor=officer,
        identifier="TEST-CALL-01",
        title="Test call",
        budget=D("500000"),
        opens_at=now - dt.timedelta(days=1),
        deadline=now + dt.timedelta(days=10),
    )
    s1 = services.strand_add(
        actor=officer, call=call, code="1", title="Preparation", places=2, max_grant=D("200000")
    )
    services.strand_add(
        actor=officer,
        call=call,
        code="2",
        title="Implementation",
        places=1,
        max_grant=D("450000"),
        category="strand2",
    )
    services.reserved_place_add(actor=officer, strand=s1, theme="dual-use", places=1)
    services.criterion_add(
        actor=officer, call=call, code="relevance", title="Relevance", threshold=D(3), position=1
    )
    services.criterion_add(
        actor=officer,
        call=call,
        code="impact",
        title="Impact",
        weight=D(2),
        threshold=D(3),
        position=2,
    )
    return services.call_publish(actor=officer, call=call)


def _organisation(name, country):
    return ClusterOrganisation.objects.create(name=name, slug=name.lower(), country_id=country)


@pytest.fixture
def applicant(db):
    """A cluster manager acting for a (test) cluster organisation in Sweden."""
    from escp4i.accounts.models import Role, User
    from escp4i.accounts.services import role_grant
    from tests.conftest import PASSWORD

    user = User.objects.create_user(
        username="applicant",
        email="applicant@example.org",
        password=PASSWORD,
        organisation=_organisation("Applicant Cluster", "SE"),
    )
    role_grant(user=user, role=Role.CLUSTER_MANAGER)
    return user


@pytest.fixture
def partner_ids(applicant):
    """Two partner organisations, in countries other than the applicant's and each other's."""
    return [_organisation("Partner One", "FR").pk, _organisation("Partner Two", "SI").pk]


@pytest.fixture(autouse=True)
def charter(db):
    """A published charter version: co-funding opens a partnership's charter (labels app)."""
    from escp4i.labels.services import charter_version_publish

    return charter_version_publish(
        version="1.0", title="ESCP-4i charter", text="We cooperate.", actor=None
    )
