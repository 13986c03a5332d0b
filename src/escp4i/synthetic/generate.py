"""Rows of a synthetic scale dataset, as plain tuples per table, from a seed and a scale.

Nothing here touches the database: :func:`dataset_tables` takes the reference data it needs
(countries, sectors, regions, generations) and the first free primary key of each table, and
yields :class:`Table` objects whose rows the loader writes with ``COPY`` or ``bulk_create``.
The same seed, scale, reference data and key offsets give the same rows, in the same order.

Every generated row is marked: ``is_synthetic`` where the model has it, slugs and user names
start with ``scale-``, e-mail addresses end in ``@scale.invalid`` (a reserved domain).
"""

from __future__ import annotations

import datetime as dt
import random
import zoneinfo
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import AutoField, Model
from django.utils.text import slugify

from escp4i.accounts.models import User
from escp4i.events.models import (
    Event,
    EventSession,
    Meeting,
    MeetingBooking,
    MeetingRequest,
    MeetingStatus,
    ParticipantKind,
    ParticipantType,
    Registration,
    RegistrationStatus,
    RequestMode,
    RequestStatus,
    SchedulingMode,
    Slot,
)
from escp4i.events.models import (
    Table as EventTable,
)
from escp4i.registry.models import (
    ClusterOrganisation,
    Membership,
    MembershipRole,
    Partnership,
    PartnershipCategory,
    SmeMember,
    SmeSize,
    ValidationStatus,
)
from escp4i.synthetic import vocabulary as v

PARTICIPANT_KINDS = (ParticipantKind.EU_CLUSTER, ParticipantKind.SME, ParticipantKind.THIRD_COUNTRY)
PREFIX = "scale-"
EMAIL_DOMAIN = "scale.invalid"
# A fixed clock: timestamps depend on the seed only, never on when the data was generated.
GENERATED_AT = dt.datetime(2026, 1, 1, 8, 0, tzinfo=dt.UTC)
TODAY = GENERATED_AT.date()


@dataclass(frozen=True, slots=True)
class Plan:
    """How many rows of each kind; ``scale=1.0`` is the issue's target size."""

    organisations: int
    sme_members: int
    partnerships: int
    events: int
    users: int

    @classmethod
    def for_scale(cls, scale: float) -> Plan:
        if not 0 < scale <= 10:
            raise ValueError("The scale must be greater than 0 and at most 10.")
        return cls(
            organisations=max(60, round(100_000 * scale)),
            sme_members=max(200, round(1_000_000 * scale)),
            partnerships=max(12, round(5_000 * scale)),
            events=max(1, round(500 * scale)),
            users=max(150, round(25_000 * scale)),
        )


@dataclass(frozen=True, slots=True)
class SectorRef:
    pk: int
    slug: str
    nace_codes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Reference:
    """Reference data the rows point at (rows that exist before generation)."""

    countries: frozenset[str]
    sectors: tuple[SectorRef, ...]
    region_ids: tuple[int, ...]
    generation_ids: tuple[int, ...]


@dataclass(slots=True)
class Table:
    """Rows for one model: ``columns`` are attribute names (``country_id``), in row order."""

    model: type[Model]
    columns: tuple[str, ...]
    rows: Iterable[tuple[Any, ...]]


@dataclass(slots=True)
class _Org:
    pk: int
    country: str
    cluster: bool
    sectors: tuple[SectorRef, ...]
    name: str


@dataclass(slots=True)
class _State:
    """What later tables need to know about earlier ones."""

    orgs: list[_Org] = field(default_factory=list)
    clusters: list[_Org] = field(default_factory=list)
    sme_per_org: dict[int, int] = field(default_factory=dict)
    users: list[tuple[int, int]] = field(default_factory=list)  # (user pk, organisation pk)
    organisers: list[int] = field(default_factory=list)


def _rng(seed: int, part: str) -> random.Random:
    return random.Random(f"escp4i-scale-{seed}-{part}")  # noqa: S311  # test data, not secrets


def _countries(ref: Reference, codes: Sequence[str]) -> list[str]:
    return [c for c in codes if c in ref.countries and c in v.PLACES]


