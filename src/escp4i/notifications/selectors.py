"""Notification reads: a user's inbox and unread count, their e-mail preferences, and the
notifications a digest run would pick up."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet

from escp4i.accounts.models import User
from escp4i.notifications.models import (
    DigestPeriod,
    EmailFrequency,
    Notification,
    NotificationCategory,
    NotificationPreference,
)


def notification_list(
    *, user: User, unread_only: bool = False, category: str = ""
) -> QuerySet[Notification]:
    qs = Notification.objects.filter(user=user).order_by("-created_at", "-pk")
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    if category:
        qs = qs.filter(category=category)
    return qs


def notification_unread_count(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def default_email_frequency() -> EmailFrequency:
    """The e-mail frequency of categories a user never chose (site setting)."""
    return EmailFrequency(settings.ESCP4I_NOTIFICATIONS_DEFAULT_EMAIL)


def notification_preferences(*, user: User) -> dict[NotificationCategory, EmailFrequency]:
    """``user``'s e-mail frequency for every category (the site default where none was chosen)."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("category", "email"))
    default = default_email_frequency()
    return {
        category: EmailFrequency(chosen.get(category.value, default))
        for category in NotificationCategory
    }


def notification_email_frequency(*, user: User, category: NotificationCategory) -> EmailFrequency:
    chosen = (
        NotificationPreference.objects.filter(user=user, category=category)
        .values_list("email", flat=True)
        .first()
    )
    return EmailFrequency(chosen) if chosen else default_email_frequency()


def user_can_receive_email(user: User) -> bool:
    return bool(user.is_active and user.email)


def digest_candidates(
    *, period: DigestPeriod | str, since: dt.datetime, until: dt.datetime
) -> list[tuple[int, int]]:
    """``(user id, notification id)`` of every unread notification created in [since, until]
    that no e-mail claimed yet, whose user has an address and wants its category as a
    ``period`` digest (explicitly, or as the site default)."""
    frequency = EmailFrequency(DigestPeriod(period).value)
    qs = Notification.objects.filter(
        emailed_at__isnull=True,
        digest__isnull=True,
        read_at__isnull=True,
        created_at__gte=since,
        created_at__lte=until,
        user__is_active=True,
        user__email__isnull=False,
    ).exclude(user__email="")
    preference = NotificationPreference.objects.filter(
        user_id=OuterRef("user_id"), category=OuterRef("category")
    )
    wanted = Q(Exists(preference.filter(email=frequency)))
    if default_email_frequency() == frequency:
        wanted |= ~Q(Exists(preference))
    return list(qs.filter(wanted).order_by("user_id", "pk").values_list("user_id", "pk"))
