"""Account reads: a user's roles, and the access checks every write path goes through.

``access_*_for_edit`` selectors are the only way a view, an API operation or a service gets a
registry row it is about to change. Registry data is public, so a missing row is ``NotFound`` and
a row the actor may not edit is ``PermissionDenied`` (403): hiding existence would protect nothing.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from escp4i.accounts.models import ApiToken, ProfileVisibility, Role, RoleGrant, User
from escp4i.core.errors import NotFound, PermissionDenied
from escp4i.registry.models import ClusterOrganisation, Partnership

AnyUser = User | AnonymousUser

# Cached on the user object for the length of a request, so several checks cost one query.
_ROLE_CACHE = "_escp4i_role_grants"


def _grants(user: AnyUser) -> list[tuple[str, int | None]]:
    if not user.is_authenticated or not user.is_active:
        return []
    cached: list[tuple[str, int | None]] | None = getattr(user, _ROLE_CACHE, None)
    if cached is None:
        cached = list(RoleGrant.objects.filter(user=user).values_list("role", "partnership_id"))
        setattr(user, _ROLE_CACHE, cached)
    return cached


def roles_cache_clear(user: AnyUser) -> None:
    """Forget the roles cached on ``user`` (after a grant or revoke)."""
    user.__dict__.pop(_ROLE_CACHE, None)


def user_roles(user: AnyUser) -> set[str]:
    """The role values (``Role``) the user holds, scoped or not. Empty for anonymous users."""
    return {role for role, _partnership in _grants(user)}


def user_has_role(user: AnyUser, role: Role | str) -> bool:
    return Role(role).value in user_roles(user)


def user_is_officer(user: AnyUser) -> bool:
    """Programme officers and superusers may do anything an officer may (admin, imports)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return user_has_role(user, Role.PROGRAMME_OFFICER)


def user_coordinated_partnership_ids(user: AnyUser) -> set[int]:
    return {
        partnership_id
        for role, partnership_id in _grants(user)
        if role == Role.PARTNERSHIP_COORDINATOR and partnership_id is not None
    }


def require_role(*, actor: AnyUser, role: Role | str) -> None:
    """Raise PermissionDenied unless ``actor`` holds ``role`` (officers and superusers pass too)."""
    wanted = Role(role)
    if user_is_officer(actor):
        return
    if user_has_role(actor, wanted):
        return
    raise PermissionDenied(
        _("This needs the %(role)s role.") % {"role": wanted.label}, role=wanted.value
    )


def partnership_can_edit(*, actor: AnyUser, partnership: Partnership) -> bool:
    if user_is_officer(actor):
        return True
    return partnership.pk in user_coordinated_partnership_ids(actor)


def organisation_can_edit(*, actor: AnyUser, organisation: ClusterOrganisation) -> bool:
    if user_is_officer(actor):
        return True
    if not user_has_role(actor, Role.CLUSTER_MANAGER):
        return False
    return getattr(actor, "organisation_id", None) == organisation.pk


def access_partnership_for_edit(*, actor: AnyUser, slug: str) -> Partnership:
    """The partnership ``slug`` if ``actor`` may edit it.

    Allowed: programme officers (and superusers), and coordinators whose role grant is scoped to
    this partnership. Raises NotFound (no such slug) or PermissionDenied.
    """
    partnership = Partnership.objects.select_related("generation").filter(slug=slug).first()
    if partnership is None:
        raise NotFound(_("No partnership %(slug)r.") % {"slug": slug}, slug=slug)
    if not partnership_can_edit(actor=actor, partnership=partnership):
        raise PermissionDenied(
            _("You may not edit the partnership %(name)s.") % {"name": partnership.acronym},
            slug=slug,
        )
    return partnership


def access_organisation_for_edit(*, actor: AnyUser, slug: str) -> ClusterOrganisation:
    """The organisation ``slug`` if ``actor`` may edit it.

    Allowed: programme officers (and superusers), and cluster managers acting for this very
    organisation (``user.organisation``). Raises NotFound (no such slug) or PermissionDenied.
    """
    organisation = ClusterOrganisation.objects.select_related("country").filter(slug=slug).first()
    if organisation is None:
        raise NotFound(_("No organisation %(slug)r.") % {"slug": slug}, slug=slug)
    if not organisation_can_edit(actor=actor, organisation=organisation):
        raise PermissionDenied(
            _("You may not edit the organisation %(name)s.") % {"name": organisation.name},
            slug=slug,
        )
    return organisation


def partnerships_editable_by(*, actor: AnyUser) -> QuerySet[Partnership]:
    """Partnerships ``actor`` may edit (all of them for officers), for "my profiles" lists."""
    qs = Partnership.objects.select_related("generation").order_by("generation__code", "acronym")
    if user_is_officer(actor):
        return qs
    return qs.filter(pk__in=user_coordinated_partnership_ids(actor))


def organisations_editable_by(*, actor: AnyUser) -> QuerySet[ClusterOrganisation]:
    """Organisations ``actor`` may edit (all of them for officers)."""
    qs = ClusterOrganisation.objects.select_related("country").order_by("name")
    if user_is_officer(actor):
        return qs
    organisation_id = getattr(actor, "organisation_id", None)
    if organisation_id is None or not user_has_role(actor, Role.CLUSTER_MANAGER):
        return qs.none()
    return qs.filter(pk=organisation_id)


def role_grant_list(*, user: User) -> QuerySet[RoleGrant]:
    return RoleGrant.objects.filter(user=user).select_related("partnership").order_by("role", "pk")


def api_token_list(*, user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at")


def person_visible_to(
    *, person: User, viewer: AnyUser, co_participant: bool = False, manages: bool = False
) -> bool:
    """Whether ``viewer`` may see ``person``'s name and e-mail address (their consent,
    ``User.profile_visibility``). ``co_participant``: the viewer takes part in an event with the
    person; ``manages``: the viewer organises what the person registered for. Programme
    officers and the person themselves always may; nobody sees a deleted account."""
    if person.is_deleted:
        return False
    if viewer.is_authenticated and viewer.pk == person.pk:
        return True
    if manages or user_is_officer(viewer):
        return True
    if person.profile_visibility == ProfileVisibility.PUBLIC:
        return True
    return person.profile_visibility == ProfileVisibility.PARTICIPANTS and co_participant