def _notes(seed: int, scale: float) -> str:
    return f"Synthetic scale-test data (generate_scale_data --scale {scale:g} --seed {seed})."


def dataset_tables(
    *, plan: Plan, seed: int, scale: float, ref: Reference, first_pk: dict[type[Model], int]
) -> Iterator[Table]:
    """The dataset's tables in load order (referenced tables before the tables pointing at
    them). ``first_pk`` gives the first free primary key of each table whose keys are set
    here; rows of the other tables get theirs from the database."""
    state = _State()
    notes = _notes(seed, scale)
    yield from _organisations(plan, seed, ref, first_pk, state, notes)
    yield from _sme_members(plan, seed, ref, state)
    yield from _partnerships(plan, seed, ref, first_pk, state, notes)
    yield from _users(plan, seed, first_pk, state)
    yield from _events(plan, seed, ref, first_pk, state)


# --- organisations and SME members ---------------------------------------------------------


def _organisations(
    plan: Plan,
    seed: int,
    ref: Reference,
    first_pk: dict[type[Model], int],
    state: _State,
    notes: str,
) -> Iterator[Table]:
    rng = _rng(seed, "organisations")
    eu = _countries(ref, v.EU_COUNTRIES)
    eu_weights = [w for c, w in zip(v.EU_COUNTRIES, v.EU_WEIGHTS, strict=True) if c in eu]
    others = _countries(ref, v.OTHER_COUNTRIES + v.THIRD_COUNTRIES)
    sectors = ref.sectors
    taken: set[tuple[str, str]] = set()
    rows: list[list[Any]] = []
    links: list[tuple[int, int]] = []
    pk = first_pk[ClusterOrganisation]
    statuses = [s.value for s in ValidationStatus]
    for index in range(plan.organisations):
        country = rng.choices(eu, eu_weights)[0] if rng.random() < 0.82 else rng.choice(others)
        place = rng.choice(v.PLACES[country])
        chosen = tuple(rng.sample(sectors, k=min(len(sectors), rng.choice((1, 1, 2, 2, 3)))))
        term = rng.choice(v.SECTOR_TERMS.get(chosen[0].slug, ("Innovation",)))
        cluster = rng.random() < 0.35
        form = rng.choice(v.CLUSTER_FORMS if cluster else v.OTHER_FORMS)
        name = form.format(place=place, term=term)
        if (name, country) in taken:
            name = f"{name} {rng.choice(v.SURNAMES)}"
            n = 2
            while (name, country) in taken:
                name = f"{name.rsplit(' #', 1)[0]} #{n}"
                n += 1
        taken.add((name, country))
        details = rng.sample(v.SECTOR_DETAILS, k=rng.randint(0, 3))
        sectors_text = "; ".join([term.lower(), *details])
        org = _Org(pk, country, cluster, chosen, name)
        state.orgs.append(org)
        if cluster:
            state.clusters.append(org)
        rows.append(
            [
                pk,
                GENERATED_AT,
                GENERATED_AT,
                [],
                notes,
                True,
                name,
                f"{PREFIX}{slugify(name)[:200]}-{index + 1}",
                country,
                place,
                sectors_text,
                None,  # sme_members, filled in below from the generated member records
                None,
                "",
                rng.choice(statuses),
            ]
        )
        links.extend((pk, s.pk) for s in chosen)
        pk += 1
    # SME members: every cluster organisation has some, a few have many (long tail).
    weights = [rng.lognormvariate(0, 1.1) for _ in state.clusters]
    if state.clusters:
        owners = rng.choices(range(len(state.clusters)), weights, k=plan.sme_members)
        for owner in owners:
            org_pk = state.clusters[owner].pk
            state.sme_per_org[org_pk] = state.sme_per_org.get(org_pk, 0) + 1
    first = first_pk[ClusterOrganisation]
    for org in state.clusters:
        smes = state.sme_per_org.get(org.pk, 0)
        row = rows[org.pk - first]
        row[11] = smes
        row[12] = smes + rng.randint(3, 40)
    yield Table(
        ClusterOrganisation,
        (
            "id",
            "created_at",
            "updated_at",
            "source_urls",
            "notes",
            "is_synthetic",
            "name",
            "slug",
            "country_id",
            "region",
            "sectors_text",
            "sme_members",
            "total_members",
            "website",
            "validation_status",
        ),
        (tuple(r) for r in rows),
    )
    yield Table(ClusterOrganisation.sectors.through, ("clusterorganisation_id", "sector_id"), links)


