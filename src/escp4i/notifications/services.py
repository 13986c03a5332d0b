"""Notification writes: send (in-app row + e-mail after commit), mark read."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from escp4i.accounts.models import User
from escp4i.notifications.models import Notification, NotificationKind

logger = logging.getLogger(__name__)


def _email(notification_id: int) -> None:
    notification = Notification.objects.select_related("user").filter(pk=notification_id).first()
    if notification is None or not notification.user.email:
        return
    body = notification.body
    if notification.url:
        body = f"{body}\n\n{notification.url}"
    send_mail(
        subject=notification.title,
        message=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[notification.user.email],
        fail_silently=False,
    )
    Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())


@transaction.atomic
def notification_send(
    *, user: User, kind: NotificationKind | str, title: str, body: str = "", url: str = ""
) -> Notification:
    """Store an in-app notification for ``user`` and e-mail it once the transaction commits."""
    notification = Notification(
        user=user, kind=NotificationKind(kind), title=title[:255], body=body, url=url[:500]
    )
    notification.full_clean()
    notification.save()
    notification_id = notification.pk
    transaction.on_commit(lambda: _email(notification_id))
    return notification


@transaction.atomic
def notification_mark_read(*, user: User, notification_id: int) -> int:
    """Mark one of ``user``'s notifications read; returns the number of rows changed (0 or 1)."""
    return Notification.objects.filter(user=user, pk=notification_id, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def notification_mark_all_read(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
