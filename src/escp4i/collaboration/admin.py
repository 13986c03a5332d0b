"""Admin for support services, policy dialogues, partner searches and the forum (programme
officers only)."""

from __future__ import annotations

from django.contrib import admin

from escp4i.accounts.admin_site import OfficerOnlyAdmin, OfficerOnlyInline
from escp4i.collaboration.models import (
    ForumPost,
    ForumSpace,
    ForumThread,
    PartnerSearch,
    PartnerSearchComment,
    PartnerSearchInterest,
    PolicyDialogue,
    SupportService,
    SupportServiceKind,
)


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


# --- partner search and forum ----------------------------------------------------------------
# Content is written by users through the site; here officers read it, and moderate it on the
# site (hide with a reason, lock) so that the audit trail and the notifications follow. The
# sanitised HTML is never editable, and the Markdown source only through the site's edit rules.

_MODERATION = ("hidden_at", "hidden_by", "hidden_reason")


class PartnerSearchInterestInline(OfficerOnlyInline):
    model = PartnerSearchInterest
    extra = 0
    fields = ("organisation", "user", "message", "created_at", "withdrawn_at")
    readonly_fields = fields
    can_delete = False


class PartnerSearchCommentInline(OfficerOnlyInline):
    model = PartnerSearchComment
    extra = 0
    fields = ("author", "organisation", "body", "created_at", *_MODERATION)
    readonly_fields = fields
    can_delete = False


@admin.register(PartnerSearch)
class PartnerSearchAdmin(OfficerOnlyAdmin):
    list_display = (
        "title",
        "organisation",
        "kind",
        "status",
        "deadline",
        "hidden_at",
        "is_synthetic",
    )
    list_filter = ("kind", "status", "is_synthetic", "sectors")
    search_fields = ("title", "description", "organisation__name")
    date_hierarchy = "created_at"
    raw_id_fields = ("organisation", "author", "closed_by", "hidden_by")
    filter_horizontal = ("sectors", "countries_sought", "target_countries", "target_regions")
    readonly_fields = (
        "status",
        "outcome",
        "outcome_note",
        "closed_at",
        "closed_by",
        *_MODERATION,
        "created_at",
        "updated_at",
    )
    inlines = (PartnerSearchInterestInline, PartnerSearchCommentInline)


@admin.register(ForumSpace)
class ForumSpaceAdmin(OfficerOnlyAdmin):
    list_display = ("name", "kind", "slug", "archived_at")
    list_filter = ("kind",)
    search_fields = ("name", "slug")
    readonly_fields = ("slug", "kind", "partnership", "sector", "country", "region", "archived_at")


class ForumPostInline(OfficerOnlyInline):
    model = ForumPost
    extra = 0
    fields = ("author", "organisation", "body", "created_at", "edited_at", *_MODERATION)
    readonly_fields = fields
    can_delete = False


@admin.register(ForumThread)
class ForumThreadAdmin(OfficerOnlyAdmin):
    list_display = ("title", "space", "author", "last_activity_at", "locked_at", "hidden_at")
    list_filter = ("space__kind", "is_synthetic")
    search_fields = ("title", "space__name")
    raw_id_fields = ("space", "author", "organisation", "locked_by", "hidden_by")
    readonly_fields = ("last_activity_at", "locked_at", "locked_by", *_MODERATION)
    inlines = (ForumPostInline,)


@admin.register(ForumPost)
class ForumPostAdmin(OfficerOnlyAdmin):
    list_display = ("__str__", "created_at", "edited_at", "hidden_at", "is_synthetic")
    list_filter = ("thread__space__kind", "is_synthetic")
    search_fields = ("body", "thread__title")
    raw_id_fields = ("thread", "author", "organisation", "hidden_by")
    readonly_fields = ("body", "body_html", "edited_at", *_MODERATION)
