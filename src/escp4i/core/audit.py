"""The audit trail: one service that records who did what to which row (pretix's log_action)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.db import models

from escp4i.core.models import AuditEntry

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


def audit_record(
    *,
    actor: AbstractBaseUser | None,
    action: str,
    target: models.Model | None,
    data: Mapping[str, object] | None = None,
) -> AuditEntry:
    """Write one audit entry. ``data`` must be JSON-serialisable (dates and decimals are fine).

    ``actor`` is None for system actions (management commands, data loads).
    """
    entry = AuditEntry(
        actor_id=actor.pk if actor is not None else None,
        action=action,
        data=dict(data or {}),
    )
    if target is not None:
        entry.target_model = target._meta.label_lower
        entry.target_pk = str(target.pk)
        entry.target_repr = str(target)[:255]
    entry.save()
    return entry
