"""Notification writes: send (in-app row, e-mail after commit when the user wants it at once),
mark read, e-mail preferences, one-click unsubscribe and the daily/weekly digests.

A notification is e-mailed at most once. Whoever e-mails it first claims it with one conditional
UPDATE (``emailed_at IS NULL``; a digest also sets ``digest``) and only then sends; a second
claim, a re-run of the digest job or a concurrent worker finds nothing left to claim. A crash
between the claim and the SMTP hand-over therefore loses that e-mail (the in-app row stays):
at-most-once is the promise, never a duplicate.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from escp4i.accounts.models import User
from escp4i.core.audit import audit_record
from escp4i.core.errors import DomainError
from escp4i.notifications import emails, selectors
from escp4i.notifications.categories import category_of
from escp4i.notifications.models import (
    DigestBatch,
    DigestPeriod,
    EmailFrequency,
    Notification,
    NotificationCategory,
    NotificationKind,
    NotificationPreference,
)
from escp4i.notifications.tokens import TokenExpired, TokenInvalid, unsubscribe_token_read

logger = logging.getLogger(__name__)

PERIOD_LENGTH = {
    DigestPeriod.DAILY: dt.timedelta(days=1),
    DigestPeriod.WEEKLY: dt.timedelta(days=7),
}
# A digest looks back two periods: one missed run loses nothing, and switching a category from
# "off" to a digest does not mail months of old notifications.
LOOKBACK_PERIODS = 2


class UnsubscribeLinkInvalid(DomainError):
    code = "unsubscribe_link_invalid"
    status = 400


class UnsubscribeLinkExpired(UnsubscribeLinkInvalid):
    code = "unsubscribe_link_expired"


def _claim(notification_ids: list[int], *, now: dt.datetime, digest: DigestBatch | None) -> int:
    return Notification.objects.filter(
        pk__in=notification_ids, emailed_at__isnull=True, digest__isnull=True
    ).update(emailed_at=now, digest=digest)


def _email_now(notification_id: int) -> bool:
    """E-mail one notification if its user wants this category at once; True when sent."""
    notification = Notification.objects.select_related("user").filter(pk=notification_id).first()
    if notification is None or not selectors.user_can_receive_email(notification.user):
        return False
    frequency = selectors.notification_email_frequency(
        user=notification.user, category=NotificationCategory(notification.category)
    )
    if frequency != EmailFrequency.IMMEDIATE:
        return False
    if not _claim([notification.pk], now=timezone.now(), digest=None):
        return False
    try:
        emails.notification_email(notification).send(fail_silently=False)
    except OSError:  # SMTP down: the change that caused it has committed; the inbox has it
        logger.exception("notification %s could not be e-mailed", notification.pk)
        return False
    return True


@transaction.atomic
def notification_send(
    *,
    user: User,
    kind: NotificationKind | str,
    title: str,
    body: str = "",
    url: str = "",
    category: NotificationCategory | str | None = None,
) -> Notification:
    """Store an in-app notification for ``user``. Once the transaction commits it is e-mailed
    if the user wants e-mail for its category immediately; digests pick up the others.
    ``category`` defaults to the kind's (``notifications.categories``)."""
    kind = NotificationKind(kind)
    notification = Notification(
        user=user,
        kind=kind,
        category=NotificationCategory(category) if category else category_of(kind),
        title=title[:255],
        body=body,
        url=url[:500],
    )
    notification.full_clean()
    notification.save()
    notification_id = notification.pk
    transaction.on_commit(lambda: _email_now(notification_id))
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


# --- preferences and unsubscribe -----------------------------------------------------------


@transaction.atomic
def notification_preferences_set(
    *, user: User, values: Mapping[str, str], actor: User | None = None, source: str = "page"
) -> dict[NotificationCategory, EmailFrequency]:
    """Set ``user``'s e-mail frequency per category (``{"events": "daily", ...}``); categories
    not named keep their value. Raises DomainError for an unknown category or frequency."""
    changed: dict[str, str] = {}
    current = selectors.notification_preferences(user=user)
    for raw_category, raw_frequency in values.items():
        try:
            category = NotificationCategory(raw_category)
            frequency = EmailFrequency(raw_frequency)
        except ValueError as exc:
            raise DomainError(
                _("Unknown notification setting %(value)r.") % {"value": str(exc)},
                category=raw_category,
            ) from exc
        if current[category] == frequency:
            continue
        NotificationPreference.objects.update_or_create(
            user=user, category=category, defaults={"email": frequency}
        )
        changed[category.value] = frequency.value
    if changed:
        audit_record(
            actor=actor,
            action="notifications.preferences",
            target=user,
            data={"changed": changed, "source": source},
        )
    return selectors.notification_preferences(user=user)


