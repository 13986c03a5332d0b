"""The demo: the real 2016 EU-US (Hannover Messe) and Taiwan-EU (Computex) matchmaking events
from the shipped events data (sources kept), EU participants from the real registry, generated
third-country participants (labelled synthetic), accepted requests, and for the EU-US event an
optimised, published schedule. Idempotent; fixed seed."""

from __future__ import annotations

import csv
import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from escp4i.accounts.models import Role, User
from escp4i.accounts.services import role_grant
from escp4i.events import selectors, services
from escp4i.events.models import (
    Event,
    MeetingRequest,
    OpportunityKind,
    ParticipantKind,
    RequestMode,
    ScheduleRun,
    SchedulingMode,
)
from escp4i.registry.models import ClusterOrganisation, Country, Sector
from escp4i.registry.services import registry_changed

EVENTS_CSV = Path(__file__).resolve().parent.parent / "registry" / "data" / "events.csv"
DEMO_ORGANISER = "demo-organiser"
TOPICS = ("sensors", "packaging", "batteries", "software", "materials")


@dataclass(frozen=True, slots=True)
class DemoSpec:
    slug: str
    start_date: str
    timezone: str
    third_country: str
    days: tuple[str, ...]
    synthetic_names: tuple[str, ...]
    scheduling_mode: SchedulingMode
    eu_countries: tuple[str, ...] = ()


SPECS = (
    DemoSpec(
        slug="eu-us-cluster-matchmaking-hannover-2016",
        start_date="2016-04-25",
        timezone="Europe/Berlin",
        third_country="US",
        days=("2016-04-25", "2016-04-26"),
        synthetic_names=(
            "Ohio Advanced Manufacturing Network",
            "Michigan Mobility Cluster",
            "Texas Energy Innovation Alliance",
            "Carolina Textile Technology Hub",
            "Wisconsin Water Council",
            "Colorado Aerospace Partnership",
            "Pittsburgh Robotics Network",
            "Georgia Food Processing Cluster",
        ),
        scheduling_mode=SchedulingMode.OPTIMISER,
    ),
    DemoSpec(
        slug="taiwan-eu-ict-cluster-matchmaking-computex-2016",
        start_date="2016-05-30",
        timezone="Asia/Taipei",
        third_country="TW",
        days=("2016-05-30", "2016-05-31", "2016-06-01"),
        synthetic_names=(
            "Hsinchu Semiconductor Association",
            "Taichung Precision Machinery Cluster",
            "Tainan Green Energy Alliance",
            "Taipei IoT Solutions Network",
            "Kaohsiung Smart Port Cluster",
            "Taoyuan Automotive Electronics Group",
        ),
        scheduling_mode=SchedulingMode.SELF,
        eu_countries=("BE", "BG", "FR", "DE", "GR", "HU", "IT", "NL", "PL", "RO", "ES"),
    ),
)


def _row(start_date: str) -> dict[str, str]:
    with EVENTS_CSV.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["start_date"] == start_date:
                return row
    raise LookupError(start_date)


def _user(username: str, organisation: ClusterOrganisation | None, role: Role) -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"email": f"{username}@demo.invalid", "organisation": organisation},
    )
    if created:
        user.set_unusable_password()
        user.save()
    role_grant(user=user, role=role)
    return user


