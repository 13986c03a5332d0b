"""Personal data of the accounts app (contract: core/privacy.py): the profile, roles, API tokens
(metadata only, never the digest), the admin's change log, and the sessions.

The user row itself becomes a tombstone in ``accounts.services.account_delete`` after every hook
ran; this hook removes role grants, revokes and renames tokens, scrubs the admin log entries
about the person and ends their sessions.
"""

from __future__ import annotations

from typing import Any

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.utils import timezone

from escp4i.accounts.models import ApiToken, RoleGrant, User
from escp4i.core.models import AuditEntry
from escp4i.core.privacy import ERASED, identifiers, scrub_text

MODELS = ("accounts.User", "accounts.RoleGrant", "accounts.ApiToken", "admin.LogEntry")


def export(user: User) -> dict[str, Any]:
    organisation = user.organisation
    return {
        "profile": {
            "username": user.username,
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
            "is_active": user.is_active,
            "organisation": (
                {"name": organisation.name, "slug": organisation.slug}
                if organisation is not None
                else None
            ),
            "profile_visibility": user.profile_visibility,
        },
        "roles": [
            {
                "role": g.role,
                "partnership": g.partnership.acronym if g.partnership else None,
                "granted_at": g.created_at,
            }
            for g in RoleGrant.objects.filter(user=user).select_related("partnership")
        ],
        "api_tokens": list(
            ApiToken.objects.filter(user=user).values(
                "name", "prefix", "created_at", "last_used_at", "revoked_at"
            )
        ),
        "admin_actions": list(
            LogEntry.objects.filter(user=user).values(
                "action_time", "object_repr", "action_flag", "change_message"
            )
        ),
    }


def _end_sessions(user: User) -> int:
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            session.delete()
            ended += 1
    return ended


def erase(user: User) -> None:
    values = identifiers(user)
    RoleGrant.objects.filter(user=user).delete()
    tokens = list(ApiToken.objects.filter(user=user).values_list("pk", flat=True))
    ApiToken.objects.filter(pk__in=tokens, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    ApiToken.objects.filter(pk__in=tokens).update(name=ERASED)
    AuditEntry.objects.filter(
        target_model="accounts.apitoken", target_pk__in=map(str, tokens)
    ).update(target_repr=ERASED)
    user_type = ContentType.objects.get_for_model(User)
    LogEntry.objects.filter(content_type=user_type, object_id=str(user.pk)).update(
        object_repr=ERASED, change_message=""
    )
    for entry in LogEntry.objects.filter(user=user):
        scrubbed = scrub_text(entry.object_repr, values)
        if scrubbed != entry.object_repr:
            LogEntry.objects.filter(pk=entry.pk).update(object_repr=scrubbed)
    user.groups.clear()
    user.user_permissions.clear()
    _end_sessions(user)
