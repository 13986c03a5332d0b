"""Profile edits: coordinators update their partnership, cluster managers their organisation.

Both services re-check the actor's permission (the callers already fetched the row through an
access selector; this is defence in depth), validate every given field, save in one transaction
and write an audit entry listing each changed field as old -> new. ``data`` keys are model field
names; keys that are not given are left unchanged. Problems raise Django's ``ValidationError``
with one message per field (``PermissionDenied`` for a forbidden edit).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from escp4i.accounts.models import User
from escp4i.accounts.selectors import AnyUser, organisation_can_edit, partnership_can_edit
from escp4i.core.audit import audit_record
from escp4i.core.errors import PermissionDenied
from escp4i.registry.models import ClusterOrganisation, Country, Partnership, Region, Sector
from escp4i.registry.services.derived import organisation_renamed, registry_changed

PARTNERSHIP_FIELDS: tuple[str, ...] = (
    "name",
    "website",
    "coordinator_name",
    "sectors_text",
    "start_date",
    "end_date",
    "notes",
    "sme_count",
)
ORGANISATION_FIELDS: tuple[str, ...] = (
    "name",
    "region",
    "website",
    "sectors_text",
    "sme_members",
    "total_members",
    "notes",
)

# many-to-many field -> (related model, lookup field for the given keys)
_M2M: dict[str, tuple[type[models.Model], str]] = {
    "target_countries": (Country, "code"),
    "target_regions": (Region, "slug"),
    "sectors": (Sector, "slug"),
}
PARTNERSHIP_M2M: tuple[str, ...] = ("target_countries", "target_regions", "sectors")
ORGANISATION_M2M: tuple[str, ...] = ("sectors",)

Changes = dict[str, dict[str, Any]]


@transaction.atomic
def partnership_update(
    *, actor: AnyUser, partnership: Partnership, data: Mapping[str, Any]
) -> Partnership:
    """Update the given profile fields of ``partnership`` (see PARTNERSHIP_FIELDS/_M2M)."""
    if not partnership_can_edit(actor=actor, partnership=partnership):
        raise PermissionDenied(
            _("You may not edit the partnership %(name)s.") % {"name": partnership.acronym}
        )
    changes = _apply(partnership, data, PARTNERSHIP_FIELDS, PARTNERSHIP_M2M, _check_dates)
    if changes:
        registry_changed()
        audit_record(
            actor=_audit_actor(actor),
            action="partnership.update",
            target=partnership,
            data={"changes": changes},
        )
    return partnership


@transaction.atomic
def organisation_update(
    *, actor: AnyUser, organisation: ClusterOrganisation, data: Mapping[str, Any]
) -> ClusterOrganisation:
    """Update the given profile fields of ``organisation`` (see ORGANISATION_FIELDS/_M2M)."""
    if not organisation_can_edit(actor=actor, organisation=organisation):
        raise PermissionDenied(
            _("You may not edit the organisation %(name)s.") % {"name": organisation.name}
        )
    changes = _apply(organisation, data, ORGANISATION_FIELDS, ORGANISATION_M2M, _check_members)
    if changes:
        if "name" in changes:
            organisation_renamed(organisation_id=organisation.pk)
        registry_changed()
        audit_record(
            actor=_audit_actor(actor),
            action="organisation.update",
            target=organisation,
            data={"changes": changes},
        )
    return organisation


def _audit_actor(actor: AnyUser) -> User | None:
    # The permission checks above only pass for real users; anonymous never reaches an audit.
    return actor if isinstance(actor, User) else None


def _check_dates(obj: Any) -> dict[str, str]:
    start: dt.date | None = obj.start_date
    end: dt.date | None = obj.end_date
    if start is not None and end is not None and end < start:
        return {"end_date": _("The end date is before the start date.")}
    return {}


def _check_members(obj: Any) -> dict[str, str]:
    smes: int | None = obj.sme_members
    total: int | None = obj.total_members
    if smes is not None and total is not None and smes > total:
        return {"sme_members": _("There are more SME members than members in total.")}
    return {}


def _apply(
    obj: Partnership | ClusterOrganisation,
    data: Mapping[str, Any],
    fields: tuple[str, ...],
    m2m: tuple[str, ...],
    check: Callable[[Any], dict[str, str]],
) -> Changes:
    errors: dict[str, list[str]] = {}
    unknown = sorted(set(data) - set(fields) - set(m2m))
    for key in unknown:
        errors.setdefault(key, []).append(_("This field cannot be edited here."))
    changes: Changes = {}
    for name in fields:
        if name not in data:
            continue
        model_field = obj._meta.get_field(name)
        assert isinstance(model_field, models.Field)  # noqa: S101  # names come from FIELDS
        value = data[name]
        if value is None and model_field.empty_strings_allowed and not model_field.null:
            value = ""
        if isinstance(value, str):
            value = value.strip()
        try:
            value = model_field.to_python(value)
        except ValidationError as exc:
            errors.setdefault(name, []).extend(exc.messages)
            continue
        old = getattr(obj, name)
        if old != value:
            setattr(obj, name, value)
            changes[name] = {"old": old, "new": value}
    targets: dict[str, list[models.Model]] = {}
    for name in m2m:
        if name not in data:
            continue
        try:
            targets[name] = _m2m_rows(name, data[name])
        except ValidationError as exc:
            errors.setdefault(name, []).extend(exc.messages)
    for name, message in check(obj).items():
        errors.setdefault(name, []).append(message)
    try:
        # Unchanged rows are re-validated too: a profile must be valid as a whole to be saved.
        obj.full_clean(exclude=[*m2m, *errors])
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    if errors:
        for name, change in changes.items():
            setattr(obj, name, change["old"])  # leave the caller's instance as it was
        raise ValidationError(errors)
    if changes:
        obj.save(update_fields=[*changes, "updated_at"])
    for name, rows in targets.items():
        manager = getattr(obj, name)
        key = _M2M[name][1]
        old_keys = sorted(str(getattr(row, key)) for row in manager.all())
        new_keys = sorted(str(getattr(row, key)) for row in rows)
        if old_keys != new_keys:
            manager.set(rows)
            changes[name] = {"old": old_keys, "new": new_keys}
    return changes


def _m2m_rows(name: str, value: Any) -> list[models.Model]:
    """Rows for a list of codes/slugs (model instances are accepted too); unknown keys fail."""
    model, key = _M2M[name]
    if value is None:
        return []
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise ValidationError(_("Give a list."))
    items = list(value)
    instances = [item for item in items if isinstance(item, model)]
    keys = [str(item).strip() for item in items if not isinstance(item, model)]
    if key == "code":
        keys = [k.upper() for k in keys]
    rows = model._default_manager.filter(**{f"{key}__in": keys})
    found = {str(getattr(row, key)): row for row in rows}
    missing = [k for k in keys if k not in found]
    if missing:
        raise ValidationError(
            _("Unknown value(s): %(values)s.") % {"values": ", ".join(sorted(set(missing)))}
        )
    return [*instances, *(found[k] for k in dict.fromkeys(keys))]
