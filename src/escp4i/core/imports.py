"""Import runs: a record of every (non-dry) import of a file, keyed by its content's SHA-256.

Imports themselves are all-or-nothing and idempotent (natural-key upserts, see
``registry/services/imports.py``): re-running the same file changes nothing, and re-running a
file whose import crashed completes it. The run rows say which file was imported when, by whom,
with what result, and whether the same content was imported before.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from django.utils import timezone

from escp4i.core.models import ImportRun, ImportRunStatus

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


def content_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def import_run_previous(*, kind: str, content_sha256: str) -> ImportRun | None:
    """The latest successful run of the same content and kind, if any."""
    return (
        ImportRun.objects.filter(
            kind=kind, content_sha256=content_sha256, status=ImportRunStatus.SUCCEEDED
        )
        .order_by("-created_at", "-pk")
        .first()
    )


def import_run_start(
    *,
    kind: str,
    content_sha256: str,
    size: int,
    filename: str = "",
    actor: AbstractBaseUser | None = None,
) -> ImportRun:
    return ImportRun.objects.create(
        kind=kind,
        content_sha256=content_sha256,
        size=size,
        filename=filename[:255],
        actor_id=actor.pk if actor is not None else None,
    )


def import_run_finish(*, run: ImportRun, summary: dict[str, object]) -> ImportRun:
    run.status = ImportRunStatus.SUCCEEDED
    run.summary = summary
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "summary", "finished_at", "updated_at"])
    return run


def import_run_fail(*, run: ImportRun, error: str) -> ImportRun:
    run.status = ImportRunStatus.FAILED
    run.error = error[:2000]
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "error", "finished_at", "updated_at"])
    return run
