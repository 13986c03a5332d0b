"""Account services: creating users, granting and revoking roles, issuing and revoking API tokens.

Every change here writes an audit entry. API token secrets are shown once at creation and only
their SHA-256 digest is stored.
"""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from escp4i.accounts.models import ApiToken, Role, RoleGrant, User
from escp4i.accounts.selectors import roles_cache_clear
from escp4i.core.audit import audit_record
from escp4i.core.errors import Conflict, DomainError
from escp4i.registry.models import ClusterOrganisation, Partnership

TOKEN_PREFIX = "escp4i_"  # noqa: S105  # a public marker for secret scanners, not a secret
TOKEN_PREFIX_LENGTH = 12


@transaction.atomic
def user_create(
    *,
    username: str,
    email: str | None = None,
    password: str | None = None,
    organisation: ClusterOrganisation | None = None,
    actor: User | None = None,
) -> User:
    """Create a user acting for ``organisation``. Without a password the account cannot log in
    until the user sets one through the password-reset page."""
    if User.objects.filter(username__iexact=username).exists():
        raise Conflict(_("A user named %(name)r already exists.") % {"name": username})
    if email and User.objects.filter(email__iexact=email).exists():
        raise Conflict(_("A user with the e-mail %(email)r already exists.") % {"email": email})
    user = User(username=username, email=email or None, organisation=organisation)
    if password:
        validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    audit_record(
        actor=actor,
        action="user.create",
        target=user,
        data={"organisation": organisation.slug if organisation else None},
    )
    return user


@transaction.atomic
def role_grant(
    *,
    user: User,
    role: Role | str,
    partnership: Partnership | None = None,
    actor: User | None = None,
) -> RoleGrant:
    """Give ``user`` a role. Coordinator grants must name the partnership they coordinate.

    Programme officers also become staff so they can use the Django admin.
    """
    role = Role(role)
    if role == Role.PARTNERSHIP_COORDINATOR and partnership is None:
        raise DomainError(_("A partnership coordinator role needs a partnership."))
    if role != Role.PARTNERSHIP_COORDINATOR and partnership is not None:
        raise DomainError(_("Only the partnership coordinator role is scoped to a partnership."))
    grant, created = RoleGrant.objects.get_or_create(
        user=user, role=role, partnership=partnership, defaults={"granted_by": actor}
    )
    if role == Role.PROGRAMME_OFFICER and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    roles_cache_clear(user)
    if created:
        audit_record(
            actor=actor,
            action="role.grant",
            target=user,
            data={"role": role.value, "partnership": partnership.slug if partnership else None},
        )
    return grant


@transaction.atomic
def role_revoke(
    *,
    user: User,
    role: Role | str,
    partnership: Partnership | None = None,
    actor: User | None = None,
) -> None:
    role = Role(role)
    deleted, _by_model = RoleGrant.objects.filter(
        user=user, role=role, partnership=partnership
    ).delete()
    if role == Role.PROGRAMME_OFFICER and not user.is_superuser:
        user.is_staff = False
        user.save(update_fields=["is_staff"])
    roles_cache_clear(user)
    if deleted:
        audit_record(
            actor=actor,
            action="role.revoke",
            target=user,
            data={"role": role.value, "partnership": partnership.slug if partnership else None},
        )


def token_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@transaction.atomic
def api_token_create(*, user: User, name: str, actor: User | None = None) -> tuple[ApiToken, str]:
    """Issue a token for ``user``. Returns the row and the secret, which is never stored."""
    name = name.strip()
    if not name:
        raise DomainError(_("A token needs a name."))
    if not user.is_active:
        raise DomainError(_("Inactive users cannot get API tokens."))
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user, name=name, prefix=secret[:TOKEN_PREFIX_LENGTH], digest=token_digest(secret)
    )
    token.full_clean()
    token.save()
    audit_record(actor=actor or user, action="api_token.create", target=token, data={"name": name})
    return token, secret


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor: User | None = None) -> ApiToken:
    """Revoke ``token``; revoking twice keeps the first revocation time."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
        audit_record(actor=actor, action="api_token.revoke", target=token, data={})
    return token


def api_token_authenticate(*, secret: str) -> User | None:
    """The active user owning the unrevoked token ``secret``, or None. Records the use time."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=token_digest(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    # One UPDATE, no read-modify-write: concurrent requests with one token must not conflict.
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
    return token.user
