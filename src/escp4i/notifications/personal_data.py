"""Personal data of the notifications app (contract: core/privacy.py): the person's inbox, their
e-mail preferences and digest e-mails. Erasure deletes all three."""

from __future__ import annotations

from typing import Any

from escp4i.accounts.models import User
from escp4i.notifications.models import DigestBatch, Notification, NotificationPreference

MODELS = (
    "notifications.Notification",
    "notifications.NotificationPreference",
    "notifications.DigestBatch",
)


def export(user: User) -> dict[str, Any]:
    return {
        "notifications": list(
            Notification.objects.filter(user=user)
            .order_by("created_at", "pk")
            .values(
                "created_at", "kind", "category", "title", "body", "url", "read_at", "emailed_at"
            )
        ),
        "email_preferences": list(
            NotificationPreference.objects.filter(user=user).values(
                "category", "email", "updated_at"
            )
        ),
        "digests": list(
            DigestBatch.objects.filter(user=user).values(
                "period", "created_at", "sent_at", "notification_count"
            )
        ),
    }


def erase(user: User) -> None:
    Notification.objects.filter(user=user).delete()
    DigestBatch.objects.filter(user=user).delete()
    NotificationPreference.objects.filter(user=user).delete()