def _sme_members(plan: Plan, seed: int, ref: Reference, state: _State) -> Iterator[Table]:
    eu = _countries(ref, v.EU_COUNTRIES)

    def rows() -> Iterator[tuple[Any, ...]]:
        rng = _rng(seed, "sme-members")
        sizes = [SmeSize.MICRO.value, SmeSize.SMALL.value, SmeSize.MEDIUM.value]
        for org in state.clusters:
            count = state.sme_per_org.get(org.pk, 0)
            forms = v.LEGAL_FORMS.get(org.country, v.DEFAULT_LEGAL_FORMS)
            codes = [c for s in org.sectors for c in s.nace_codes] or ["C28"]
            names: set[str] = set()
            for _ in range(count):
                name = f"{rng.choice(v.SURNAMES)} {rng.choice(v.ACTIVITIES)} {rng.choice(forms)}"
                n = 2
                while name in names:
                    name = f"{name.rsplit(' (', 1)[0]} ({n})"
                    n += 1
                names.add(name)
                code = rng.choice(codes)
                if len(code) == 3 and rng.random() < 0.6:
                    code = f"{code}.{rng.randint(1, 9)}"
                yield (
                    GENERATED_AT,
                    GENERATED_AT,
                    [],
                    "",
                    True,
                    org.pk,
                    name,
                    org.country if rng.random() < 0.93 else rng.choice(eu),
                    code,
                    rng.choices(sizes, (70, 22, 8))[0],
                )

    yield Table(
        SmeMember,
        (
            "created_at",
            "updated_at",
            "source_urls",
            "notes",
            "is_synthetic",
            "organisation_id",
            "name",
            "country_id",
            "nace_code",
            "size_class",
        ),
        rows(),
    )


# --- partnerships --------------------------------------------------------------------------