@transaction.atomic
def demo_event_seed(spec: DemoSpec, *, seed: int = 2016) -> tuple[Event, bool]:
    """Create one demo event (nothing if it exists). Returns (event, created)."""
    existing = Event.objects.filter(slug=spec.slug).first()
    if existing is not None:
        return existing, False
    rng = random.Random(f"{seed}-{spec.slug}")  # noqa: S311  # demo data, not security
    row = _row(spec.start_date)
    organiser = _user(DEMO_ORGANISER, None, Role.EVENT_ORGANISER)
    urls = [row["source_url"]] + [
        word.rstrip(".,") for word in row["notes"].split() if word.startswith("http")
    ]
    facts = {
        key: row[key]
        for key in (
            "organisers",
            "eu_participants",
            "third_country_participants",
            "meetings",
            "other_figures",
        )
        if row[key]
    }
    sector_names = [s.strip().lower() for s in row["sectors"].split(";") if s.strip()]
    sectors = [s for s in Sector.objects.all() if any(n in s.name.lower() for n in sector_names)]
    event = services.event_create(
        actor=organiser,
        slug=spec.slug,
        name=row["event_name"],
        city=row["city"],
        country=Country.objects.get(pk=row["country_iso2"]),
        start_date=dt.date.fromisoformat(row["start_date"]),
        end_date=dt.date.fromisoformat(row["end_date"]),
        timezone_name=spec.timezone,
        host_fair=row["host_fair_or_context"],
        description=row["notes"],
        focus_countries=Country.objects.filter(pk__in=row["third_countries"].split(";")),
        sectors=sectors,
        request_mode=RequestMode.OPT_IN,
        scheduling_mode=spec.scheduling_mode,
        tables=8,
        source_urls=urls,
        facts=facts,
    )
    for day in spec.days:
        services.event_session_add(
            event=event,
            actor=organiser,
            date=dt.date.fromisoformat(day),
            start_time=dt.time(9, 30),
            end_time=dt.time(12, 30),
            slot_minutes=20,
            breaks=[["10:50", "11:10"]],
            name=f"Matchmaking {day}",
        )
    # EU participants: real registry organisations (of the listed countries when stated).
    eu = ClusterOrganisation.objects.filter(is_synthetic=False).exclude(
        country_id=spec.third_country
    )
    if spec.eu_countries:
        eu = eu.filter(country_id__in=spec.eu_countries)
    eu_orgs = list(eu.order_by("name"))
    rng.shuffle(eu_orgs)
    registrations = []
    kinds = list(OpportunityKind)
    for organisation in eu_orgs[:12]:
        user = _user(f"demo-{organisation.slug}"[:150], organisation, Role.PARTICIPANT)
        registrations.append(
            services.registration_create(
                event=event,
                user=user,
                organisation=organisation,
                participant_kind=ParticipantKind.EU_CLUSTER,
                max_meetings=6,
                profile=f"{organisation.name} ({organisation.country.name}) looks for partners.",
            )
        )
    third = Country.objects.get(pk=spec.third_country)
    for name in spec.synthetic_names:
        organisation, _created = ClusterOrganisation.objects.get_or_create(
            name=name,
            country=third,
            defaults={
                "slug": f"demo-{spec.third_country.lower()}-{name.lower().replace(' ', '-')}",
                "is_synthetic": True,
                "notes": "Synthetic demo participant.",
            },
        )
        user = _user(f"demo-{organisation.slug}"[:150], organisation, Role.PARTICIPANT)
        registrations.append(
            services.registration_create(
                event=event,
                user=user,
                organisation=organisation,
                participant_kind=ParticipantKind.THIRD_COUNTRY,
                max_meetings=6,
                profile="Sample data: a generated third-country participant.",
                is_synthetic=True,
            )
        )
    registry_changed()  # the organisations made above are registry rows (country pages list them)
    for registration in registrations:
        kind = rng.choice(kinds)
        services.opportunity_add(
            registration=registration,
            actor=None,
            kind=kind,
            title=f"{kind.label} in {rng.choice(TOPICS)}",
            countries=[third] if not registration.is_synthetic else [],
        )
    # Requests between EU and third-country participants, most accepted.
    eu_regs = [r for r in registrations if not r.is_synthetic]
    tc_regs = [r for r in registrations if r.is_synthetic]
    pairs = {(e.pk, t.pk) for e in eu_regs for t in tc_regs if rng.random() < 0.3}
    by_pk = {r.pk: r for r in registrations}
    for a_pk, b_pk in sorted(pairs):
        a, b = by_pk[a_pk], by_pk[b_pk]
        if selectors.meeting_request_obstacle(requester=a, recipient=b):
            continue
        request = services.meeting_request_send(
            requester=a, recipient=b, actor=None, message="Demo request", priority=rng.randint(1, 3)
        )
        if rng.random() < 0.85:
            self_mode = spec.scheduling_mode == SchedulingMode.SELF
            if selectors.meeting_obstacle(a=b, b=a, needs_place=self_mode) is None:
                services.meeting_request_accept(request=request, actor=None)
        elif rng.random() < 0.5:
            MeetingRequest.objects.filter(pk=request.pk).update(status="declined")
    return event, True


def demo_schedule_publish(
    event: Event, *, time_limit_s: float, workers: int, seed: int
) -> ScheduleRun:
    """Optimise and publish the demo event's schedule (synchronously, short time limit)."""
    run = ScheduleRun.objects.create(event=event, created_by=event.organiser)
    run = services.schedule_run_execute(
        run_id=run.pk, time_limit_s=time_limit_s, workers=workers, seed=seed
    )
    services.event_schedule_publish(event=event, actor=None)
    return run
