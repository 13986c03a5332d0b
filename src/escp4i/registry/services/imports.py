"""Importing partnerships, cluster organisations and memberships from CSV/XLSX tables.

All-or-nothing: every row is validated first and every problem is collected with its line and
field; if there is any, ``ImportRejected`` is raised with the full list and nothing is written.
Otherwise the whole file is written in one transaction. ``dry_run`` runs the real writes and rolls
them back, so its summary is exactly what the real run would do. Imports are idempotent: rows are
matched on natural keys (partnership acronym + generation; organisation name + country), so a
re-run of the same file changes nothing and a re-run after a crash completes the import. Every
real run is recorded as a ``core.ImportRun`` with the file's SHA-256 (``core/imports.py``).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, BinaryIO, Literal

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from escp4i.core.countries import resolve_country
from escp4i.core.errors import ImportRejected
from escp4i.core.imports import (
    content_digest,
    import_run_fail,
    import_run_finish,
    import_run_previous,
    import_run_start,
)
from escp4i.registry.models import (
    ClusterOrganisation,
    Country,
    Generation,
    Membership,
    MembershipRole,
    Partnership,
    PartnershipCategory,
    Region,
    Sector,
    ValidationStatus,
)
from escp4i.registry.regions import resolve_region
from escp4i.registry.services.derived import partnership_members_text_refresh, registry_changed
from escp4i.registry.services.tables import Row, Table, read_table
from escp4i.registry.taxonomy import focus_areas_for_terms, split_multi

ImportKind = Literal["partnerships", "organisations", "memberships"]
IMPORT_KINDS: tuple[ImportKind, ...] = ("partnerships", "organisations", "memberships")

# canonical field -> accepted header spellings (compared case- and punctuation-insensitively)
FIELD_ALIASES: dict[ImportKind, dict[str, tuple[str, ...]]] = {
    "partnerships": {
        "acronym": ("acronym", "short name", "partnership acronym"),
        "name": ("name", "full name", "partnership name", "title"),
        "generation": ("generation", "programme generation"),
        "category": ("category", "strand", "type"),
        "sectors": ("sectors", "sector"),
        "target_countries": ("target countries", "targets", "target markets", "third countries"),
        "coordinator": ("coordinator", "lead", "coordinator name"),
        "website": ("website", "url", "web"),
        "sme_count": ("sme count", "sme count if stated", "smes", "sme members"),
        "start_date": ("start date", "start"),
        "end_date": ("end date", "end"),
        "source_urls": ("source urls", "sources", "source url", "source"),
        "notes": ("notes", "note", "comments"),
    },
    "organisations": {
        "name": ("name", "organisation name", "organization name", "organisation", "cluster"),
        "country": ("country", "country iso2", "country code", "iso2"),
        "region": ("region",),
        "sectors": ("sectors", "sector"),
        "sme_members": ("sme members", "smes", "sme count"),
        "total_members": ("total members", "members", "member count"),
        "website": ("website", "url", "web"),
        "validation_status": ("validation status", "eccp validation", "status"),
        "source_urls": ("source urls", "sources", "source url", "source"),
        "notes": ("notes", "note", "comments"),
    },
    "memberships": {
        "partnership": ("partnership", "partnership acronym", "acronym"),
        "generation": ("generation",),
        "organisation": ("organisation", "organisation name", "organization name", "name"),
        "country": ("country", "country iso2", "country code", "iso2"),
        "role": ("role",),
        "source_urls": ("source urls", "source url", "sources", "source"),
        "notes": ("notes", "note", "comments"),
    },
}
REQUIRED: dict[ImportKind, tuple[str, ...]] = {
    "partnerships": ("acronym", "name"),
    "organisations": ("name", "country"),
    "memberships": ("partnership", "organisation", "country"),
}

_url_validator = URLValidator(schemes=["http", "https"])
MAX_URL = 200  # the website fields' max_length
MAX_COUNT = 2_147_483_647  # PositiveIntegerField's range on every supported database
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True, slots=True)
class RowError:
    line: int
    field: str
    message: str

    def as_dict(self) -> dict[str, object]:
        return {"line": self.line, "field": self.field, "message": self.message}


@dataclass(slots=True)
class ImportSummary:
    kind: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    organisations_created: int = 0
    dry_run: bool = False
    messages: list[str] = field(default_factory=list)
    run_id: int | None = None
    previous_run_id: int | None = None


def _norm(header: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", header.lower()).strip()


def _header_targets(
    kind: ImportKind, headers: Iterable[str], overrides: Mapping[str, str] | None
) -> list[tuple[str, str]]:
    """(file header, canonical field) for every header that names a field of ``kind``."""
    aliases = FIELD_ALIASES[kind]
    normalised_overrides = {_norm(k): v for k, v in (overrides or {}).items()}
    found = []
    for header in headers:
        target = normalised_overrides.get(_norm(header))
        if target is None:
            for canonical, spellings in aliases.items():
                if _norm(header) in {_norm(s) for s in (canonical, *spellings)}:
                    target = canonical
                    break
        if target is not None and target in aliases:
            found.append((header, target))
    return found


def map_headers(
    kind: ImportKind, headers: Iterable[str], overrides: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Return {canonical field: file header}. ``overrides`` maps file header -> field."""
    mapping: dict[str, str] = {}
    for header, target in _header_targets(kind, headers, overrides):
        mapping.setdefault(target, header)
    return mapping


