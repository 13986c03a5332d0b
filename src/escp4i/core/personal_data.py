"""Personal data of the core app: audit entries by or about a person, and the import runs they
started (contract: core/privacy.py).

Erasure keeps every audit entry (what happened stays auditable) but removes who the person was:
their names, username and e-mail address wherever an entry repeats them, and, in entries they
wrote, the free text they typed (reasons, messages, representative names, IP addresses). Import
runs stay too (which file was imported when, with what result: a programme record, its ``actor``
pointing at the tombstone); their file name and error text lose the person's identifiers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q

from escp4i.core.models import AuditEntry, ImportRun
from escp4i.core.privacy import ERASED, identifiers, scrub_json, scrub_text

if TYPE_CHECKING:
    from escp4i.accounts.models import User

MODELS = ("core.AuditEntry", "core.ImportRun")


def _about(user: User) -> Q:
    return Q(target_model="accounts.user", target_pk=str(user.pk))


def export(user: User) -> dict[str, Any]:
    fields = ("created_at", "action", "target_model", "target_pk", "target_repr", "data")
    return {
        "actions_by_you": list(AuditEntry.objects.filter(actor=user).values(*fields)),
        "entries_about_you": list(
            AuditEntry.objects.filter(_about(user)).exclude(actor=user).values(*fields)
        ),
        "imports_by_you": list(
            ImportRun.objects.filter(actor=user).values(
                "created_at", "kind", "filename", "size", "status", "summary", "error"
            )
        ),
    }


def erase(user: User) -> None:
    values = identifiers(user)
    mentions = Q()
    for value in values:
        mentions |= Q(target_repr__icontains=value)
    for entry in AuditEntry.objects.filter(Q(actor=user) | _about(user) | mentions):
        data = scrub_json(entry.data, values, personal_keys=entry.actor_id == user.pk)
        if entry.target_model == "accounts.user" and entry.target_pk == str(user.pk):
            target_repr = ERASED
        else:
            target_repr = scrub_text(entry.target_repr, values)
        if data != entry.data or target_repr != entry.target_repr:
            AuditEntry.objects.filter(pk=entry.pk).update(data=data, target_repr=target_repr)
    _erase_import_runs(user, values)


def _erase_import_runs(user: User, values: list[str]) -> None:
    mentions = Q(actor=user)
    for value in values:
        mentions |= Q(filename__icontains=value) | Q(error__icontains=value)
    for run in ImportRun.objects.filter(mentions):
        filename, error = scrub_text(run.filename, values), scrub_text(run.error, values)
        if filename != run.filename or error != run.error:
            ImportRun.objects.filter(pk=run.pk).update(filename=filename, error=error)
