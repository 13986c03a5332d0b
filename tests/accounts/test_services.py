"""Account services: users, role grants, API tokens (hashed, revocable, audited)."""

from __future__ import annotations

import hashlib

import pytest
from django.core.exceptions import ValidationError

from escp4i.accounts.models import ApiToken, Role, RoleGrant, User
from escp4i.accounts.selectors import user_has_role
from escp4i.accounts.services import (
    api_token_authenticate,
    api_token_create,
    api_token_revoke,
    role_grant,
    role_revoke,
    user_create,
)
from escp4i.core.errors import Conflict, DomainError
from escp4i.core.models import AuditEntry
from tests.conftest import PASSWORD


def test_user_create_for_an_organisation(cluster_manager, officer):
    user = user_create(
        username="newbie",
        email="newbie@example.org",
        password=PASSWORD,
        organisation=cluster_manager.organisation,
        actor=officer,
    )
    assert user.check_password(PASSWORD)
    assert user.organisation == cluster_manager.organisation
    assert AuditEntry.objects.filter(action="user.create", actor=officer).exists()


def test_user_create_without_password_cannot_log_in(db):
    assert not user_create(username="nopass").has_usable_password()


def test_user_create_rejects_duplicates_and_weak_passwords(user):
    with pytest.raises(Conflict):
        user_create(username="PLAIN")
    with pytest.raises(Conflict):
        user_create(username="other", email="plain@example.org")
    with pytest.raises(ValidationError):
        user_create(username="weak", password="123")


def test_role_grant_and_revoke(user, registry_data):
    role_grant(user=user, role=Role.PROGRAMME_OFFICER)
    assert user_has_role(user, Role.PROGRAMME_OFFICER) and user.is_staff
    role_revoke(user=user, role=Role.PROGRAMME_OFFICER)
    assert not user_has_role(user, Role.PROGRAMME_OFFICER) and not user.is_staff
    assert [e.action for e in AuditEntry.objects.order_by("pk")] == ["role.grant", "role.revoke"]


def test_role_grant_is_idempotent(officer):
    role_grant(user=officer, role=Role.PROGRAMME_OFFICER)
    assert RoleGrant.objects.filter(user=officer).count() == 1


def test_coordinator_role_needs_a_partnership_and_only_it_is_scoped(user, registry_data):
    from escp4i.registry.models import Partnership

    with pytest.raises(DomainError):
        role_grant(user=user, role=Role.PARTNERSHIP_COORDINATOR)
    with pytest.raises(DomainError):
        role_grant(user=user, role=Role.PARTICIPANT, partnership=Partnership.objects.first())


def test_api_token_is_stored_as_digest_only(user):
    token, secret = api_token_create(user=user, name="script")
    assert secret.startswith("escp4i_") and len(secret) > 40
    token.refresh_from_db()
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert token.prefix == secret[:12]
    assert secret not in {token.digest, token.prefix, token.name}


def test_api_token_authenticate(user):
    token, secret = api_token_create(user=user, name="script")
    assert api_token_authenticate(secret=secret) == user
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert api_token_authenticate(secret=secret + "x") is None
    assert api_token_authenticate(secret="Basic abc") is None
    api_token_revoke(token=token)
    first_revocation = token.revoked_at
    assert api_token_authenticate(secret=secret) is None
    api_token_revoke(token=token)
    assert token.revoked_at == first_revocation
    assert AuditEntry.objects.filter(action="api_token.revoke").count() == 1


def test_api_token_needs_a_name_and_an_active_user(user):
    with pytest.raises(DomainError):
        api_token_create(user=user, name="  ")
    user.is_active = False
    with pytest.raises(DomainError):
        api_token_create(user=user, name="x")
    assert not ApiToken.objects.exists()
    assert User.objects.filter(pk=user.pk).exists()
