"""Account services: creating users, granting and revoking roles, issuing and revoking API tokens,
the profile and its visibility, the personal-data export and account deletion.

Every change here writes an audit entry. API token secrets are shown once at creation and only
their SHA-256 digest is stored. Export and deletion go through the per-app personal-data hooks
(core/privacy.py, docs/privacy.md).
"""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from escp4i.accounts.models import ApiToken, ProfileVisibility, Role, RoleGrant, User
from escp4i.accounts.selectors import roles_cache_clear, user_is_officer
from escp4i.core.audit import audit_record
from escp4i.core.errors import Conflict, DomainError, PermissionDenied
from escp4i.core.privacy import personal_data_erase, personal_data_export
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


# --- privacy: profile visibility, data export, account deletion -------------------------------


@transaction.atomic
def profile_update(
    *,
    user: User,
    first_name: str,
    last_name: str,
    profile_visibility: ProfileVisibility | str,
    actor: User | None = None,
) -> User:
    """Change ``user``'s name and who may see it with their e-mail address (their consent; the
    audit trail records each change of it)."""
    visibility = ProfileVisibility(profile_visibility)
    previous = user.profile_visibility
    user.first_name = first_name.strip()
    user.last_name = last_name.strip()
    user.profile_visibility = visibility
    user.full_clean(exclude=["password"])
    user.save(update_fields=["first_name", "last_name", "profile_visibility"])
    if previous != visibility:
        audit_record(
            actor=actor or user,
            action="account.visibility",
            target=user,
            data={"from": previous, "to": visibility.value},
        )
    return user


def account_data_export(*, user: User) -> dict[str, object]:
    """Everything personal stored about ``user``, one section per app (core/privacy.py), as
    JSON-ready data. The export itself is audited (without its content)."""
    audit_record(actor=user, action="account.export", target=user, data={})
    return {
        "format": "escp4i-personal-data/1",
        "generated_at": timezone.now(),
        "user_id": user.pk,
        "sections": personal_data_export(user),
    }


@transaction.atomic
def account_delete(*, user: User, actor: User | None, password: str | None = None) -> User:
    """Delete ``user``'s account: every app erases or anonymises its personal data, then the
    row becomes an anonymous tombstone ("deleted user") that keeps the person's past actions
    attributable to nobody. Organisation records stay. Tokens are revoked, sessions ended.

    The person confirms with their password; a programme officer acting on a request (or a
    management command, ``actor=None``) needs none. Raises PermissionDenied or DomainError.
    """
    if user.is_deleted:
        raise Conflict(_("This account is already deleted."))
    if actor is not None and actor.pk == user.pk:
        if not password or not user.check_password(password):
            raise DomainError(_("The password is not correct."), field="password")
    elif actor is not None and not user_is_officer(actor):
        raise PermissionDenied(_("You may only delete your own account."))
    hooks = personal_data_erase(user)
    user.username = f"deleted-{secrets.token_hex(8)}"
    user.email = None
    user.first_name = ""
    user.last_name = ""
    user.set_unusable_password()
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.last_login = None
    user.organisation = None
    user.profile_visibility = ProfileVisibility.PRIVATE
    user.deleted_at = timezone.now()
    user.save()
    roles_cache_clear(user)
    audit_record(
        actor=None if actor is None or actor.pk == user.pk else actor,
        action="account.delete",
        target=user,
        data={
            "by": "self"
            if actor is not None and actor.pk == user.pk
            else "officer"
            if actor is not None
            else "system",
            "erased_by": hooks,
        },
    )
    return user
