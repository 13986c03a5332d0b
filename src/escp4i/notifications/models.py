"""In-app notifications (also e-mailed): one row per message to one user, each user's e-mail
preference per category, and the digest e-mails sent (one row per digest)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    REQUEST_RECEIVED = "request_received", _("Meeting request received")
    REQUEST_ACCEPTED = "request_accepted", _("Meeting request accepted")
    REQUEST_DECLINED = "request_declined", _("Meeting request declined")
    SCHEDULE_PUBLISHED = "schedule_published", _("Schedule published")
    MEETING_CHANGED = "meeting_changed", _("Meeting changed")
    MEETING_CANCELLED = "meeting_cancelled", _("Meeting cancelled")
    FOLLOW_UP = "follow_up", _("Follow-up reminder")
    LABEL_UPDATE = "label_update", _("Label update")
    # Collaboration: partner search and forum.
    PARTNER_INTEREST = "partner_interest", _("Interest in a partner search")
    PARTNER_SEARCH_UPDATED = "partner_search_updated", _("Partner search updated")
    PARTNER_SEARCH_COMMENTED = "partner_search_commented", _("Comment on a partner search")
    PARTNER_SEARCH_CLOSED = "partner_search_closed", _("Partner search closed")
    FORUM_POST = "forum_post", _("New forum post")
    CONTENT_MODERATED = "content_moderated", _("Content moderated")
    OTHER = "other", _("Other")


class NotificationCategory(models.TextChoices):
    """What a user chooses e-mail delivery for. Every kind belongs to one category
    (``notifications.categories.category_of``)."""

    EVENTS = "events", _("Matchmaking events")
    COLLABORATION = "collaboration", _("Collaboration: partner search and forum")
    LABELS = "labels", _("Labels and calls")
    PROGRAMME = "programme", _("Programme news and other messages")


class EmailFrequency(models.TextChoices):
    IMMEDIATE = "immediate", _("Immediately")
    DAILY = "daily", _("Daily digest")
    WEEKLY = "weekly", _("Weekly digest")
    OFF = "off", _("No e-mail (in-app only)")


class DigestPeriod(models.TextChoices):
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")


class DigestBatch(models.Model):
    """One digest e-mail: the notifications it claimed point to it, so none is e-mailed twice."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_digests"
    )
    period = models.CharField(max_length=8, choices=DigestPeriod.choices)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    notification_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("digest e-mail")

    def __str__(self) -> str:
        return f"{self.period} digest {self.pk} ({self.notification_count})"


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=32, choices=NotificationKind.choices)
    category = models.CharField(
        max_length=16,
        choices=NotificationCategory.choices,
        default=NotificationCategory.PROGRAMME,
        db_index=True,
    )
    title = models.CharField(_("title"), max_length=255)
    body = models.TextField(_("body"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # Set once, when the notification is claimed for an e-mail (immediate or digest).
    emailed_at = models.DateTimeField(null=True, blank=True)
    digest = models.ForeignKey(
        DigestBatch,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notifications",
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "read_at"], name="notification_unread_idx"),
            models.Index(fields=["emailed_at", "category"], name="notification_unsent_idx"),
        ]

    def __str__(self) -> str:
        return self.title


class NotificationPreference(models.Model):
    """How ``user`` wants e-mail about one category. No row means the site default
    (``ESCP4I_NOTIFICATIONS_DEFAULT_EMAIL``). In-app notifications are always kept."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    category = models.CharField(max_length=16, choices=NotificationCategory.choices)
    email = models.CharField(
        _("e-mail"), max_length=16, choices=EmailFrequency.choices, default=EmailFrequency.IMMEDIATE
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["user", "category"]
        verbose_name = _("notification preference")
        constraints = [
            models.UniqueConstraint(fields=["user", "category"], name="notification_pref_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.category}: {self.email}"
