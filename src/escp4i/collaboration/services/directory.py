"""Collaboration services: loading the shipped support-service directory and policy dialogues.

``collaboration_load_shipped`` reads ``collaboration/data/collaboration.json`` (a faithful
transcription of registry/data/programme.md sections 2 and 3, every row with its sources) and
creates or updates rows by slug. It is idempotent: a second run changes nothing.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from escp4i.collaboration.models import (
    InstrumentKind,
    PolicyDialogue,
    ServiceKind,
    SupportService,
    SupportServiceKind,
)
from escp4i.core.errors import ImportRejected
from escp4i.registry.models import Country, Region

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "collaboration.json"


@dataclass(frozen=True, slots=True)
class CollaborationLoadSummary:
    services_created: int
    services_updated: int
    services_unchanged: int
    dialogues_created: int
    dialogues_updated: int
    dialogues_unchanged: int


def _countries(codes: list[str], where: str) -> list[Country]:
    found = {c.code: c for c in Country.objects.filter(code__in=codes)}
    missing = sorted(set(codes) - set(found))
    if missing:
        raise ImportRejected(f"{where}: unknown countries {missing}", errors=missing)
    return [found[code] for code in codes]


def _regions(slugs: list[str], where: str) -> list[Region]:
    found = {r.slug: r for r in Region.objects.filter(slug__in=slugs)}
    missing = sorted(set(slugs) - set(found))
    if missing:
        raise ImportRejected(f"{where}: unknown regions {missing}", errors=missing)
    return [found[slug] for slug in slugs]


def _save(model: type[Any], slug: str, fields: dict[str, Any]) -> tuple[Any, str]:
    """Create or update one row by slug; report 'created', 'updated' or 'unchanged'."""
    row = model.objects.filter(slug=slug).first()
    if row is None:
        row = model(slug=slug, **fields)
        row.full_clean()
        row.save()
        return row, "created"
    changed = [name for name, value in fields.items() if getattr(row, name) != value]
    for name in changed:
        setattr(row, name, fields[name])
    if changed:
        row.full_clean()
        row.save(update_fields=[*changed, "updated_at"])
    return row, "updated" if changed else "unchanged"


def _sync_m2m(manager: Any, wanted: list[Any]) -> bool:
    current = {obj.pk for obj in manager.all()}
    target = {obj.pk for obj in wanted}
    if current == target:
        return False
    manager.set(wanted)
    return True


def _service_load(spec: dict[str, Any]) -> str:
    slug = str(spec["slug"])
    kinds = [str(k) for k in spec["kinds"]]
    unknown = sorted(set(kinds) - set(ServiceKind.values))
    if unknown:
        raise ImportRejected(f"service {slug}: unknown kinds {unknown}", errors=unknown)
    fields = {
        "name": spec["name"],
        "description": spec["description"],
        "key_facts": spec.get("key_facts", ""),
        "is_general": bool(spec.get("is_general", False)),
        "website": spec.get("website", ""),
        "contact": spec.get("contact", ""),
        "source_urls": list(spec["source_urls"]),
    }
    service, status = _save(SupportService, slug, fields)
    changed = _sync_m2m(service.countries, _countries(list(spec["countries"]), slug))
    changed |= _sync_m2m(service.regions, _regions(list(spec["regions"]), slug))
    current = set(service.kind_rows.values_list("kind", flat=True))
    if current != set(kinds):
        service.kind_rows.exclude(kind__in=kinds).delete()
        SupportServiceKind.objects.bulk_create(
            [SupportServiceKind(service=service, kind=k) for k in kinds if k not in current]
        )
        changed = True
    return "updated" if status == "unchanged" and changed else status


def _dialogue_load(spec: dict[str, Any]) -> str:
    slug = str(spec["slug"])
    if spec["instrument"] not in InstrumentKind.values:
        raise ImportRejected(f"dialogue {slug}: unknown instrument {spec['instrument']!r}")
    fields = {
        "title": spec["title"],
        "instrument": spec["instrument"],
        "date": dt.date.fromisoformat(spec["date"]) if spec.get("date") else None,
        "date_text": spec["date_text"],
        "parties": spec.get("parties", ""),
        "summary": spec.get("summary", ""),
        "documents": list(spec.get("documents", [])),
        "related_events": list(spec.get("related_events", [])),
        "source_urls": list(spec["source_urls"]),
    }
    dialogue, status = _save(PolicyDialogue, slug, fields)
    changed = _sync_m2m(dialogue.countries, _countries(list(spec["countries"]), slug))
    return "updated" if status == "unchanged" and changed else status


@transaction.atomic
def collaboration_load_shipped(
    *, path: Path | None = None, dry_run: bool = False
) -> CollaborationLoadSummary:
    """Load (or refresh) the shipped services and dialogues; with ``dry_run`` nothing is kept.

    Raises ``ImportRejected`` (nothing written) when a row names an unknown country, region,
    service kind or instrument. Needs the registry's reference data (countries, regions).
    """
    data = json.loads((path or DATA_FILE).read_text(encoding="utf-8"))
    services = [_service_load(spec) for spec in data["services"]]
    dialogues = [_dialogue_load(spec) for spec in data["dialogues"]]
    summary = CollaborationLoadSummary(
        services_created=services.count("created"),
        services_updated=services.count("updated"),
        services_unchanged=services.count("unchanged"),
        dialogues_created=dialogues.count("created"),
        dialogues_updated=dialogues.count("updated"),
        dialogues_unchanged=dialogues.count("unchanged"),
    )
    if dry_run:
        transaction.set_rollback(True)
    return summary