@dataclass(frozen=True, slots=True)
class Unsubscribed:
    user: User
    categories: tuple[NotificationCategory, ...]


def unsubscribe_check(*, token: str) -> Unsubscribed:
    """The user and categories an unsubscribe link names, without changing anything.

    Raises UnsubscribeLinkExpired or UnsubscribeLinkInvalid (tampered, malformed, or the
    account no longer exists)."""
    try:
        claim = unsubscribe_token_read(token)
    except TokenExpired as exc:
        raise UnsubscribeLinkExpired(
            _("This unsubscribe link has expired. Log in to change your e-mail settings.")
        ) from exc
    except TokenInvalid as exc:
        raise UnsubscribeLinkInvalid(_("This unsubscribe link is not valid.")) from exc
    user = User.objects.filter(pk=claim.user_id, is_active=True).first()
    if user is None:
        raise UnsubscribeLinkInvalid(_("This unsubscribe link is not valid."))
    return Unsubscribed(user=user, categories=claim.categories)


@transaction.atomic
def notification_unsubscribe(*, token: str) -> Unsubscribed:
    """Switch e-mail off for the categories of a signed unsubscribe link (no login needed).
    Idempotent. Raises like ``unsubscribe_check``."""
    result = unsubscribe_check(token=token)
    notification_preferences_set(
        user=result.user,
        values=dict.fromkeys(result.categories, EmailFrequency.OFF),
        actor=None,
        source="unsubscribe_link",
    )
    return result


# --- digests -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DigestReport:
    period: DigestPeriod
    dry_run: bool
    emails: int
    notifications: int
    failed: int = 0


def digest_send(
    *, period: DigestPeriod | str, now: dt.datetime | None = None, dry_run: bool = False
) -> DigestReport:
    """E-mail every user their not-yet-e-mailed, unread notifications from the categories they
    want as a ``period`` digest (created within the last two periods), one e-mail per user,
    grouped by category. Safe to run twice or concurrently: each user's notifications are
    claimed in their own transaction before the e-mail goes out. With ``dry_run`` nothing is
    claimed or sent; the report says what would be."""
    period = DigestPeriod(period)
    now = now or timezone.now()
    pending = selectors.digest_candidates(
        period=period, since=now - LOOKBACK_PERIODS * PERIOD_LENGTH[period], until=now
    )
    by_user: dict[int, list[int]] = defaultdict(list)
    for user_id, notification_id in pending:
        by_user[user_id].append(notification_id)
    if dry_run:
        return DigestReport(
            period=period,
            dry_run=True,
            emails=len(by_user),
            notifications=sum(len(ids) for ids in by_user.values()),
        )
    sent = claimed_total = failed = 0
    for user_id, ids in sorted(by_user.items()):
        with transaction.atomic():
            user = User.objects.get(pk=user_id)
            batch = DigestBatch.objects.create(user=user, period=period)
            claimed = _claim(ids, now=now, digest=batch)
            if not claimed:
                batch.delete()  # another run got there first
                continue
            batch.notification_count = claimed
            batch.save(update_fields=["notification_count"])
        notifications = list(Notification.objects.filter(digest=batch).order_by("-created_at"))
        try:
            emails.digest_email(user=user, period=period, notifications=notifications).send(
                fail_silently=False
            )
        except OSError:  # SMTP down: the claim stands (at most once); log for the operator
            logger.exception("digest %s for user %s could not be sent", batch.pk, user_id)
            failed += 1
            continue
        DigestBatch.objects.filter(pk=batch.pk).update(sent_at=timezone.now())
        sent += 1
        claimed_total += claimed
    return DigestReport(
        period=period, dry_run=False, emails=sent, notifications=claimed_total, failed=failed
    )
