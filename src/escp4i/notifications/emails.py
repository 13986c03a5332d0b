"""The e-mails of the notifications app: one notification, or a digest grouped by category.

Every message is multipart (plain text and HTML, from ``notifications/email/*``), links are
absolute (``ESCP4I_SITE_URL``) and it carries a one-click unsubscribe link in the body and in the
RFC 8058 headers (``List-Unsubscribe`` plus ``List-Unsubscribe-Post``). The link switches e-mail
off for the categories the message is about, without logging in.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from escp4i.accounts.models import User
from escp4i.notifications.models import DigestPeriod, Notification, NotificationCategory
from escp4i.notifications.tokens import unsubscribe_token


def absolute_url(path: str) -> str:
    """``path`` on the public site (links in e-mails cannot be relative)."""
    if not path or path.startswith(("http://", "https://")):
        return path
    return settings.ESCP4I_SITE_URL.rstrip("/") + "/" + path.lstrip("/")


def unsubscribe_url(*, user_id: int, categories: Iterable[str]) -> str:
    token = unsubscribe_token(user_id=user_id, categories=categories)
    return absolute_url(reverse("notifications:unsubscribe", kwargs={"token": token}))


def _headers(url: str) -> dict[str, str]:
    return {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Auto-Submitted": "auto-generated",  # RFC 3834: no vacation auto-replies, please
    }


def _message(
    *, user: User, subject: str, template: str, context: dict[str, object], unsubscribe: str
) -> EmailMultiAlternatives:
    assert user.email  # noqa: S101  # callers skip users without an address
    context = {
        **context,
        "user": user,
        "unsubscribe_url": unsubscribe,
        "preferences_url": absolute_url(reverse("notifications:preferences")),
        "site_url": settings.ESCP4I_SITE_URL,
    }
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"notifications/email/{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        headers=_headers(unsubscribe),
    )
    message.attach_alternative(
        render_to_string(f"notifications/email/{template}.html", context), "text/html"
    )
    return message


def notification_email(notification: Notification) -> EmailMultiAlternatives:
    category = NotificationCategory(notification.category)
    return _message(
        user=notification.user,
        subject=notification.title,
        template="notification",
        context={
            "notification": notification,
            "link": absolute_url(notification.url),
            "category": category.label,
        },
        unsubscribe=unsubscribe_url(user_id=notification.user_id, categories=[category]),
    )


@dataclass(frozen=True, slots=True)
class DigestSection:
    category: NotificationCategory
    label: str
    unsubscribe_url: str
    items: list[tuple[Notification, str]]  # notification, absolute link


def digest_sections(*, user_id: int, notifications: Sequence[Notification]) -> list[DigestSection]:
    """The digest's notifications grouped by category (in category order, newest first)."""
    sections = []
    for category in NotificationCategory:
        items = [
            (n, absolute_url(n.url))
            for n in sorted(notifications, key=lambda n: (n.created_at, n.pk), reverse=True)
            if n.category == category
        ]
        if items:
            sections.append(
                DigestSection(
                    category=category,
                    label=str(category.label),
                    unsubscribe_url=unsubscribe_url(user_id=user_id, categories=[category]),
                    items=items,
                )
            )
    return sections


def digest_email(
    *, user: User, period: DigestPeriod, notifications: Sequence[Notification]
) -> EmailMultiAlternatives:
    sections = digest_sections(user_id=user.pk, notifications=notifications)
    subject = (
        _("Your daily escp4i digest: %(n)d new notifications")
        if period == DigestPeriod.DAILY
        else _("Your weekly escp4i digest: %(n)d new notifications")
    ) % {"n": len(notifications)}
    return _message(
        user=user,
        subject=subject,
        template="digest",
        context={
            "sections": sections,
            "period": period,
            "count": len(notifications),
            "inbox_url": absolute_url(reverse("notifications:inbox")),
        },
        unsubscribe=unsubscribe_url(user_id=user.pk, categories=[s.category for s in sections]),
    )