def _partnerships(
    plan: Plan,
    seed: int,
    ref: Reference,
    first_pk: dict[type[Model], int],
    state: _State,
    notes: str,
) -> Iterator[Table]:
    rng = _rng(seed, "partnerships")
    thirds = _countries(ref, v.THIRD_COUNTRIES)
    categories = [c.value for c in PartnershipCategory]
    generations: list[int | None] = [*ref.generation_ids, None] if ref.generation_ids else [None]
    pool = state.clusters or state.orgs
    rows: list[tuple[Any, ...]] = []
    sector_links: list[tuple[int, int]] = []
    target_links: list[tuple[int, str]] = []
    region_links: list[tuple[int, int]] = []
    memberships: list[tuple[Any, ...]] = []
    pk = first_pk[Partnership]
    for index in range(plan.partnerships):
        chosen = rng.sample(ref.sectors, k=min(len(ref.sectors), rng.choice((1, 2, 2, 3))))
        main = chosen[0].slug
        stem = rng.choice(v.PARTNERSHIP_STEMS.get(main, ("CLUSTER",)))
        acronym = f"{stem}-{rng.choice(v.PARTNERSHIP_SUFFIXES)}-{index + 1:04d}"
        targets = rng.sample(thirds, k=min(len(thirds), rng.randint(1, 4)))
        target_place = rng.choice(v.PLACES[targets[0]]) if rng.random() < 0.3 else None
        term = rng.choice(v.SECTOR_TERMS.get(main, ("Innovation",)))
        noun = rng.choice(v.PARTNERSHIP_NOUNS)
        where = target_place or ", ".join(targets[:2])
        name = f"European {term} {noun} ({where})"
        members = rng.sample(pool, k=min(len(pool), rng.randint(4, 16)))
        start = dt.date(rng.randint(2016, 2025), rng.randint(1, 12), 1)
        end = start + dt.timedelta(days=30 * rng.choice((18, 24, 24, 30, 36)))
        generation = rng.choice(generations) if rng.random() < 0.9 else None
        rows.append(
            (
                pk,
                GENERATED_AT,
                GENERATED_AT,
                [],
                notes,
                True,
                acronym,
                f"{PREFIX}{slugify(acronym)}",
                name,
                generation,
                rng.choices(categories, (30, 20, 30, 5, 15))[0],
                start,
                end,
                members[0].name,
                "; ".join([term.lower(), *rng.sample(v.SECTOR_DETAILS, k=rng.randint(0, 2))]),
                "",
                rng.randint(40, 3500) if rng.random() < 0.5 else None,
                "; ".join(sorted(org.name for org in members)),
            )
        )
        sector_links.extend((pk, s.pk) for s in chosen)
        target_links.extend((pk, c) for c in targets)
        if ref.region_ids and rng.random() < 0.15:
            region_links.append((pk, rng.choice(ref.region_ids)))
        for position, org in enumerate(members):
            role = MembershipRole.COORDINATOR if position == 0 else MembershipRole.PARTNER
            memberships.append((GENERATED_AT, GENERATED_AT, [], "", True, pk, org.pk, role.value))
        pk += 1
    yield Table(
        Partnership,
        (
            "id",
            "created_at",
            "updated_at",
            "source_urls",
            "notes",
            "is_synthetic",
            "acronym",
            "slug",
            "name",
            "generation_id",
            "category",
            "start_date",
            "end_date",
            "coordinator_name",
            "sectors_text",
            "website",
            "sme_count",
            "members_text",
        ),
        rows,
    )
    yield Table(Partnership.sectors.through, ("partnership_id", "sector_id"), sector_links)
    yield Table(
        Partnership.target_countries.through, ("partnership_id", "country_id"), target_links
    )
    yield Table(Partnership.target_regions.through, ("partnership_id", "region_id"), region_links)
    yield Table(
        Membership,
        (
            "created_at",
            "updated_at",
            "source_urls",
            "notes",
            "is_synthetic",
            "partnership_id",
            "organisation_id",
            "role",
        ),
        memberships,
    )


# --- users and events ----------------------------------------------------------------------


