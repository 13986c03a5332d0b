"""Partner search: requests by an organisation, interests from other organisations, followers,
comments.

A request is open until its author's organisation closes it with an outcome; past its deadline
an open request is *expired* (derived, never stored: ``is_expired``). Officers may hide a request
or a comment (the reason stays on the row and in the audit trail). Rules live in
``collaboration/services/partner_search.py``; the constraints here are the ones the database
can hold by itself.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from escp4i.collaboration.models.authorship import Authored
from escp4i.collaboration.models.moderation import Moderated
from escp4i.core.models import BaseModel
from escp4i.registry.models import ClusterOrganisation, Country, Region, Sector


class PartnerSearchKind(models.TextChoices):
    PARTNERSHIP_BUILDING = "partnership_building", _("Partnership building")
    PROJECT_CONSORTIUM = "project_consortium", _("Project consortium")
    MARKET_ENTRY = "market_entry", _("Market entry")
    TECHNOLOGY_COOPERATION = "technology_cooperation", _("Technology cooperation")


class PartnerSearchStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class PartnerSearchOutcome(models.TextChoices):
    FOUND_PARTNERS = "found_partners", _("Found partners")
    PARTLY_FOUND = "partly_found", _("Found some of the partners sought")
    NO_SUITABLE_PARTNER = "no_suitable_partner", _("No suitable partner found")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    OTHER = "other", _("Other")


class PartnerSearch(Authored, Moderated, BaseModel):
    organisation = models.ForeignKey(
        ClusterOrganisation,
        on_delete=models.PROTECT,
        related_name="partner_searches",
        verbose_name=_("organisation"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="partner_searches",
        verbose_name=_("author"),
    )
    kind = models.CharField(_("kind"), max_length=32, choices=PartnerSearchKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    sectors = models.ManyToManyField(
        Sector, related_name="partner_searches", blank=True, verbose_name=_("sectors")
    )
    countries_sought = models.ManyToManyField(
        Country,
        related_name="partner_searches_seeking",
        blank=True,
        verbose_name=_("partner countries sought"),
    )
    target_countries = models.ManyToManyField(
        Country,
        related_name="partner_searches_targeting",
        blank=True,
        verbose_name=_("target markets (countries)"),
    )
    target_regions = models.ManyToManyField(
        Region,
        related_name="partner_searches_targeting",
        blank=True,
        verbose_name=_("target markets (regions)"),
    )
    deadline = models.DateField(_("deadline"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=PartnerSearchStatus.choices,
        default=PartnerSearchStatus.OPEN,
        db_index=True,
    )
    outcome = models.CharField(
        _("outcome"), max_length=32, choices=PartnerSearchOutcome.choices, blank=True
    )
    outcome_note = models.TextField(_("note on the outcome"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    is_synthetic = models.BooleanField(
        _("synthetic"), default=False, help_text=_("Generated for demos or scale tests, not real.")
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("partner search")
        verbose_name_plural = _("partner searches")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", outcome="", closed_at__isnull=True)
                | (Q(status="closed", closed_at__isnull=False) & ~Q(outcome="")),
                name="partner_search_closed_has_outcome",
            ),
        ]
        indexes = [models.Index(fields=["status", "deadline"], name="partner_search_status_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_closed(self) -> bool:
        return self.status == PartnerSearchStatus.CLOSED

    def is_expired_on(self, day: dt.date) -> bool:
        """Open, but its deadline (the last day it runs) is before ``day``."""
        return self.status == PartnerSearchStatus.OPEN and self.deadline < day

    @property
    def is_expired(self) -> bool:
        return self.is_expired_on(timezone.localdate())

    @property
    def accepts_responses(self) -> bool:
        """Interests and comments are accepted while open, not expired and not hidden."""
        return not self.is_closed and not self.is_expired and not self.is_hidden

    @property
    def display_status(self) -> str:
        """``open``, ``expired`` or ``closed``: the status a reader sees."""
        if self.is_closed:
            return "closed"
        return "expired" if self.is_expired else "open"


class PartnerSearchInterest(BaseModel):
    """One organisation's interest in a request, with a message to its author.

    At most one per organisation: withdrawing keeps the row (``withdrawn_at``) and expressing
    the interest again revives it."""

    search = models.ForeignKey(PartnerSearch, on_delete=models.CASCADE, related_name="interests")
    organisation = models.ForeignKey(
        ClusterOrganisation,
        on_delete=models.CASCADE,
        related_name="partner_search_interests",
        verbose_name=_("organisation"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="partner_search_interests",
    )
    message = models.TextField(_("message"))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("interest in a partner search")
        constraints = [
            models.UniqueConstraint(
                fields=["search", "organisation"], name="partner_search_interest_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} → {self.search}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None


class PartnerSearchFollow(models.Model):
    """A user following a request: notified of its updates, comments and closing."""

    search = models.ForeignKey(PartnerSearch, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="partner_search_follows"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["search", "user"], name="partner_search_follow_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} follows {self.search}"


class PartnerSearchComment(Authored, Moderated, BaseModel):
    """A public comment on a request (Markdown, stored with its sanitised HTML)."""

    search = models.ForeignKey(PartnerSearch, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="partner_search_comments",
    )
    organisation = models.ForeignKey(
        ClusterOrganisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    body = models.TextField(_("comment"))
    body_html = models.TextField(editable=False)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment on a partner search")

    def __str__(self) -> str:
        return f"{self.author} on {self.search}"
