"""Forum: spaces (programme-wide, per partnership, per focus area, per third-country market),
threads, posts (Markdown source + sanitised HTML rendered at save time), subscriptions and read
markers.

Spaces are generated from the registry by ``forum_spaces_sync`` (never created by hand), one per
source row; a space whose source is gone is archived, not deleted. Rules live in
``collaboration/services/forum.py``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from escp4i.collaboration.models.authorship import Authored
from escp4i.collaboration.models.moderation import Moderated
from escp4i.core.models import BaseModel
from escp4i.registry.models import ClusterOrganisation, Country, Partnership, Region, Sector


class SpaceKind(models.TextChoices):
    PROGRAMME = "programme", _("Programme-wide")
    PARTNERSHIP = "partnership", _("Partnership")
    SECTOR = "sector", _("Focus area")
    MARKET = "market", _("Third-country market")


class ForumSpace(BaseModel):
    slug = models.SlugField(max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=SpaceKind.choices)
    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    partnership = models.OneToOneField(
        Partnership,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="forum_space",
    )
    sector = models.OneToOneField(
        Sector, on_delete=models.PROTECT, null=True, blank=True, related_name="forum_space"
    )
    country = models.OneToOneField(
        Country, on_delete=models.PROTECT, null=True, blank=True, related_name="forum_space"
    )
    region = models.OneToOneField(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="forum_space"
    )
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("forum space")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        kind="programme",
                        partnership__isnull=True,
                        sector__isnull=True,
                        country__isnull=True,
                        region__isnull=True,
                    )
                    | Q(
                        kind="partnership",
                        partnership__isnull=False,
                        sector__isnull=True,
                        country__isnull=True,
                        region__isnull=True,
                    )
                    | Q(
                        kind="sector",
                        partnership__isnull=True,
                        sector__isnull=False,
                        country__isnull=True,
                        region__isnull=True,
                    )
                    | (
                        Q(kind="market", partnership__isnull=True, sector__isnull=True)
                        & (
                            Q(country__isnull=False, region__isnull=True)
                            | Q(country__isnull=True, region__isnull=False)
                        )
                    )
                ),
                name="forum_space_source_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        """The name to show: registry names as stored, the programme space's in the reader's
        language."""
        if self.kind == SpaceKind.PROGRAMME:
            return str(_("ESCP-4i programme"))
        return self.name

    @property
    def display_description(self) -> str:
        if self.kind == SpaceKind.PROGRAMME:
            return str(_("Questions and news for everyone in the programme."))
        return self.description


class ForumThread(Authored, Moderated, BaseModel):
    space = models.ForeignKey(ForumSpace, on_delete=models.CASCADE, related_name="threads")
    title = models.CharField(_("title"), max_length=200)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="forum_threads",
    )
    organisation = models.ForeignKey(
        ClusterOrganisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    locked_at = models.DateTimeField(_("locked at"), null=True, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Time of the latest visible post: the thread list's order (kept by the services).
    last_activity_at = models.DateTimeField(_("last activity"), db_index=True)
    is_synthetic = models.BooleanField(
        _("synthetic"), default=False, help_text=_("Generated for demos or scale tests, not real.")
    )

    class Meta:
        ordering = ["-last_activity_at", "-pk"]
        verbose_name = _("forum thread")
        indexes = [
            models.Index(fields=["space", "-last_activity_at"], name="forum_thread_activity_idx")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None


class ForumPost(Authored, Moderated, BaseModel):
    thread = models.ForeignKey(ForumThread, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="forum_posts",
    )
    organisation = models.ForeignKey(
        ClusterOrganisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    body = models.TextField(_("text (Markdown)"))
    # Sanitised HTML of ``body`` (collaboration.markup.render_markdown), written with it.
    body_html = models.TextField(editable=False)
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)
    is_synthetic = models.BooleanField(
        _("synthetic"), default=False, help_text=_("Generated for demos or scale tests, not real.")
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("forum post")

    def __str__(self) -> str:
        return f"{self.author} in {self.thread}"


class ForumSubscription(models.Model):
    """A user subscribed to a thread (new posts) or to a whole space (new threads and posts)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_subscriptions"
    )
    thread = models.ForeignKey(
        ForumThread, on_delete=models.CASCADE, null=True, blank=True, related_name="subscriptions"
    )
    space = models.ForeignKey(
        ForumSpace, on_delete=models.CASCADE, null=True, blank=True, related_name="subscriptions"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(thread__isnull=False, space__isnull=True)
                | Q(thread__isnull=True, space__isnull=False),
                name="forum_subscription_one_target",
            ),
            models.UniqueConstraint(
                fields=["user", "thread"],
                condition=Q(thread__isnull=False),
                name="forum_subscription_thread_once",
            ),
            models.UniqueConstraint(
                fields=["user", "space"],
                condition=Q(space__isnull=False),
                name="forum_subscription_space_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.thread or self.space}"


class ForumThreadRead(models.Model):
    """When a user last opened a thread: threads with later activity are marked unread."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(ForumThread, on_delete=models.CASCADE, related_name="reads")
    read_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "thread"], name="forum_thread_read_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} read {self.thread} at {self.read_at}"
