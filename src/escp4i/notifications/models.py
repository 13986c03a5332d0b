"""In-app notifications (also e-mailed): one row per message to one user."""

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
    # Collaboration: partner search and forum.
    PARTNER_INTEREST = "partner_interest", _("Interest in a partner search")
    PARTNER_SEARCH_UPDATED = "partner_search_updated", _("Partner search updated")
    PARTNER_SEARCH_COMMENTED = "partner_search_commented", _("Comment on a partner search")
    PARTNER_SEARCH_CLOSED = "partner_search_closed", _("Partner search closed")
    FORUM_POST = "forum_post", _("New forum post")
    CONTENT_MODERATED = "content_moderated", _("Content moderated")
    OTHER = "other", _("Other")


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=32, choices=NotificationKind.choices)
    title = models.CharField(_("title"), max_length=255)
    body = models.TextField(_("body"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread_idx")]

    def __str__(self) -> str:
        return self.title
