"""Notification pages: the inbox (filters, pagination, mark one or all read), the e-mail
preferences of the logged-in user, and the one-click unsubscribe page of the e-mails.

The unsubscribe URL needs no login: its signed token names the user and the categories. A GET
only shows what the link will switch off, with one button; the POST (that button, or the mail
client's RFC 8058 one-click POST) switches it off. Link scanners that fetch every URL of a
message therefore never unsubscribe anybody.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from escp4i.accounts.models import User
from escp4i.core.errors import DomainError
from escp4i.notifications import selectors, services
from escp4i.notifications.models import EmailFrequency, NotificationCategory
from escp4i.web.views._http import paginate, render_page_or_fragment


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101  # behind login_required
    return user


class InboxFilters(forms.Form):
    unread = forms.BooleanField(required=False, label=gettext_lazy("Unread only"))
    category = forms.ChoiceField(
        choices=[("", gettext_lazy("All topics")), *NotificationCategory.choices],
        required=False,
        label=gettext_lazy("Topic"),
    )


class PreferencesForm(forms.Form):
    """One e-mail frequency per category; in-app notifications are always kept."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]  # Form's loose signature
        for category in NotificationCategory:
            self.fields[category.value] = forms.ChoiceField(
                choices=EmailFrequency.choices,
                label=category.label,
                widget=forms.RadioSelect,
            )


@login_required
@require_safe
def inbox(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    filters = InboxFilters(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    notifications = selectors.notification_list(
        user=user, unread_only=bool(data.get("unread")), category=data.get("category") or ""
    )
    return render_page_or_fragment(
        request,
        "notifications/inbox.html",
        "notifications/_inbox_results.html",
        {
            "page": paginate(request, notifications),
            "unread": selectors.notification_unread_count(user=user),
            "filters": filters,
            "filtered": bool(data.get("unread") or data.get("category")),
        },
    )


@login_required
@require_POST
def read(request: HttpRequest, notification_id: int) -> HttpResponse:
    user = _user(request)
    services.notification_mark_read(user=user, notification_id=notification_id)
    target = selectors.notification_list(user=user).filter(pk=notification_id).first()
    if target is not None and target.url.startswith("/") and not target.url.startswith("//"):
        return redirect(target.url)
    return redirect("notifications:inbox")


@login_required
@require_POST
def read_all(request: HttpRequest) -> HttpResponse:
    count = services.notification_mark_all_read(user=_user(request))
    if count:
        messages.success(request, _("All notifications are marked as read."))
    return redirect("notifications:inbox")


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    current = selectors.notification_preferences(user=user)
    form = PreferencesForm(
        request.POST or None, initial={c.value: f.value for c, f in current.items()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.notification_preferences_set(user=user, values=form.cleaned_data, actor=user)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Your notification settings are saved."))
            return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


@csrf_exempt  # RFC 8058: mail clients POST without cookies; the signed token is the credential
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        if request.method == "POST":
            result = services.notification_unsubscribe(token=token)
            done = True
        else:
            result = services.unsubscribe_check(token=token)
            done = False
    except services.UnsubscribeLinkInvalid as exc:
        expired = isinstance(exc, services.UnsubscribeLinkExpired)
        return render(
            request,
            "notifications/unsubscribe.html",
            {"error": exc.message, "expired": expired},
            status=410 if expired else 400,
        )
    context = {
        "done": done,
        "token": token,
        "categories": [c.label for c in result.categories],
    }
    return render(request, "notifications/unsubscribe.html", context)
