"""Account services: granting and revoking roles, user creation for an organisation."""

from __future__ import annotations

from django.db import transaction

from escp4i.accounts.models import Role, RoleGrant, User
from escp4i.core.errors import DomainError
from escp4i.registry.models import Partnership


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
        raise DomainError("A partnership coordinator role needs a partnership.")
    if role != Role.PARTNERSHIP_COORDINATOR and partnership is not None:
        raise DomainError("Only the partnership coordinator role is scoped to a partnership.")
    grant, _created = RoleGrant.objects.get_or_create(
        user=user, role=role, partnership=partnership, defaults={"granted_by": actor}
    )
    if role == Role.PROGRAMME_OFFICER and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    return grant


@transaction.atomic
def role_revoke(*, user: User, role: Role | str, partnership: Partnership | None = None) -> None:
    role = Role(role)
    RoleGrant.objects.filter(user=user, role=role, partnership=partnership).delete()
    if role == Role.PROGRAMME_OFFICER and not user.is_superuser:
        user.is_staff = False
        user.save(update_fields=["is_staff"])