def _duplicate_columns(
    kind: ImportKind, headers: Iterable[str], overrides: Mapping[str, str] | None
) -> dict[str, list[str]]:
    """Fields that more than one column gives (which of them would win is a guess)."""
    columns: dict[str, list[str]] = {}
    for header, target in _header_targets(kind, headers, overrides):
        columns.setdefault(target, []).append(header)
    return {field_name: cols for field_name, cols in columns.items() if len(cols) > 1}


class _Validator:
    """Turns raw rows into clean values, collecting every error instead of stopping at one."""

    def __init__(self) -> None:
        self.errors: list[RowError] = []
        self._countries = set(Country.objects.values_list("code", flat=True))
        self._generations = {g.code: g for g in Generation.objects.all()}
        self._regions = {r.slug: r for r in Region.objects.all()}

    def error(self, row: Row, field_name: str, message: str) -> None:
        self.errors.append(RowError(row.line, field_name, message))

    def text(self, row: Row, value: str, field_name: str, max_length: int) -> str:
        if len(value) > max_length:
            self.error(row, field_name, _("longer than %(max)s characters") % {"max": max_length})
        return value[:max_length]

    def country(self, row: Row, value: str, field_name: str) -> str | None:
        code = resolve_country(value)
        if code is None or code not in self._countries:
            self.error(row, field_name, _("unknown country %(value)r") % {"value": value})
            return None
        return code

    def generation(self, row: Row, value: str) -> Generation | None:
        if not value:
            return None
        generation = self._generations.get(value)
        if generation is None:
            known = ", ".join(sorted(self._generations)) or "-"
            self.error(
                row,
                "generation",
                _("unknown generation %(value)r (known: %(known)s)")
                % {"value": value, "known": known},
            )
        return generation

    def category(self, row: Row, value: str) -> str:
        key = re.sub(r"[^a-z0-9]", "", value.lower())
        if not key:
            return PartnershipCategory.UNKNOWN
        for choice in PartnershipCategory:
            if key in {choice.value, re.sub(r"[^a-z0-9]", "", str(choice.label).lower())}:
                return choice.value
        if key in {"notstated", "unknown"}:
            return PartnershipCategory.UNKNOWN
        allowed = ", ".join(c.value for c in PartnershipCategory)
        self.error(
            row,
            "category",
            _("unknown category %(value)r (use one of: %(allowed)s)")
            % {"value": value, "allowed": allowed},
        )
        return PartnershipCategory.UNKNOWN

    def count(self, row: Row, value: str, field_name: str) -> int | None:
        if not value:
            return None
        # ASCII digits only: "²".isdigit() is true, but int("²") fails.
        cleaned = (
            re.sub(r"[\s,.'\u202f]", "", value)
            if re.fullmatch(r"[0-9]{1,3}([,.\s'\u202f][0-9]{3})+|[0-9]+", value)
            else value
        )
        if not re.fullmatch(r"[0-9]+", cleaned):
            self.error(row, field_name, _("%(value)r is not a whole number") % {"value": value})
            return None
        number = int(cleaned)
        if number > MAX_COUNT:
            self.error(
                row,
                field_name,
                _("%(value)r is too large (at most %(max)s)") % {"value": value, "max": MAX_COUNT},
            )
            return None
        return number

    def urls(self, row: Row, value: str, field_name: str) -> list[str]:
        urls = split_multi(value)
        for url in urls:
            try:
                _url_validator(url)
            except ValidationError:
                self.error(row, field_name, _("%(value)r is not a valid URL") % {"value": url})
        return urls

    def url(self, row: Row, value: str, field_name: str) -> str:
        if not value:
            return ""
        urls = self.urls(row, value, field_name)
        url = urls[0] if urls else ""
        return self.text(row, url, field_name, MAX_URL)

    def date(self, row: Row, value: str, field_name: str) -> str | None:
        if not value:
            return None
        if not _DATE_RE.match(value):
            self.error(
                row, field_name, _("%(value)r is not a date (YYYY-MM-DD)") % {"value": value}
            )
            return None
        import datetime as dt

        try:
            dt.date.fromisoformat(value)
        except ValueError:
            self.error(row, field_name, _("%(value)r is not a valid date") % {"value": value})
            return None
        return value

    def targets(self, row: Row, value: str) -> tuple[list[str], list[str]]:
        countries: list[str] = []
        regions: list[str] = []
        for item in split_multi(value):
            region = resolve_region(item)
            if region is not None and region.slug in self._regions:
                regions.append(region.slug)
                continue
            code = resolve_country(item)
            if code is not None and code in self._countries:
                countries.append(code)
                continue
            self.error(
                row,
                "target_countries",
                _("unknown country or region %(value)r") % {"value": item},
            )
        return countries, regions


