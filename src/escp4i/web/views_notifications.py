"""The notification inbox: list with unread count, mark one or all as read."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from escp4i.accounts.models import User
from escp4i.notifications import selectors, services
from escp4i.web.views._http import paginate


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101  # behind login_required
    return user


@login_required
@require_safe
def inbox(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    return render(
        request,
        "notifications/inbox.html",
        {
            "page": paginate(request, selectors.notification_list(user=user)),
            "unread": selectors.notification_unread_count(user=user),
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
    services.notification_mark_all_read(user=_user(request))
    return redirect("notifications:inbox")
