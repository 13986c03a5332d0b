"""Template context shared by every page."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


def _unread(request: HttpRequest) -> int:
    from escp4i.accounts.models import User
    from escp4i.notifications.selectors import notification_unread_count

    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        return 0
    return notification_unread_count(user=user)


def site(request: HttpRequest) -> dict[str, object]:
    # Lazy: one COUNT query only on pages that show the navigation to a logged-in user.
    return {
        "site_name": "escp4i",
        "unread_notifications": SimpleLazyObject(lambda: _unread(request)),
    }
