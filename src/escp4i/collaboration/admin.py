"""Admin for support services and policy dialogues (programme officers only)."""

from __future__ import annotations

from django.contrib import admin

from escp4i.accounts.admin_site import OfficerOnlyAdmin, OfficerOnlyInline
from escp4i.collaboration.models import PolicyDialogue, SupportService, SupportServiceKind


class SupportServiceKindInline(OfficerOnlyInline):
    model = SupportServiceKind
    extra = 0


@admin.register(SupportService)
class SupportServiceAdmin(OfficerOnlyAdmin):
    inlines = (SupportServiceKindInline,)
    list_display = ("name", "is_general", "website")
    list_filter = ("is_general", "kind_rows__kind")
    search_fields = ("name", "description")
    filter_horizontal = ("countries", "regions")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(PolicyDialogue)
class PolicyDialogueAdmin(OfficerOnlyAdmin):
    list_display = ("title", "instrument", "date_text")
    list_filter = ("instrument", "countries")
    search_fields = ("title", "parties", "summary")
    filter_horizontal = ("countries",)
    prepopulated_fields = {"slug": ("title",)}
