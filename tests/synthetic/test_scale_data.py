"""generate_scale_data at scale 0.001: deterministic, labelled synthetic, kept out of the real
figures, removable. On PostgreSQL the same tests exercise the COPY path."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from escp4i.accounts.models import User
from escp4i.dashboards.selectors import key_figures, member_countries_series
from escp4i.events.models import Event, Meeting, MeetingBooking, MeetingRequest, Registration
from escp4i.registry.models import (
    ClusterOrganisation,
    Generation,
    Membership,
    Partnership,
    SmeMember,
)
from escp4i.registry.selectors import partnership_search, registry_totals
from escp4i.synthetic.generate import Plan, dataset_tables, missing_columns
from escp4i.synthetic.services import (
    _first_free_pk,
    reference_snapshot,
    scale_data_generate,
    scale_data_purge,
)

SCALE = 0.001


def _content():
    """What the dataset says, without keys and clocks (they depend on the database)."""
    return {
        "organisations": sorted(
            ClusterOrganisation.objects.filter(is_synthetic=True).values_list(
                "name", "slug", "country_id", "region", "sectors_text", "sme_members"
            )
        ),
        "smes": sorted(
            SmeMember.objects.values_list(
                "organisation__slug", "name", "country_id", "nace_code", "size_class"
            )
        ),
        "partnerships": sorted(
            Partnership.objects.filter(is_synthetic=True).values_list(
                "acronym", "name", "category", "start_date", "generation__code", "members_text"
            )
        ),
        "memberships": sorted(
            Membership.objects.filter(is_synthetic=True).values_list(
                "partnership__slug", "organisation__slug", "role"
            )
        ),
        "events": sorted(Event.objects.filter(is_synthetic=True).values_list("slug", "name")),
        "registrations": sorted(
            Registration.objects.filter(is_synthetic=True).values_list(
                "event__slug", "user__username", "organisation__slug", "status"
            )
        ),
        "meetings": sorted(
            Meeting.objects.filter(event__is_synthetic=True).values_list(
                "event__slug", "status", "slot__index", "table__name", "uid"
            )
        ),
    }


def test_every_table_gets_a_value_for_every_required_column(db):
    tables = dataset_tables(
        plan=Plan.for_scale(SCALE),
        seed=1,
        scale=SCALE,
        ref=reference_snapshot(),
        first_pk=_first_free_pk(),
    )
    for table in tables:
        assert missing_columns(table) == [], table.model
        assert all(len(row) == len(table.columns) for row in table.rows), table.model


def test_same_seed_same_rows_other_seed_other_rows(registry_data):
    dry = scale_data_generate(scale=SCALE, seed=7, dry_run=True)
    assert scale_data_generate(scale=SCALE, seed=7, dry_run=True).digest == dry.digest
    assert scale_data_generate(scale=SCALE, seed=8, dry_run=True).digest != dry.digest
    assert not ClusterOrganisation.objects.filter(is_synthetic=True).exists()  # dry run
    written = scale_data_generate(scale=SCALE, seed=7)
    assert written.digest == dry.digest
    assert written.rows == dry.rows
    first = _content()
    scale_data_purge()
    scale_data_generate(scale=SCALE, seed=7)
    assert _content() == first


def test_every_generated_row_is_labelled_synthetic(registry_data):
    summary = scale_data_generate(scale=SCALE, seed=1)
    plan = Plan.for_scale(SCALE)
    generated = ClusterOrganisation.objects.filter(slug__startswith="scale-")
    assert generated.count() == plan.organisations == summary.rows["registry_clusterorganisation"]
    assert not generated.filter(is_synthetic=False).exists()
    for model in (Partnership, Membership, SmeMember, Registration):
        created = model.objects.filter(is_synthetic=True).count()
        assert created > 0
        if model is Partnership:
            assert Partnership.objects.filter(slug__startswith="scale-").count() == created
    assert SmeMember.objects.count() == plan.sme_members
    assert not SmeMember.objects.filter(is_synthetic=False).exists()
    assert set(Event.objects.values_list("is_synthetic", flat=True)) == {True}
    users = User.objects.filter(username__startswith="scale-")
    assert users.count() == summary.rows["accounts_user"]
    assert not users.exclude(email__endswith="@scale.invalid").exists()
    assert not any(u.has_usable_password() for u in users)
    assert all(
        "Synthetic scale-test data" in p.notes
        for p in Partnership.objects.filter(is_synthetic=True)
    )


def test_generated_events_respect_the_booking_constraints(registry_data):
    scale_data_generate(scale=SCALE, seed=3)
    scheduled = Meeting.objects.filter(event__is_synthetic=True, status="scheduled")
    assert scheduled.exists()
    # Database constraints already forbid double bookings; check what they do not cover.
    for meeting in scheduled.select_related("slot", "table"):
        assert meeting.slot.event_id == meeting.table.event_id == meeting.event_id
    bookings = MeetingBooking.objects.filter(meeting__in=scheduled)
    assert bookings.count() == 2 * scheduled.count()
    accepted = MeetingRequest.objects.filter(event__is_synthetic=True, status="accepted")
    assert accepted.count() == Meeting.objects.filter(event__is_synthetic=True).count()


def test_key_figures_and_totals_keep_counting_the_real_programme(registry_data):
    generation = Generation.objects.get(code="2016")
    before = key_figures(generation=generation)
    totals = registry_totals()
    countries = member_countries_series(generation=None)
    scale_data_generate(scale=SCALE, seed=1)
    assert Partnership.objects.filter(generation=generation, is_synthetic=True).exists()
    assert key_figures(generation=generation) == before
    assert registry_totals() == totals
    assert member_countries_series(generation=None) == countries
    asked = key_figures(generation=generation, include_synthetic=True)
    assert asked.figure("partnerships").computed > before.figure("partnerships").computed
    # The catalogue lists synthetic rows (with their badge); the figures never count them.
    assert partnership_search().filter(is_synthetic=True).exists()


def test_purge_removes_exactly_the_generated_rows(registry_data):
    real = {
        "organisations": ClusterOrganisation.objects.count(),
        "partnerships": Partnership.objects.count(),
        "memberships": Membership.objects.count(),
        "users": User.objects.count(),
    }
    summary = scale_data_generate(scale=SCALE, seed=2)
    deleted = scale_data_purge()
    assert sum(deleted.values()) == summary.total
    assert {
        "organisations": ClusterOrganisation.objects.count(),
        "partnerships": Partnership.objects.count(),
        "memberships": Membership.objects.count(),
        "users": User.objects.count(),
    } == real
    assert not SmeMember.objects.exists()
    assert not Event.objects.filter(slug__startswith="scale-").exists()


def test_generation_refuses_a_second_dataset_and_bad_scales(registry_data):
    scale_data_generate(scale=SCALE, seed=1)
    with pytest.raises(RuntimeError, match="already present"):
        scale_data_generate(scale=SCALE, seed=1)
    with pytest.raises(ValueError, match="scale"):
        Plan.for_scale(0)


def test_command_dry_run_prints_counts_and_progress(registry_data, capsys):
    out = io.StringIO()
    call_command("generate_scale_data", "--scale", str(SCALE), "--dry-run", stdout=out)
    assert "Would write" in out.getvalue()
    assert "registry_smemember: 1,000" in out.getvalue()
    assert "rows/s" in capsys.readouterr().err
    assert not SmeMember.objects.exists()
    with pytest.raises(CommandError):
        call_command("generate_scale_data", "--scale", "-1", stdout=out)
    with pytest.raises(CommandError):
        call_command("generate_scale_data", "--purge", "--dry-run", stdout=out)


def test_command_replace_and_purge(registry_data):
    out = io.StringIO()
    call_command("generate_scale_data", "--scale", str(SCALE), "--seed", "4", stdout=out)
    call_command("generate_scale_data", "--scale", str(SCALE), "--replace", stdout=out)
    assert "Deleted" in out.getvalue() and "Wrote" in out.getvalue()
    call_command("generate_scale_data", "--purge", stdout=out)
    assert not ClusterOrganisation.objects.filter(slug__startswith="scale-").exists()


@pytest.mark.postgres
def test_postgresql_load_restores_every_index_and_constraint(registry_data):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://...)")

    def definitions():
        with connection.cursor() as cursor:
            # A rebuilt partial index prints its predicate in another, equivalent, form:
            # compare the definition up to WHERE, and that there is a predicate.
            cursor.execute(
                "SELECT indexrelid::regclass::text, "
                "split_part(pg_get_indexdef(indexrelid), ' WHERE ', 1), indpred IS NOT NULL "
                "FROM pg_index WHERE indrelid::regclass::text LIKE ANY "
                "(ARRAY['registry_%%', 'events_%%', 'accounts_user%%']) ORDER BY 1"
            )
            indexes = cursor.fetchall()
            cursor.execute(
                "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
                "FROM pg_constraint WHERE conrelid::regclass::text LIKE ANY "
                "(ARRAY['registry_%%', 'events_%%', 'accounts_user%%']) ORDER BY 1, 2"
            )
            return indexes, cursor.fetchall()

    before = definitions()
    scale_data_generate(scale=SCALE, seed=1)
    assert definitions() == before