def _users(
    plan: Plan, seed: int, first_pk: dict[type[Model], int], state: _State
) -> Iterator[Table]:
    rng = _rng(seed, "users")
    organisers = max(1, plan.events // 25)
    rows = []
    pk = first_pk[User]
    for index in range(plan.users + organisers):
        organiser = index >= plan.users
        username = (
            f"{PREFIX}organiser-{index - plan.users + 1:04d}"
            if organiser
            else f"{PREFIX}user-{index + 1:06d}"
        )
        org = None if organiser else rng.choice(state.orgs)
        # An unusable password ("!" prefix, as set_unusable_password writes): nobody logs in.
        password = "!" + "".join(rng.choices("abcdefghijklmnopqrstuvwxyz0123456789", k=40))
        rows.append(
            (
                pk,
                password,
                None,
                False,
                username,
                rng.choice(v.SURNAMES) if not organiser else "Event",
                "(synthetic)",
                f"{username}@{EMAIL_DOMAIN}",
                False,
                True,
                GENERATED_AT,
                org.pk if org else None,
                "private",
                None,
            )
        )
        if organiser:
            state.organisers.append(pk)
        else:
            assert org is not None  # noqa: S101  # participants always act for one
            state.users.append((pk, org.pk))
        pk += 1
    yield Table(
        User,
        (
            "id",
            "password",
            "last_login",
            "is_superuser",
            "username",
            "first_name",
            "last_name",
            "email",
            "is_staff",
            "is_active",
            "date_joined",
            "organisation_id",
            "profile_visibility",
            "deleted_at",
        ),
        rows,
    )


@dataclass(slots=True)
class _EventRows:
    events: list[tuple[Any, ...]] = field(default_factory=list)
    focus: list[tuple[int, str]] = field(default_factory=list)
    sectors: list[tuple[int, int]] = field(default_factory=list)
    sessions: list[tuple[Any, ...]] = field(default_factory=list)
    slots: list[tuple[Any, ...]] = field(default_factory=list)
    tables: list[tuple[Any, ...]] = field(default_factory=list)
    types: list[tuple[Any, ...]] = field(default_factory=list)
    registrations: list[tuple[Any, ...]] = field(default_factory=list)
    requests: list[tuple[Any, ...]] = field(default_factory=list)
    meetings: list[tuple[Any, ...]] = field(default_factory=list)
    bookings: list[tuple[Any, ...]] = field(default_factory=list)


def _token(rng: random.Random, length: int) -> str:
    return "".join(rng.choices("abcdefghijklmnopqrstuvwxyz0123456789", k=length))


def _events(
    plan: Plan,
    seed: int,
    ref: Reference,
    first_pk: dict[type[Model], int],
    state: _State,
) -> Iterator[Table]:
    rng = _rng(seed, "events")
    out = _EventRows()
    pks = {model: first_pk[model] for model in first_pk}
    thirds = _countries(ref, v.THIRD_COUNTRIES)
    eu = _countries(ref, v.EU_COUNTRIES)
    org_country = {o.pk: o.country for o in state.orgs}
    eu_set = set(eu)
    brussels = zoneinfo.ZoneInfo("Europe/Brussels")
    for index in range(plan.events):
        event_pk = pks[Event]
        pks[Event] += 1
        focus = rng.choice(thirds)
        host = focus if rng.random() < 0.55 else rng.choice(eu)
        city = rng.choice(v.PLACES[host])
        sector = rng.choice(ref.sectors)
        term = rng.choice(v.SECTOR_TERMS.get(sector.slug, ("Innovation",)))
        start = dt.date(rng.randint(2016, 2027), rng.randint(1, 12), rng.randint(1, 28))
        days = rng.choice((1, 2, 2, 3))
        fair = rng.choice(v.EVENT_FAIRS) if rng.random() < 0.6 else ""
        name = f"EU–{focus} {term} Cluster Matchmaking {start.year} ({city})"  # noqa: RUF001
        out.events.append(
            (
                event_pk,
                GENERATED_AT,
                GENERATED_AT,
                f"{PREFIX}event-{index + 1:04d}-{slugify(term)}-{start.year}"[:80],
                name,
                fair,
                city,
                host,
                "Europe/Brussels",
                start,
                start + dt.timedelta(days=days - 1),
                "Synthetic scale-test event: generated participants, requests and meetings.",
                rng.choice(state.organisers),
                rng.choice([m.value for m in RequestMode]),
                rng.choice([m.value for m in SchedulingMode]),
                10,
                72,
                False,
                14,
                False,
                [],
                {},
                True,
            )
        )
        out.focus.append((event_pk, focus))
        out.sectors.append((event_pk, sector.pk))
        # Sessions: one per day, 09:00-17:00 in 30-minute slots.
        slot_pks: list[int] = []
        for day in range(days):
            date = start + dt.timedelta(days=day)
            session_pk = pks[EventSession]
            pks[EventSession] += 1
            out.sessions.append(
                (session_pk, event_pk, f"Day {day + 1}", date, dt.time(9), dt.time(17), 30, [])
            )
            for k in range(16):
                starts = dt.datetime.combine(date, dt.time(9), brussels) + dt.timedelta(
                    minutes=30 * k
                )
                slot_pk = pks[Slot]
                pks[Slot] += 1
                out.slots.append(
                    (
                        slot_pk,
                        event_pk,
                        session_pk,
                        starts,
                        starts + dt.timedelta(minutes=30),
                        len(slot_pks),
                    )
                )
                slot_pks.append(slot_pk)
        table_pks = []
        for t in range(rng.randint(8, 24)):
            table_pks.append(pks[EventTable])
            out.tables.append((pks[EventTable], event_pk, f"Table {t + 1}", t))
            pks[EventTable] += 1
        type_pk = {}
        for kind in (
            ParticipantKind.EU_CLUSTER,
            ParticipantKind.SME,
            ParticipantKind.THIRD_COUNTRY,
        ):
            type_pk[kind] = pks[ParticipantType]
            out.types.append((pks[ParticipantType], event_pk, kind.value, None))
            pks[ParticipantType] += 1
        context = _EventContext(event_pk, start, slot_pks, table_pks, type_pk)
        _event_participants(rng, out, pks, state, context, org_country, eu_set)
    yield Table(
        Event,
        (
            "id",
            "created_at",
            "updated_at",
            "slug",
            "name",
            "host_fair",
            "city",
            "country_id",
            "timezone",
            "start_date",
            "end_date",
            "description",
            "organiser_id",
            "request_mode",
            "scheduling_mode",
            "open_request_cap",
            "request_expiry_hours",
            "requires_validation",
            "follow_up_delay_days",
            "allow_moving_published",
            "source_urls",
            "facts",
            "is_synthetic",
        ),
        out.events,
    )
    yield Table(Event.focus_countries.through, ("event_id", "country_id"), out.focus)
    yield Table(Event.sectors.through, ("event_id", "sector_id"), out.sectors)
    yield Table(
        EventSession,
        ("id", "event_id", "name", "date", "start_time", "end_time", "slot_minutes", "breaks"),
        out.sessions,
    )
    yield Table(Slot, ("id", "event_id", "session_id", "starts_at", "ends_at", "index"), out.slots)
    yield Table(EventTable, ("id", "event_id", "name", "position"), out.tables)
    yield Table(ParticipantType, ("id", "event_id", "kind", "cap"), out.types)
    yield Table(
        Registration,
        (
            "id",
            "created_at",
            "updated_at",
            "event_id",
            "user_id",
            "organisation_id",
            "participant_type_id",
            "status",
            "profile",
            "max_meetings",
            "ical_token",
            "checked_in_at",
            "is_synthetic",
        ),
        out.registrations,
    )
    yield Table(
        MeetingRequest,
        (
            "id",
            "created_at",
            "updated_at",
            "event_id",
            "requester_id",
            "recipient_id",
            "message",
            "priority",
            "status",
            "expires_at",
            "decided_at",
        ),
        out.requests,
    )
    yield Table(
        Meeting,
        (
            "id",
            "created_at",
            "updated_at",
            "event_id",
            "request_id",
            "slot_id",
            "table_id",
            "status",
            "unscheduled_reason",
            "locked",
            "published_at",
            "uid",
            "sequence",
            "held_at",
        ),
        out.meetings,
    )
    yield Table(
        MeetingBooking,
        ("meeting_id", "registration_id", "slot_id", "follow_up_sent_at"),
        out.bookings,
    )


@dataclass(frozen=True, slots=True)
class _EventContext:
    event_pk: int
    start: dt.date
    slot_pks: list[int]
    table_pks: list[int]
    type_pk: dict[ParticipantKind, int]


def _event_participants(
    rng: random.Random,
    out: _EventRows,
    pks: dict[type[Model], int],
    state: _State,
    context: _EventContext,
    org_country: dict[int, str],
    eu: set[str],
) -> None:
    """Registrations, requests between them and meetings placed greedily in free slots."""
    event_pk, start = context.event_pk, context.start
    slot_pks, table_pks, type_pk = context.slot_pks, context.table_pks, context.type_pk
    users = rng.sample(state.users, k=min(len(state.users), rng.randint(40, 120)))
    approved: list[int] = []
    capacity: dict[int, int] = {}
    statuses = (
        RegistrationStatus.APPROVED,
        RegistrationStatus.PENDING,
        RegistrationStatus.CANCELLED,
    )
    for user_pk, org_pk in users:
        kind = (
            ParticipantKind.THIRD_COUNTRY
            if org_country[org_pk] not in eu
            else ParticipantKind.SME
            if rng.random() < 0.4
            else ParticipantKind.EU_CLUSTER
        )
        registration_status = rng.choices(statuses, (88, 7, 5))[0]
        reg_pk = pks[Registration]
        pks[Registration] += 1
        max_meetings = rng.randint(6, 12)
        out.registrations.append(
            (
                reg_pk,
                GENERATED_AT,
                GENERATED_AT,
                event_pk,
                user_pk,
                org_pk,
                type_pk[kind],
                registration_status.value,
                rng.choice(v.PROFILE_SENTENCES).format(
                    country=org_country[org_pk],
                    term=rng.choice(v.SECTOR_DETAILS),
                    detail=rng.choice(v.SECTOR_DETAILS),
                    n=rng.randint(5, 300),
                ),
                max_meetings,
                _token(rng, 32),
                None,
                True,
            )
        )
        if registration_status == RegistrationStatus.APPROVED:
            approved.append(reg_pk)
            capacity[reg_pk] = max_meetings
    if len(approved) < 2:
        return
    past = start < TODAY
    busy: dict[int, set[int]] = {r: set() for r in approved}
    tables_used = dict.fromkeys(range(len(slot_pks)), 0)
    pairs: set[frozenset[int]] = set()
    request_statuses = (
        RequestStatus.ACCEPTED,
        RequestStatus.PENDING,
        RequestStatus.DECLINED,
        RequestStatus.EXPIRED,
    )
    weights = (55, 10, 25, 10) if past else (45, 35, 15, 5)
    for _ in range(int(len(approved) * 1.5)):
        a, b = rng.sample(approved, 2)
        pair = frozenset((a, b))
        if pair in pairs:
            continue
        pairs.add(pair)
        status = rng.choices(request_statuses, weights)[0]
        request_pk = pks[MeetingRequest]
        pks[MeetingRequest] += 1
        decided = status != RequestStatus.PENDING
        out.requests.append(
            (
                request_pk,
                GENERATED_AT,
                GENERATED_AT,
                event_pk,
                a,
                b,
                "Synthetic request.",
                rng.randint(1, 3),
                status.value,
                None,
                GENERATED_AT if decided else None,
            )
        )
        if status != RequestStatus.ACCEPTED:
            continue
        meeting_pk = pks[Meeting]
        pks[Meeting] += 1
        place = None
        if capacity[a] > 0 and capacity[b] > 0:
            order = list(range(len(slot_pks)))
            rng.shuffle(order)
            for s in order:
                if s not in busy[a] and s not in busy[b] and tables_used[s] < len(table_pks):
                    place = s
                    break
        uid = _token(rng, 32)
        if place is None:
            out.meetings.append(
                (meeting_pk, GENERATED_AT, GENERATED_AT, event_pk, request_pk, None, None,
                 MeetingStatus.UNSCHEDULED.value, "No common free slot.", False, None, uid, 0,
                 None)
            )  # fmt: skip
            out.bookings.extend(((meeting_pk, a, None, None), (meeting_pk, b, None, None)))
            continue
        busy[a].add(place)
        busy[b].add(place)
        capacity[a] -= 1
        capacity[b] -= 1
        table = table_pks[tables_used[place]]
        tables_used[place] += 1
        slot = slot_pks[place]
        held = GENERATED_AT if past and rng.random() < 0.85 else None
        out.meetings.append(
            (meeting_pk, GENERATED_AT, GENERATED_AT, event_pk, request_pk, slot, table,
             MeetingStatus.SCHEDULED.value, "", False, GENERATED_AT if past else None, uid, 0,
             held)
        )  # fmt: skip
        out.bookings.extend(((meeting_pk, a, slot, None), (meeting_pk, b, slot, None)))


def missing_columns(table: Table) -> list[str]:
    """Columns the database requires that ``table`` does not provide (NOT NULL without a
    database default; an auto-incremented primary key may be left to the database)."""
    given = set(table.columns)
    return [
        f.attname
        for f in table.model._meta.concrete_fields
        if not f.generated
        and not f.null
        and f.attname not in given
        and not (f.primary_key and isinstance(f, AutoField))
    ]


REFERENCED = (
    ClusterOrganisation,
    Partnership,
    User,
    Event,
    EventSession,
    Slot,
    EventTable,
    ParticipantType,
    Registration,
    MeetingRequest,
    Meeting,
)