def _rows_with_mapping(
    kind: ImportKind, table: Table, overrides: Mapping[str, str] | None, validator: _Validator
) -> tuple[dict[str, str], list[RowError]]:
    mapping = map_headers(kind, table.headers, overrides)
    problems: list[RowError] = []
    for field_name, columns in _duplicate_columns(kind, table.headers, overrides).items():
        problems.append(
            RowError(
                1,
                field_name,
                _("several columns give the field %(field)s (%(columns)s): keep one")
                % {"field": field_name, "columns": ", ".join(repr(c) for c in columns)},
            )
        )
    for required in REQUIRED[kind]:
        if required not in mapping:
            problems.append(
                RowError(
                    1,
                    required,
                    _("missing required column %(field)s (headers found: %(headers)s)")
                    % {"field": required, "headers": ", ".join(table.headers) or "-"},
                )
            )
    if not table.rows:
        problems.append(RowError(1, "", _("the file has a header but no data rows")))
    return mapping, problems


def _get(row: Row, mapping: dict[str, str], name: str) -> str:
    header = mapping.get(name)
    return row.values.get(header, "").strip() if header else ""


def _unique_slug(model: type[Any], base: str, *, exclude_pk: int | None = None) -> str:
    base = (base or "item")[:70]
    slug = base
    counter = 2
    while model.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        slug = f"{base}-{counter}"
        counter += 1
    return slug


def _set_fields(obj: Any, values: dict[str, Any]) -> bool:
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


def _sector_ids(terms: list[str], sectors: dict[str, int]) -> set[int]:
    return {sectors[slug] for slug in focus_areas_for_terms(terms) if slug in sectors}


def _m2m_sync(manager: Any, ids: set[Any]) -> bool:
    current = set(manager.values_list("pk", flat=True))
    if current != ids:
        manager.set(ids)
        return True
    return False


class _DryRunRollback(Exception):
    pass


