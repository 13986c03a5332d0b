"""Users, the organisation they act for, their roles, and API tokens."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from escp4i.core.models import BaseModel


class Role(models.TextChoices):
    PROGRAMME_OFFICER = "programme_officer", _("Programme officer")
    PARTNERSHIP_COORDINATOR = "partnership_coordinator", _("Partnership coordinator")
    CLUSTER_MANAGER = "cluster_manager", _("Cluster manager")
    PARTICIPANT = "participant", _("SME / participant")
    EVENT_ORGANISER = "event_organiser", _("Event organiser")


class ProfileVisibility(models.TextChoices):
    """Who may see a person's name and e-mail address next to their organisation (consent)."""

    PRIVATE = "private", _("Only event organisers and programme officers (default)")
    PARTICIPANTS = "participants", _("Also the other participants of the events I take part in")
    PUBLIC = "public", _("Anyone who can see the participant lists")


class UserManager(DjangoUserManager["User"]):
    """Stores a missing email as NULL, so the unique constraint only applies to real addresses."""

    @classmethod
    def normalize_email(cls, email: str | None) -> str:
        return super().normalize_email(email) or None  # type: ignore[return-value]  # NULL, not ""


class User(AbstractUser):
    """A person. ``organisation`` is the registry organisation they act for, if any."""

    objects = UserManager()  # type: ignore[misc]  # narrower manager than AbstractUser's

    # Unique when given; NULL (not "") for users without one, so uniqueness holds.
    email = models.EmailField(  # type: ignore[assignment]  # nullable, unlike AbstractUser
        _("email address"), unique=True, null=True, blank=True
    )
    organisation = models.ForeignKey(
        "registry.ClusterOrganisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("acts for organisation"),
    )
    profile_visibility = models.CharField(
        _("who may see my name and e-mail address"),
        max_length=16,
        choices=ProfileVisibility.choices,
        default=ProfileVisibility.PRIVATE,
    )
    # Set when the account was deleted: the row stays as an anonymous tombstone so what the
    # person did (events organised, decisions, audit entries) keeps its author, "deleted user".
    deleted_at = models.DateTimeField(null=True, blank=True, editable=False)

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def display_name(self) -> str:
        """The name shown for this person: full name, else username; "deleted user" after
        deletion."""
        if self.deleted_at is not None:
            return str(_("deleted user"))
        return self.get_full_name() or self.get_username()


class RoleGrant(BaseModel):
    """A role held by a user, optionally scoped to one partnership (coordinators)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roles"
    )
    role = models.CharField(max_length=32, choices=Role.choices)
    partnership = models.ForeignKey(
        "registry.Partnership",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_grants",
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "partnership"], name="rolegrant_uniq_scoped"
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(partnership__isnull=True),
                name="rolegrant_uniq_global",
            ),
        ]

    def __str__(self) -> str:
        scope = f" for {self.partnership}" if self.partnership_id else ""
        return f"{self.user} {self.role}{scope}"


class ApiToken(BaseModel):
    """A bearer token for API writes. Only a SHA-256 digest of the secret is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
