"""The Django admin for programme officers only.

Install it by replacing ``"django.contrib.admin"`` in INSTALLED_APPS with
``"escp4i.accounts.admin_config.OfficerAdminConfig"``; ``admin.site`` then is an
``OfficerAdminSite``.
The model admins also check the officer role themselves (``OfficerOnlyAdmin``), so a staff flag
alone never opens the registry or account tables.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from escp4i.accounts.selectors import user_is_officer

# Django 6 changes URLField's default scheme to https; say so now (and silence the warning).
_FORMFIELD_OVERRIDES: Mapping[type[models.Field[Any, Any]], Mapping[str, Any]] = {
    models.URLField: {"assume_scheme": "https"}
}


class OfficerAdminSite(admin.AdminSite):
    site_header = _("escp4i administration")
    site_title = _("escp4i admin")

    @property
    def login_form(self) -> type[Any]:  # type: ignore[override]  # Django declares an attribute
        # Imported late: the forms module imports the admin's forms, which need this site.
        from escp4i.accounts.login import ThrottledAdminAuthenticationForm

        return ThrottledAdminAuthenticationForm

    def has_permission(self, request: HttpRequest) -> bool:
        """Active superusers and active programme officers."""
        return user_is_officer(request.user)


class OfficerOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # mixin for any model
    """Officers (and superusers) get full model permissions; nobody else gets any."""

    formfield_overrides = _FORMFIELD_OVERRIDES

    def has_module_permission(self, request: HttpRequest) -> bool:
        return user_is_officer(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return user_is_officer(request.user)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return user_is_officer(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return user_is_officer(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return user_is_officer(request.user)


class OfficerOnlyInline(admin.TabularInline):  # type: ignore[type-arg]  # base for any model
    """The same rule for inlines."""

    formfield_overrides = _FORMFIELD_OVERRIDES

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return user_is_officer(request.user)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return user_is_officer(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return user_is_officer(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return user_is_officer(request.user)
