"""The logged-in user's own account: name and visibility consent, links to notification
settings, the personal-data download (JSON) and account deletion (password confirmation)."""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from escp4i.accounts import services as account_services
from escp4i.accounts.models import ProfileVisibility, User
from escp4i.accounts.selectors import role_grant_list
from escp4i.core.errors import DomainError


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101  # behind login_required
    return user


class ProfileForm(forms.Form):
    first_name = forms.CharField(max_length=150, required=False, label=gettext_lazy("First name"))
    last_name = forms.CharField(max_length=150, required=False, label=gettext_lazy("Last name"))
    profile_visibility = forms.ChoiceField(
        choices=ProfileVisibility.choices,
        widget=forms.RadioSelect,
        label=gettext_lazy("Who may see my name and e-mail address next to my organisation"),
    )


class DeleteForm(forms.Form):
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        label=gettext_lazy("Your password"),
    )
    confirm = forms.BooleanField(
        label=gettext_lazy("I understand that this cannot be undone."), required=True
    )


@login_required
@require_http_methods(["GET", "POST"])
def account_detail(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = ProfileForm(
        request.POST or None,
        initial={
            "first_name": user.first_name,
            "last_name": user.last_name,
            "profile_visibility": user.profile_visibility,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            account_services.profile_update(user=user, actor=user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect("account:detail")
    return render(
        request,
        "account/detail.html",
        {"form": form, "account": user, "roles": role_grant_list(user=user)},
    )


@login_required
@require_safe
def account_export(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    data = account_services.account_data_export(user=user)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="escp4i-my-data.json"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = DeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account_services.account_delete(
                user=user, actor=user, password=form.cleaned_data["password"]
            )
        except DomainError as exc:
            form.add_error("password" if exc.extra.get("field") else None, exc.message)
        else:
            logout(request)
            messages.success(
                request, _("Your account is deleted and your personal data is erased.")
            )
            return redirect("web:home")
    return render(request, "account/delete.html", {"form": form})
