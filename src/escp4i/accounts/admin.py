"""Admin for users (with their role grants) and API tokens (prefix only, never the digest)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from escp4i.accounts.admin_site import OfficerOnlyAdmin, OfficerOnlyInline
from escp4i.accounts.lockout import login_unlock
from escp4i.accounts.models import ApiToken, RoleGrant, User
from escp4i.accounts.services import account_delete, api_token_revoke


class RoleGrantInline(OfficerOnlyInline):
    model = RoleGrant
    fk_name = "user"
    extra = 0
    fields = ("role", "partnership", "granted_by", "created_at")
    readonly_fields = ("granted_by", "created_at")
    raw_id_fields = ("partnership",)


@admin.register(User)
class EscpUserAdmin(OfficerOnlyAdmin, UserAdmin):  # type: ignore[type-arg]
    inlines = (RoleGrantInline,)
    list_display = ("username", "email", "organisation", "is_active", "is_staff", "last_login")
    list_filter = ("is_active", "is_staff", "is_superuser", "roles__role", "profile_visibility")
    search_fields = ("username", "email", "first_name", "last_name", "organisation__name")
    raw_id_fields = ("organisation",)
    fieldsets = (
        *UserAdmin.fieldsets,  # type: ignore[misc]  # stubs type fieldsets as optional
        (_("Organisation"), {"fields": ("organisation",)}),
        (_("Privacy"), {"fields": ("profile_visibility", "deleted_at")}),
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        readonly = [*super().get_readonly_fields(request, obj), "deleted_at"]
        if not request.user.is_superuser:
            # Officers manage accounts and roles, not Django's superuser/permission machinery.
            readonly += ["is_superuser", "groups", "user_permissions"]
        return readonly

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        return super().get_queryset(request).select_related("organisation")

    actions = ("erase_accounts", "unlock_login")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A hard delete would cascade away organisation records (registrations, signatures) or
        # fail on protected ones: accounts are deleted by erasing them (the action below).
        return False

    @admin.action(description=_("Delete the selected accounts and erase their personal data"))
    def erase_accounts(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        """A data-protection request handled by an officer: the same service as the user's own
        "delete my account" (personal data erased, records kept, row anonymised)."""
        actor = request.user if isinstance(request.user, User) else None
        done = 0
        for user in queryset.filter(deleted_at__isnull=True):
            account_delete(user=user, actor=actor)
            done += 1
        self.message_user(request, _("%(n)d account(s) deleted and erased.") % {"n": done})

    @admin.action(description=_("Lift the log-in lockout of the selected users"))
    def unlock_login(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        actor = request.user if isinstance(request.user, User) else None
        count = sum(
            login_unlock(username=user.username, actor=actor) for user in queryset.order_by("pk")
        )
        self.message_user(request, _("%(n)d lockout(s) lifted.") % {"n": count})


@admin.register(ApiToken)
class ApiTokenAdmin(OfficerOnlyAdmin):
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("name", "prefix", "user__username")
    fields = ("user", "name", "prefix", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("user", "prefix", "created_at", "last_used_at", "revoked_at")
    actions = ("revoke",)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        # The secret must be shown once to its owner: tokens come from create_api_token.
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[ApiToken]:
        return super().get_queryset(request).select_related("user")

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        actor = request.user if isinstance(request.user, User) else None
        for token in queryset:
            api_token_revoke(token=token, actor=actor)