def registry_import(
    *,
    kind: ImportKind,
    stream: BinaryIO,
    fmt: str,
    header_map: Mapping[str, str] | None = None,
    dry_run: bool = False,
    synthetic: bool = False,
    filename: str = "",
    actor: Any = None,
) -> ImportSummary:
    """Validate then import one table. Raises ImportRejected (nothing written) on any bad row.

    A real (non-dry) run is recorded as an ImportRun before writing and marked succeeded or
    failed after; a crash during the writes rolls them all back and re-raises."""
    if kind not in IMPORT_KINDS:
        raise ImportRejected(_("Unknown import kind %(kind)r") % {"kind": kind}, errors=[])
    raw = stream.read()
    table = read_table(io.BytesIO(raw), fmt=fmt)
    validator = _Validator()
    mapping, problems = _rows_with_mapping(kind, table, header_map, validator)
    if problems:
        raise ImportRejected(
            _("The file was not imported: %(n)s problem(s).") % {"n": len(problems)},
            errors=[p.as_dict() for p in problems],
        )
    cleaned = _CLEANERS[kind](table.rows, mapping, validator)
    if validator.errors:
        errors = sorted(validator.errors, key=lambda e: (e.line, e.field))
        raise ImportRejected(
            _("The file was not imported: %(n)s problem(s) in %(rows)s row(s).")
            % {"n": len(errors), "rows": len({e.line for e in errors})},
            errors=[e.as_dict() for e in errors],
        )
    summary = ImportSummary(kind=kind, rows=len(cleaned), dry_run=dry_run)
    current_line = [1]

    def tracked() -> Iterator[dict[str, Any]]:
        for row, data in zip(table.rows, cleaned, strict=True):
            current_line[0] = row.line
            yield data

    def write() -> None:
        try:
            _WRITERS[kind](tracked(), summary, synthetic)
        except ValidationError as exc:
            # A rule the row checks above missed: still a report with the row's line, and
            # the whole transaction (every earlier row too) is rolled back.
            raise _rejected_at(current_line[0], exc) from None

    if dry_run:
        try:
            with transaction.atomic():
                write()
                raise _DryRunRollback
        except _DryRunRollback:
            pass
        return summary
    run_kind = f"registry.{kind}"
    digest = content_digest(raw)
    previous = import_run_previous(kind=run_kind, content_sha256=digest)
    run = import_run_start(
        kind=run_kind, content_sha256=digest, size=len(raw), filename=filename, actor=actor
    )
    try:
        with transaction.atomic():
            write()
            registry_changed()
    except Exception as exc:  # recorded on the run, then re-raised: nothing is swallowed
        import_run_fail(run=run, error=f"{type(exc).__name__}: {exc}")
        raise
    summary.run_id = run.pk
    if previous is not None:
        summary.previous_run_id = previous.pk
        summary.messages.append(
            _("The same file was imported before (run %(id)s, %(date)s).")
            % {"id": previous.pk, "date": previous.created_at.date().isoformat()}
        )
    import_run_finish(
        run=run,
        summary={
            "rows": summary.rows,
            "created": summary.created,
            "updated": summary.updated,
            "unchanged": summary.unchanged,
            "organisations_created": summary.organisations_created,
        },
    )
    return summary


def _rejected_at(line: int, exc: ValidationError) -> ImportRejected:
    fields = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
    errors = [
        {"line": line, "field": field_name, "message": message}
        for field_name, messages in fields.items()
        for message in messages
    ]
    return ImportRejected(
        _("The file was not imported: %(n)s problem(s) in 1 row(s).") % {"n": len(errors)},
        errors=errors,
    )


# --- partnerships -------------------------------------------------------------------------


def _clean_partnerships(
    rows: list[Row], mapping: dict[str, str], v: _Validator
) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    seen: dict[tuple[str, str], int] = {}
    for row in rows:
        acronym = v.text(row, _get(row, mapping, "acronym"), "acronym", 64)
        name = v.text(row, _get(row, mapping, "name"), "name", 300)
        if not acronym:
            v.error(row, "acronym", _("required"))
        if not name:
            v.error(row, "name", _("required"))
        generation_code = _get(row, mapping, "generation")
        generation = v.generation(row, generation_code)
        key = (acronym.lower(), generation_code)
        if acronym and key in seen:
            v.error(
                row,
                "acronym",
                _("duplicate of line %(line)s (same acronym and generation)") % {"line": seen[key]},
            )
        seen.setdefault(key, row.line)
        countries, regions = v.targets(row, _get(row, mapping, "target_countries"))
        sectors_terms = split_multi(_get(row, mapping, "sectors"))
        start = v.date(row, _get(row, mapping, "start_date"), "start_date")
        end = v.date(row, _get(row, mapping, "end_date"), "end_date")
        if start and end and end < start:
            v.error(row, "end_date", _("ends before it starts"))
        out.append(
            {
                "acronym": acronym,
                "name": name,
                "generation": generation,
                "category": v.category(row, _get(row, mapping, "category")),
                "sectors_terms": sectors_terms,
                "sectors_text": v.text(row, "; ".join(sectors_terms), "sectors", 500),
                "target_countries": countries,
                "target_regions": regions,
                "coordinator_name": v.text(
                    row, _get(row, mapping, "coordinator"), "coordinator", 255
                ),
                "website": v.url(row, _get(row, mapping, "website"), "website"),
                "sme_count": v.count(row, _get(row, mapping, "sme_count"), "sme_count"),
                "start_date": start,
                "end_date": end,
                "source_urls": v.urls(row, _get(row, mapping, "source_urls"), "source_urls"),
                "notes": _get(row, mapping, "notes"),
            }
        )
    return out


