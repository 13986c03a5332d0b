"""Small events built through the real services: one day, one session of six 30-minute slots
(09:00-12:30 with a 10:30-11:00 break), two tables, and helpers to register participants."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from escp4i.accounts.models import Role, User
from escp4i.accounts.services import role_grant
from escp4i.events import services
from escp4i.events.models import Event, ParticipantKind, Registration
from escp4i.registry.models import ClusterOrganisation, Country

PASSWORD = "correct-horse-battery-staple"
DAY = dt.date(2030, 4, 25)
_counter = itertools.count(1)


@pytest.fixture
def make_event(organiser):
    def make(**overrides) -> Event:
        session = overrides.pop("session", True)
        tables = overrides.pop("tables", 2)
        kwargs = {
            "actor": organiser,
            "name": "EU-US Cluster Matchmaking",
            "city": "Hannover",
            "country": Country.objects.get(pk="DE"),
            "start_date": DAY,
            "end_date": DAY,
            "timezone_name": "Europe/Berlin",
            "host_fair": "Hannover Messe",
            "tables": tables,
            **overrides,
        }
        event = services.event_create(**kwargs)
        if session:
            services.event_session_add(
                event=event,
                actor=organiser,
                date=DAY,
                start_time=dt.time(9, 0),
                end_time=dt.time(12, 30),
                slot_minutes=30,
                breaks=[["10:30", "11:00"]],
                name="Morning",
            )
        return event

    return make


@pytest.fixture
def make_participant(db):
    def make(
        event: Event,
        name: str = "",
        country: str = "FR",
        kind: str = ParticipantKind.EU_CLUSTER,
        **kwargs,
    ) -> Registration:
        n = next(_counter)
        name = name or f"Cluster {n}"
        user = User.objects.create_user(
            username=f"p{n}-{name.lower().replace(' ', '')[:20]}",
            email=f"p{n}@example.org",
            password=PASSWORD,
        )
        role_grant(user=user, role=Role.PARTICIPANT)
        organisation = ClusterOrganisation.objects.create(
            name=name, slug=f"org-{n}", country=Country.objects.get(pk=country)
        )
        return services.registration_create(
            event=event, user=user, organisation=organisation, participant_kind=kind, **kwargs
        )

    return make
