"""The ESCP-4i label: charter versions, member signatures, labels (one row per validity period),
their append-only event trail, reminders sent, and who may sign for an organisation.

A renewal does not extend a label: it closes the current row (state ``renewed``) and starts a
successor row (``previous`` points back) with its own validity. All rows of one partnership share
its ``public_id``, so the verification URL, badge and certificate stay stable across renewals and
always show the latest period.
"""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from escp4i.core.models import BaseModel
from escp4i.labels.workflow import FINAL_STATES, VALIDITY_STATES, LabelState, RenewalBasis


class CharterVersion(BaseModel):
    """One published text of the ESCP-4i charter. The text never changes once published: a new
    wording is a new version, and ``sha256`` is what signatures commit to."""

    version = models.CharField(_("version"), max_length=20, unique=True)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))
    sha256 = models.CharField(_("SHA-256 of the text"), max_length=64, editable=False)
    published_at = models.DateTimeField(_("published at"), db_index=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("charter version")

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"


class RepresentativeAuthorisation(BaseModel):
    """An explicit authorisation for ``user`` to sign the charter on behalf of ``organisation``.

    A cluster manager acting for the organisation may sign without one; this row covers the
    other authorised representatives (a director, a board member).
    """

    organisation = models.ForeignKey(
        "registry.ClusterOrganisation",
        on_delete=models.CASCADE,
        related_name="representative_authorisations",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="representations"
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("representative authorisation")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"],
                condition=Q(revoked_at__isnull=True),
                name="representative_active_uniq",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} for {self.organisation}"


class Label(BaseModel):
    """One label period of a partnership (see the module docstring for renewals)."""

    partnership = models.ForeignKey(
        "registry.Partnership", on_delete=models.PROTECT, related_name="labels"
    )
    public_id = models.CharField(_("public identifier"), max_length=80, db_index=True)
    sequence = models.PositiveSmallIntegerField(_("period"), default=1)
    previous = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="successor"
    )
    state = models.CharField(
        _("state"), max_length=20, choices=LabelState.choices, default=LabelState.PROPOSED
    )
    state_changed_at = models.DateTimeField(_("state changed at"))
    charter_version = models.ForeignKey(
        CharterVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="labels"
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    awarded_at = models.DateTimeField(_("awarded at"), null=True, blank=True)
    awarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    renewal_basis = models.CharField(
        _("renewal basis"), max_length=32, choices=RenewalBasis.choices, blank=True
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revocation_reason = models.TextField(_("reason for revocation"), blank=True)
    strategy_text = models.TextField(_("sustainable strategy"), blank=True)
    strategy_url = models.URLField(_("sustainable strategy document"), blank=True)
    strategy_submitted_at = models.DateTimeField(null=True, blank=True)
    strategy_submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["public_id", "-sequence"]
        verbose_name = _("label")
        constraints = [
            models.UniqueConstraint(fields=["public_id", "sequence"], name="label_period_uniq"),
            models.UniqueConstraint(
                fields=["partnership", "sequence"], name="label_partnership_period_uniq"
            ),
            # At most one label per partnership is still going somewhere.
            models.UniqueConstraint(
                fields=["partnership"],
                condition=~Q(state__in=sorted(FINAL_STATES)),
                name="label_one_open_per_partnership",
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_until__gte=models.F("valid_from")),
                name="label_validity_ordered",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=sorted(VALIDITY_STATES))
                | Q(valid_from__isnull=False, valid_until__isnull=False, awarded_at__isnull=False),
                name="label_awarded_has_validity",
            ),
            models.CheckConstraint(
                condition=~Q(state=LabelState.REVOKED)
                | (Q(revoked_at__isnull=False) & ~Q(revocation_reason="")),
                name="label_revoked_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.public_id} #{self.sequence} ({self.state})"


class CharterSignature(BaseModel):
    """An organisation's authenticated acceptance of one charter version for one partnership.

    ``text_sha256`` is the hash of the exact text shown to the signer (checked against the
    version's hash when signing). A signature counts for every label period of the partnership
    that uses the same charter version; ``label`` records the period during which it was given.
    """

    partnership = models.ForeignKey(
        "registry.Partnership", on_delete=models.PROTECT, related_name="charter_signatures"
    )
    organisation = models.ForeignKey(
        "registry.ClusterOrganisation", on_delete=models.PROTECT, related_name="charter_signatures"
    )
    charter_version = models.ForeignKey(
        CharterVersion, on_delete=models.PROTECT, related_name="signatures"
    )
    label = models.ForeignKey(
        Label, on_delete=models.PROTECT, null=True, blank=True, related_name="signatures"
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="charter_signatures"
    )
    signed_at = models.DateTimeField(_("signed at"))
    text_sha256 = models.CharField(_("SHA-256 of the signed text"), max_length=64)
    representative_name = models.CharField(_("representative's name"), max_length=200)
    representative_title = models.CharField(_("representative's position"), max_length=200)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        ordering = ["signed_at", "pk"]
        verbose_name = _("charter signature")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "organisation", "charter_version"],
                name="signature_once_per_version",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} signed v{self.charter_version_id} for {self.partnership}"


class LabelEvent(models.Model):
    """The label's own, append-only trail: every transition, signature and reminder, with the
    actor (None for the daily job) and a link to the matching core audit entry."""

    label = models.ForeignKey(Label, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(max_length=32, db_index=True)
    from_state = models.CharField(max_length=20, choices=LabelState.choices)
    to_state = models.CharField(max_length=20, choices=LabelState.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    data = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    audit_entry = models.OneToOneField(
        "core.AuditEntry", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("label event")

    def __str__(self) -> str:
        return f"{self.label.public_id}: {self.action} {self.from_state}->{self.to_state}"


class LabelReminder(BaseModel):
    """A reminder sent ``lead_days`` before the end of validity; one per label and lead time."""

    label = models.ForeignKey(Label, on_delete=models.CASCADE, related_name="reminders")
    lead_days = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField()

    class Meta:
        ordering = ["label", "-lead_days"]
        constraints = [
            models.UniqueConstraint(fields=["label", "lead_days"], name="reminder_once_per_lead")
        ]

    def __str__(self) -> str:
        return f"{self.label.public_id}: {self.lead_days} days"
