"""Log-in forms and view with throttling (accounts/lockout.py), for the site and the admin."""

from __future__ import annotations

import math
from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.http import HttpResponse
from django.utils.translation import ngettext

from escp4i.accounts.lockout import (
    login_failure_record,
    login_lock_remaining,
    login_success_record,
)
from escp4i.core.ratelimit import client_ip


def lockout_message(seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return ngettext(
        "Too many failed log-in attempts. Try again in %(n)d minute, or ask a programme "
        "officer to unlock the account.",
        "Too many failed log-in attempts. Try again in %(n)d minutes, or ask a programme "
        "officer to unlock the account.",
        minutes,
    ) % {"n": minutes}


class ThrottledLoginMixin:
    """Refuses log-ins while the name or address is locked; counts wrong credentials."""

    request: Any
    cleaned_data: dict[str, Any]
    user_cache: Any
    locked_for: int = 0

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if not username or not password:
            return super().clean()  # type: ignore[misc, no-any-return]  # the form's own clean
        ip = client_ip(self.request.META) if self.request is not None else "unknown"
        remaining = login_lock_remaining(username=username, ip=ip)
        if remaining:
            self.locked_for = remaining
            raise forms.ValidationError(lockout_message(remaining), code="locked")
        try:
            cleaned: dict[str, Any] = super().clean()  # type: ignore[misc]  # the form's own clean
        except forms.ValidationError:
            if self.user_cache is None:  # wrong credentials, not an inactive/non-staff account
                remaining = login_failure_record(username=username, ip=ip)
                if remaining:
                    self.locked_for = remaining
                    raise forms.ValidationError(lockout_message(remaining), code="locked") from None
            raise
        login_success_record(username=username)
        return cleaned


class ThrottledAuthenticationForm(ThrottledLoginMixin, AuthenticationForm):
    pass


class ThrottledAdminAuthenticationForm(ThrottledLoginMixin, AdminAuthenticationForm):
    pass


class ThrottledLoginView(LoginView):
    """The site's log-in page; a locked log-in answers 429 with Retry-After."""

    authentication_form = ThrottledAuthenticationForm

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_invalid(form)
        locked_for = getattr(form, "locked_for", 0)
        if locked_for:
            response.status_code = 429
            response["Retry-After"] = str(locked_for)
        return response