def _write_partnerships(
    rows: Iterable[dict[str, Any]], summary: ImportSummary, synthetic: bool
) -> None:
    import datetime as dt

    sectors = dict(Sector.objects.values_list("slug", "pk"))
    regions = dict(Region.objects.values_list("slug", "pk"))
    for data in rows:
        generation = data["generation"]
        partnership = Partnership.objects.filter(
            acronym__iexact=data["acronym"], generation=generation
        ).first()
        created = partnership is None
        if partnership is None:
            slug_base = slugify(data["acronym"])
            if Partnership.objects.filter(slug=slug_base).exists() and generation is not None:
                slug_base = f"{slug_base}-{generation.code}"
            partnership = Partnership(slug=_unique_slug(Partnership, slug_base))
        values = {
            "acronym": data["acronym"],
            "name": data["name"],
            "generation": generation,
            "category": data["category"],
            "sectors_text": data["sectors_text"],
            "coordinator_name": data["coordinator_name"],
            "website": data["website"],
            "sme_count": data["sme_count"],
            "start_date": dt.date.fromisoformat(data["start_date"]) if data["start_date"] else None,
            "end_date": dt.date.fromisoformat(data["end_date"]) if data["end_date"] else None,
            "source_urls": data["source_urls"],
            "notes": data["notes"],
            "is_synthetic": synthetic,
        }
        changed = _set_fields(partnership, values)
        if changed or created:
            partnership.full_clean(validate_unique=False)
            partnership.save()
        changed |= _m2m_sync(partnership.sectors, _sector_ids(data["sectors_terms"], sectors))
        changed |= _m2m_sync(partnership.target_countries, set(data["target_countries"]))
        changed |= _m2m_sync(
            partnership.target_regions, {regions[s] for s in data["target_regions"]}
        )
        if created:
            summary.created += 1
        elif changed:
            summary.updated += 1
        else:
            summary.unchanged += 1


# --- organisations ------------------------------------------------------------------------


def _clean_organisations(
    rows: list[Row], mapping: dict[str, str], v: _Validator
) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    seen: dict[tuple[str, str], int] = {}
    statuses = {c.value for c in ValidationStatus}
    for row in rows:
        name = v.text(row, _get(row, mapping, "name"), "name", 255)
        if not name:
            v.error(row, "name", _("required"))
        raw_country = _get(row, mapping, "country")
        country = v.country(row, raw_country, "country") if raw_country else None
        if not raw_country:
            v.error(row, "country", _("required"))
        key = (name.lower(), country or "")
        if name and country and key in seen:
            v.error(row, "name", _("duplicate of line %(line)s") % {"line": seen[key]})
        seen.setdefault(key, row.line)
        status = _get(row, mapping, "validation_status").lower() or ValidationStatus.UNKNOWN
        if status not in statuses:
            v.error(
                row,
                "validation_status",
                _("unknown status %(value)r (use one of: %(allowed)s)")
                % {"value": status, "allowed": ", ".join(sorted(statuses))},
            )
        smes = v.count(row, _get(row, mapping, "sme_members"), "sme_members")
        total = v.count(row, _get(row, mapping, "total_members"), "total_members")
        if smes is not None and total is not None and smes > total:
            v.error(row, "sme_members", _("more SME members than total members"))
        sectors_terms = split_multi(_get(row, mapping, "sectors"))
        out.append(
            {
                "name": name,
                "country": country,
                "region": v.text(row, _get(row, mapping, "region"), "region", 120),
                "sectors_terms": sectors_terms,
                "sectors_text": v.text(row, "; ".join(sectors_terms), "sectors", 500),
                "sme_members": smes,
                "total_members": total,
                "website": v.url(row, _get(row, mapping, "website"), "website"),
                "validation_status": status,
                "source_urls": v.urls(row, _get(row, mapping, "source_urls"), "source_urls"),
                "notes": _get(row, mapping, "notes"),
            }
        )
    return out


def _organisation_get_or_new(name: str, country: str) -> tuple[ClusterOrganisation, bool]:
    organisation = ClusterOrganisation.objects.filter(name__iexact=name, country_id=country).first()
    if organisation is not None:
        return organisation, False
    slug = _unique_slug(ClusterOrganisation, slugify(f"{name}-{country}"))
    return ClusterOrganisation(name=name, country_id=country, slug=slug), True


