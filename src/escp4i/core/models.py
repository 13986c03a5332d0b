"""Abstract base models shared by every domain app."""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _


class BaseModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class AuditEntry(models.Model):
    """Who did what to which row, and what changed. Written by ``core.audit.audit_record``.

    The target is stored as a model label plus primary key (not a foreign key), so entries outlive
    the rows they describe and any model can be audited without a migration.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_entries",
    )
    action = models.CharField(max_length=64, db_index=True)
    target_model = models.CharField(max_length=100, blank=True)
    target_pk = models.CharField(max_length=64, blank=True)
    target_repr = models.CharField(max_length=255, blank=True)
    data = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["target_model", "target_pk"], name="audit_target_idx")]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")

    def __str__(self) -> str:
        return f"{self.action} {self.target_model}:{self.target_pk}"


class ImportRunStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class ImportRun(BaseModel):
    """One non-dry import of a file (``core.imports``): what, whose content (SHA-256), outcome.

    Written outside the import's own transaction, so a crashed import leaves a "failed" (or,
    when the process was killed, a "running") row while the import itself left nothing.
    """

    kind = models.CharField(max_length=64, db_index=True)
    content_sha256 = models.CharField(max_length=64, db_index=True)
    filename = models.CharField(max_length=255, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    status = models.CharField(
        max_length=16, choices=ImportRunStatus.choices, default=ImportRunStatus.RUNNING
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="import_runs",
    )
    summary = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    error = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")

    def __str__(self) -> str:
        return f"{self.kind} {self.content_sha256[:12]} ({self.status})"
