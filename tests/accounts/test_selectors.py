"""Access selectors: each allowed and denied case from one shared setup."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from escp4i.accounts.models import Role, User
from escp4i.accounts.selectors import (
    access_organisation_for_edit,
    access_partnership_for_edit,
    organisations_editable_by,
    partnerships_editable_by,
    require_role,
    user_has_role,
    user_is_officer,
    user_roles,
)
from escp4i.accounts.services import role_grant
from escp4i.core.errors import NotFound, PermissionDenied
from escp4i.registry.models import ClusterOrganisation, Partnership


@pytest.fixture
def setup(officer, coordinator, cluster_manager, participant, organiser, user):
    """Everyone, the coordinated partnership, another one, the managed organisation, another."""
    ecca = Partnership.objects.get(slug="ecca")
    other_partnership = Partnership.objects.exclude(pk=ecca.pk).order_by("pk").first()
    own_org = cluster_manager.organisation
    other_org = ClusterOrganisation.objects.exclude(pk=own_org.pk).order_by("pk").first()
    # A participant who acts for the managed organisation but is not its cluster manager.
    colleague = User.objects.create_user(
        username="colleague", email="colleague@example.org", organisation=own_org
    )
    role_grant(user=colleague, role=Role.PARTICIPANT)
    superuser = User.objects.create_superuser(username="root", email="root@example.org")
    inactive_officer = User.objects.create_user(
        username="gone", email="gone@example.org", is_active=False
    )
    role_grant(user=inactive_officer, role=Role.PROGRAMME_OFFICER)
    return {
        "officer": officer,
        "superuser": superuser,
        "inactive_officer": inactive_officer,
        "coordinator": coordinator,
        "manager": cluster_manager,
        "colleague": colleague,
        "participant": participant,
        "organiser": organiser,
        "user": user,
        "anonymous": AnonymousUser(),
        "ecca": ecca,
        "other_partnership": other_partnership,
        "own_org": own_org,
        "other_org": other_org,
    }


@pytest.mark.parametrize(
    ("who", "partnership", "allowed"),
    [
        ("officer", "ecca", True),
        ("officer", "other_partnership", True),
        ("superuser", "other_partnership", True),
        ("coordinator", "ecca", True),
        ("coordinator", "other_partnership", False),
        ("manager", "ecca", False),
        ("participant", "ecca", False),
        ("organiser", "ecca", False),
        ("user", "ecca", False),
        ("anonymous", "ecca", False),
        ("inactive_officer", "ecca", False),
    ],
)
def test_access_partnership_for_edit(setup, who, partnership, allowed):
    slug = setup[partnership].slug
    if allowed:
        assert access_partnership_for_edit(actor=setup[who], slug=slug) == setup[partnership]
    else:
        with pytest.raises(PermissionDenied):
            access_partnership_for_edit(actor=setup[who], slug=slug)


@pytest.mark.parametrize(
    ("who", "organisation", "allowed"),
    [
        ("officer", "own_org", True),
        ("officer", "other_org", True),
        ("superuser", "other_org", True),
        ("manager", "own_org", True),
        ("manager", "other_org", False),
        ("colleague", "own_org", False),  # acts for it, but is not a cluster manager
        ("coordinator", "own_org", False),
        ("participant", "own_org", False),
        ("anonymous", "own_org", False),
        ("inactive_officer", "own_org", False),
    ],
)
def test_access_organisation_for_edit(setup, who, organisation, allowed):
    slug = setup[organisation].slug
    if allowed:
        assert access_organisation_for_edit(actor=setup[who], slug=slug) == setup[organisation]
    else:
        with pytest.raises(PermissionDenied):
            access_organisation_for_edit(actor=setup[who], slug=slug)


@pytest.mark.parametrize("who", ["officer", "coordinator", "anonymous"])
def test_missing_rows_are_not_found_for_everyone(setup, who):
    with pytest.raises(NotFound):
        access_partnership_for_edit(actor=setup[who], slug="no-such-partnership")
    with pytest.raises(NotFound):
        access_organisation_for_edit(actor=setup[who], slug="no-such-organisation")


def test_roles(setup):
    assert user_roles(setup["coordinator"]) == {"partnership_coordinator"}
    assert user_has_role(setup["officer"], Role.PROGRAMME_OFFICER)
    assert not user_has_role(setup["participant"], "event_organiser")
    assert user_roles(setup["anonymous"]) == set()
    assert user_is_officer(setup["superuser"])
    assert not user_is_officer(setup["inactive_officer"])


@pytest.mark.parametrize(
    ("who", "role", "allowed"),
    [
        ("organiser", Role.EVENT_ORGANISER, True),
        ("officer", Role.EVENT_ORGANISER, True),
        ("participant", Role.EVENT_ORGANISER, False),
        ("participant", Role.PARTICIPANT, True),
        ("anonymous", Role.PARTICIPANT, False),
        ("coordinator", Role.PROGRAMME_OFFICER, False),
    ],
)
def test_require_role(setup, who, role, allowed):
    if allowed:
        require_role(actor=setup[who], role=role)
    else:
        with pytest.raises(PermissionDenied):
            require_role(actor=setup[who], role=role)


def test_editable_lists(setup):
    assert list(partnerships_editable_by(actor=setup["coordinator"])) == [setup["ecca"]]
    assert partnerships_editable_by(actor=setup["officer"]).count() == Partnership.objects.count()
    assert not partnerships_editable_by(actor=setup["participant"]).exists()
    assert list(organisations_editable_by(actor=setup["manager"])) == [setup["own_org"]]
    assert not organisations_editable_by(actor=setup["colleague"]).exists()
    assert organisations_editable_by(actor=setup["officer"]).count() == (
        ClusterOrganisation.objects.count()
    )


def test_role_checks_cost_one_query_per_user(setup, django_assert_num_queries):
    fresh = User.objects.get(pk=setup["coordinator"].pk)
    with django_assert_num_queries(1):
        user_roles(fresh)
        user_has_role(fresh, Role.PARTICIPANT)
        user_is_officer(fresh)