def _write_organisations(
    rows: Iterable[dict[str, Any]], summary: ImportSummary, synthetic: bool
) -> None:
    sectors = dict(Sector.objects.values_list("slug", "pk"))
    for data in rows:
        organisation, created = _organisation_get_or_new(data["name"], data["country"])
        values = {
            key: data[key]
            for key in (
                "region",
                "sectors_text",
                "sme_members",
                "total_members",
                "website",
                "validation_status",
                "source_urls",
                "notes",
            )
        }
        values["is_synthetic"] = synthetic
        changed = _set_fields(organisation, values)
        if changed or created:
            organisation.full_clean(validate_unique=False)
            organisation.save()
        changed |= _m2m_sync(organisation.sectors, _sector_ids(data["sectors_terms"], sectors))
        if created:
            summary.created += 1
        elif changed:
            summary.updated += 1
        else:
            summary.unchanged += 1


# --- memberships --------------------------------------------------------------------------


def _clean_memberships(
    rows: list[Row], mapping: dict[str, str], v: _Validator
) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    seen: dict[tuple[str, str, str, str], int] = {}
    for row in rows:
        acronym = _get(row, mapping, "partnership")
        generation_code = _get(row, mapping, "generation")
        generation = v.generation(row, generation_code)
        partnership = None
        if not acronym:
            v.error(row, "partnership", _("required"))
        elif generation_code and generation is None:
            pass  # already reported as an unknown generation
        else:
            partnership = Partnership.objects.filter(
                acronym__iexact=acronym, generation=generation
            ).first()
            if partnership is None:
                v.error(
                    row,
                    "partnership",
                    _("no partnership %(acronym)r in generation %(gen)s: import it first")
                    % {"acronym": acronym, "gen": generation_code or _("(none)")},
                )
        name = v.text(row, _get(row, mapping, "organisation"), "organisation", 255)
        if not name:
            v.error(row, "organisation", _("required"))
        raw_country = _get(row, mapping, "country")
        country = v.country(row, raw_country, "country") if raw_country else None
        if not raw_country:
            v.error(row, "country", _("required"))
        role_raw = _get(row, mapping, "role").lower() or MembershipRole.PARTNER
        if role_raw not in {c.value for c in MembershipRole}:
            v.error(
                row,
                "role",
                _("unknown role %(value)r (use coordinator or partner)") % {"value": role_raw},
            )
        key = (acronym.lower(), generation_code, name.lower(), country or "")
        if key in seen:
            v.error(row, "organisation", _("duplicate of line %(line)s") % {"line": seen[key]})
        seen.setdefault(key, row.line)
        out.append(
            {
                "partnership": partnership,
                "name": name,
                "country": country,
                "role": role_raw,
                "source_urls": v.urls(row, _get(row, mapping, "source_urls"), "source_urls"),
                "notes": _get(row, mapping, "notes"),
            }
        )
    return out


def _write_memberships(
    rows: Iterable[dict[str, Any]], summary: ImportSummary, synthetic: bool
) -> None:
    partnership_ids: set[int] = set()
    for data in rows:  # rows may be a one-pass iterator (the caller tracks line numbers)
        _write_membership(data, summary, synthetic)
        partnership_ids.add(data["partnership"].pk)
    partnership_members_text_refresh(partnership_ids=partnership_ids)


def _write_membership(data: dict[str, Any], summary: ImportSummary, synthetic: bool) -> None:
    organisation, org_created = _organisation_get_or_new(data["name"], data["country"])
    if org_created:
        organisation.is_synthetic = synthetic
        organisation.full_clean(validate_unique=False)
        organisation.save()
        summary.organisations_created += 1
    membership = Membership.objects.filter(
        partnership=data["partnership"], organisation=organisation
    ).first()
    created = membership is None
    if membership is None:
        membership = Membership(partnership=data["partnership"], organisation=organisation)
    changed = _set_fields(
        membership,
        {
            "role": data["role"],
            "source_urls": data["source_urls"],
            "notes": data["notes"],
            "is_synthetic": synthetic,
        },
    )
    if changed or created:
        membership.save()
    if organisation.source_urls == [] and data["source_urls"]:
        # An organisation first seen through a membership inherits that row's provenance.
        organisation.source_urls = data["source_urls"]
        organisation.save(update_fields=["source_urls", "updated_at"])
    if created:
        summary.created += 1
    elif changed:
        summary.updated += 1
    else:
        summary.unchanged += 1


_CLEANERS = {
    "partnerships": _clean_partnerships,
    "organisations": _clean_organisations,
    "memberships": _clean_memberships,
}
_WRITERS = {
    "partnerships": _write_partnerships,
    "organisations": _write_organisations,
    "memberships": _write_memberships,
}
