"""Load and remove the synthetic scale dataset (rows from ``synthetic.generate``).

On PostgreSQL every table is written with ``COPY ... FROM STDIN`` (psycopg 3), inside one
transaction, after dropping the table's secondary indexes and non-primary-key constraints; they
are rebuilt once the rows are in (one sort per index instead of one index update per row), then
the tables are analysed. On other databases rows go through ``bulk_create`` in batches. Either
way the whole dataset is written or nothing is.

Synthetic rows never count as programme data: key figures filter on ``is_synthetic`` (see
dashboards.selectors), and :func:`scale_data_purge` removes exactly what the generator wrote.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max

from escp4i.accounts.models import User
from escp4i.events.models import (
    Event,
    Feedback,
    Meeting,
    MeetingBooking,
    MeetingRequest,
    Opportunity,
    Registration,
)
from escp4i.registry.models import (
    ClusterOrganisation,
    Country,
    Generation,
    Membership,
    Partnership,
    Region,
    Sector,
    SmeMember,
)
from escp4i.registry.services import registry_changed
from escp4i.synthetic.generate import (
    EMAIL_DOMAIN,
    PREFIX,
    REFERENCED,
    Plan,
    Reference,
    SectorRef,
    Table,
    dataset_tables,
    missing_columns,
)

Progress = Callable[[str], None]
BATCH = 2_000


@dataclass(slots=True)
class LoadSummary:
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    digest: str = ""
    dry_run: bool = False

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def scale_data_present() -> bool:
    """Whether a generated dataset is in the database."""
    return scale_organisations().exists()


def scale_organisations() -> models.QuerySet[ClusterOrganisation]:
    return ClusterOrganisation.objects.filter(is_synthetic=True, slug__startswith=PREFIX)


def reference_snapshot() -> Reference:
    return Reference(
        countries=frozenset(Country.objects.values_list("code", flat=True)),
        sectors=tuple(
            SectorRef(pk, slug, tuple(codes))
            for pk, slug, codes in Sector.objects.order_by("position", "pk").values_list(
                "pk", "slug", "nace_codes"
            )
        ),
        region_ids=tuple(Region.objects.order_by("slug").values_list("pk", flat=True)),
        generation_ids=tuple(Generation.objects.order_by("code").values_list("pk", flat=True)),
    )


def _first_free_pk() -> dict[type[models.Model], int]:
    return {
        model: (model._default_manager.aggregate(m=Max("pk"))["m"] or 0) + 1 for model in REFERENCED
    }


def _label(model: type[models.Model]) -> str:
    return str(model._meta.db_table)


def _json_positions(table: Table) -> list[int]:
    fields = {f.attname: f for f in table.model._meta.concrete_fields}
    return [i for i, c in enumerate(table.columns) if isinstance(fields[c], models.JSONField)]


def _timed(rows: Iterable[tuple[Any, ...]], name: str, progress: Progress) -> Iterator[Any]:
    """Pass rows through, reporting rows/s every 100,000 rows and at the end."""
    started = last = time.perf_counter()
    count = 0
    for row in rows:
        count += 1
        if count % 100_000 == 0:
            now = time.perf_counter()
            progress(f"  {name}: {count:,} rows ({100_000 / (now - last):,.0f} rows/s)")
            last = now
        yield row
    elapsed = time.perf_counter() - started
    rate = count / elapsed if elapsed > 0 else 0.0
    progress(f"{name}: {count:,} rows in {elapsed:.1f} s ({rate:,.0f} rows/s)")


# --- PostgreSQL: COPY with indexes and constraints rebuilt afterwards ----------------------


def _pg_drop_secondary(cursor: Any, table: str) -> list[str]:
    """Drop ``table``'s non-primary-key constraints and indexes; return the SQL that restores
    them (constraints first, so the indexes they own come back with them)."""
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype IN ('u', 'f', 'c') ORDER BY conname",
        [table],
    )
    constraints = cursor.fetchall()
    cursor.execute(
        "SELECT i.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x "
        "JOIN pg_class i ON i.oid = x.indexrelid "
        "WHERE x.indrelid = %s::regclass AND NOT x.indisprimary "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid) "
        "ORDER BY i.relname",
        [table],
    )
    indexes = cursor.fetchall()
    restore = []
    for name, definition in constraints:
        cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
        restore.append(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
    for name, definition in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
        restore.append(definition)
    return restore


def _pg_copy(cursor: Any, table: Table, rows: Iterable[tuple[Any, ...]]) -> None:
    if missing := missing_columns(table):
        raise RuntimeError(f"{_label(table.model)}: no values for {', '.join(missing)}")
    fields = {f.attname: f for f in table.model._meta.concrete_fields}
    columns = ", ".join(f'"{fields[c].column}"' for c in table.columns)
    json_at = _json_positions(table)
    with cursor.copy(f'COPY "{_label(table.model)}" ({columns}) FROM STDIN') as copy:
        for row in rows:
            if json_at:
                values = list(row)
                for i in json_at:
                    values[i] = json.dumps(values[i])
                copy.write_row(values)
            else:
                copy.write_row(row)


def _pg_load(tables: Iterable[Table], progress: Progress, summary: LoadSummary) -> None:
    restore: list[tuple[str, str]] = []
    touched: list[str] = []
    with transaction.atomic(), connection.cursor() as wrapper:
        cursor = wrapper.cursor  # the psycopg cursor, for COPY
        # Check deferred foreign keys of earlier writes in this transaction now: a table with
        # pending trigger events cannot be altered.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table in tables:
            name = _label(table.model)
            if name not in touched:
                touched.append(name)
                restore.extend((name, sql) for sql in _pg_drop_secondary(cursor, name))
            counted = _counted(table, summary)
            _pg_copy(cursor, table, _timed(counted, name, progress))
        started = time.perf_counter()
        for _name, sql in restore:
            cursor.execute(sql)
        progress(
            f"indexes and constraints rebuilt ({len(restore)}) in "
            f"{time.perf_counter() - started:.1f} s"
        )
        for sql in connection.ops.sequence_reset_sql(no_style(), list(REFERENCED)):
            cursor.execute(sql)
    started = time.perf_counter()
    # VACUUM (visibility map for index-only scans) cannot run inside a transaction block,
    # e.g. in a test; ANALYZE (planner statistics) can.
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
    with connection.cursor() as cursor:
        for name in touched:
            cursor.execute(f'{command} "{name}"')
    progress(f"tables analysed ({command}) in {time.perf_counter() - started:.1f} s")


# --- other databases: bulk_create ----------------------------------------------------------


def _orm_load(tables: Iterable[Table], progress: Progress, summary: LoadSummary) -> None:
    with transaction.atomic():
        for table in tables:
            model = table.model
            name = _label(model)
            batch: list[models.Model] = []
            for row in _timed(_counted(table, summary), name, progress):
                batch.append(model(**dict(zip(table.columns, row, strict=True))))
                if len(batch) >= BATCH:
                    model._default_manager.bulk_create(batch)
                    batch = []
            if batch:
                model._default_manager.bulk_create(batch)
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), list(REFERENCED)):
                cursor.execute(sql)


def _counted(table: Table, summary: LoadSummary) -> Iterator[tuple[Any, ...]]:
    name = _label(table.model)
    summary.rows.setdefault(name, 0)
    for row in table.rows:
        summary.rows[name] += 1
        yield row


def _digested(tables: Iterable[Table], digest: Any) -> Iterator[Table]:
    """The tables, feeding every row into ``digest`` on the way (deterministic repr)."""
    for table in tables:
        digest.update(f"{_label(table.model)}:{','.join(table.columns)}\n".encode())

        def rows(source: Iterable[tuple[Any, ...]] = table.rows) -> Iterator[tuple[Any, ...]]:
            for row in source:
                digest.update(repr(row).encode())
                digest.update(b"\n")
                yield row

        yield Table(table.model, table.columns, rows())


def scale_data_generate(
    *,
    scale: float,
    seed: int,
    dry_run: bool = False,
    progress: Progress = lambda message: None,
) -> LoadSummary:
    """Generate and load the dataset. ``dry_run`` generates every row (counted and digested)
    without writing. Raises ValueError for a bad scale and RuntimeError when a generated
    dataset is already present (purge it first)."""
    plan = Plan.for_scale(scale)
    if not dry_run and scale_data_present():
        raise RuntimeError("A generated scale dataset is already present; purge it first.")
    ref = reference_snapshot()
    if not ref.sectors or not ref.countries:
        raise RuntimeError("Reference data (countries, sectors) is missing: run migrate.")
    summary = LoadSummary(dry_run=dry_run)
    digest = hashlib.sha256()
    started = time.perf_counter()
    tables = _digested(
        dataset_tables(plan=plan, seed=seed, scale=scale, ref=ref, first_pk=_first_free_pk()),
        digest,
    )
    if dry_run:
        for table in tables:
            for _row in _timed(_counted(table, summary), _label(table.model), progress):
                pass
    elif connection.vendor == "postgresql":
        _pg_load(tables, progress, summary)
    else:
        _orm_load(tables, progress, summary)
    summary.seconds = time.perf_counter() - started
    summary.digest = digest.hexdigest()
    if not dry_run:
        registry_changed()
    return summary


def _delete_rows(queryset: models.QuerySet[Any]) -> int:
    """``DELETE FROM table WHERE pk IN (queryset)`` in one statement, for child rows that
    nothing else references (no cascade collection in Python, which 1,000,000 rows need)."""
    model = queryset.model
    sql, params = queryset.values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        pk_column = connection.ops.quote_name(model._meta.pk.column)
        table = connection.ops.quote_name(model._meta.db_table)
        # Quoted identifiers and Django-compiled SQL with its parameters: nothing from input.
        cursor.execute(f"DELETE FROM {table} WHERE {pk_column} IN ({sql})", params)  # noqa: S608
        return int(cursor.rowcount)


@transaction.atomic
def scale_data_purge(*, progress: Progress = lambda message: None) -> dict[str, int]:
    """Delete every row the generator wrote (events, users, partnerships, organisations and
    what hangs off them), nothing else. Returns the deleted row counts per table.

    The large child tables go first with one ``DELETE`` each; the parents then go through the
    ORM, so whatever else points at them is cascaded (or protected) as the models say.
    """
    events = Event.objects.filter(is_synthetic=True, slug__startswith=PREFIX)
    users = User.objects.filter(username__startswith=PREFIX, email__endswith=f"@{EMAIL_DOMAIN}")
    partnerships = Partnership.objects.filter(is_synthetic=True, slug__startswith=PREFIX)
    organisations = scale_organisations()
    children: list[models.QuerySet[Any]] = [
        MeetingBooking.objects.filter(meeting__event__in=events),
        Feedback.objects.filter(meeting__event__in=events),
        Meeting.objects.filter(event__in=events),
        MeetingRequest.objects.filter(event__in=events),
        Opportunity.sectors.through.objects.filter(opportunity__registration__event__in=events),
        Opportunity.countries.through.objects.filter(opportunity__registration__event__in=events),
        Opportunity.objects.filter(registration__event__in=events),
        Registration.sessions.through.objects.filter(registration__event__in=events),
        Registration.unavailable_slots.through.objects.filter(registration__event__in=events),
        Registration.objects.filter(event__in=events),
        Membership.objects.filter(partnership__in=partnerships),
        SmeMember.objects.filter(organisation__in=organisations),
        ClusterOrganisation.sectors.through.objects.filter(clusterorganisation__in=organisations),
    ]
    deleted: dict[str, int] = {}
    for queryset in children:
        started = time.perf_counter()
        n = _delete_rows(queryset)
        name = _label(queryset.model)
        deleted[name] = deleted.get(name, 0) + n
        progress(f"{name}: {n:,} rows deleted in {time.perf_counter() - started:.1f} s")
    for queryset in (events, users, partnerships, organisations):
        started = time.perf_counter()
        _total, per_model = queryset.delete()
        for label, n in per_model.items():
            deleted[label] = deleted.get(label, 0) + n
        progress(
            f"{_label(queryset.model)}: {per_model.get(queryset.model._meta.label, 0):,} rows "
            f"deleted in {time.perf_counter() - started:.1f} s"
        )
    registry_changed()
    return deleted
