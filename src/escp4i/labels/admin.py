from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from escp4i.accounts.admin_site import OfficerOnlyAdmin
from escp4i.labels.models import (
    CharterSignature,
    CharterVersion,
    Label,
    LabelEvent,
    LabelReminder,
    RepresentativeAuthorisation,
)

# Officers only. Labels, signatures and the trail are read-only here: every change must go
# through the services (labels/services.py), which check the workflow, lock the row and audit.
# Publish charter versions with ``charter_version_publish`` (seed_labels, API) for the same reason.


class ReadOnlyAdmin(OfficerOnlyAdmin):
    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(CharterVersion)
class CharterVersionAdmin(ReadOnlyAdmin):
    list_display = ("version", "title", "published_at", "sha256")


@admin.register(Label)
class LabelAdmin(ReadOnlyAdmin):
    list_display = ("public_id", "sequence", "partnership", "state", "valid_from", "valid_until")
    list_filter = ("state",)
    search_fields = ("public_id", "partnership__acronym")


@admin.register(CharterSignature)
class CharterSignatureAdmin(ReadOnlyAdmin):
    list_display = ("partnership", "organisation", "charter_version", "signed_by", "signed_at")
    search_fields = ("partnership__acronym", "organisation__name")


@admin.register(LabelEvent)
class LabelEventAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "label", "action", "from_state", "to_state", "actor")
    list_filter = ("action",)


@admin.register(LabelReminder)
class LabelReminderAdmin(ReadOnlyAdmin):
    list_display = ("label", "lead_days", "sent_at")


@admin.register(RepresentativeAuthorisation)
class RepresentativeAuthorisationAdmin(ReadOnlyAdmin):
    list_display = ("organisation", "user", "granted_by", "created_at", "revoked_at")
