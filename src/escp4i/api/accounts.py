"""The authenticated user's own account: who am I, for which organisation, with which roles."""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from escp4i.accounts.models import Role, RoleGrant
from escp4i.accounts.selectors import role_grant_list, user_is_officer
from escp4i.api.auth import actor, token_auth

router = Router(tags=["accounts"])


class MeOrganisationOut(Schema):
    slug: str
    name: str
    country: str


class MeRoleOut(Schema):
    role: str
    label: str
    partnership: str | None

    @staticmethod
    def resolve_label(obj: RoleGrant) -> str:
        return str(Role(obj.role).label)

    @staticmethod
    def resolve_partnership(obj: RoleGrant) -> str | None:
        return obj.partnership.slug if obj.partnership else None


class MeOut(Schema):
    username: str
    email: str | None
    organisation: MeOrganisationOut | None
    roles: list[MeRoleOut]
    is_officer: bool


@router.get("/me", auth=token_auth, response=MeOut)
def me(request: HttpRequest) -> dict[str, Any]:
    user = actor(request)
    organisation = user.organisation
    return {
        "username": user.username,
        "email": user.email,
        "organisation": (
            {
                "slug": organisation.slug,
                "name": organisation.name,
                "country": organisation.country_id,
            }
            if organisation
            else None
        ),
        "roles": list(role_grant_list(user=user)),
        "is_officer": user_is_officer(user),
    }
