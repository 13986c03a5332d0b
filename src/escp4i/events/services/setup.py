"""Event set-up by an organiser: the event itself, its sessions (and their generated slots),
tables and participant types with caps."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from escp4i.accounts.models import Role, User
from escp4i.accounts.selectors import require_role
from escp4i.core.audit import audit_record
from escp4i.core.errors import Conflict, DomainError
from escp4i.events.models import (
    Event,
    EventSession,
    Meeting,
    ParticipantKind,
    ParticipantType,
    RequestMode,
    SchedulingMode,
    Slot,
    Table,
)
from escp4i.events.selectors import event_can_manage
from escp4i.events.timeslots import parse_breaks, session_slot_times
from escp4i.registry.models import Country, Sector

MAX_TABLES = 1_000  # far beyond any matchmaking floor; a larger count is a typo
TABLE_NAME_MAX = 80  # Table.name's max_length


def require_manage(*, actor: User | None, event: Event) -> None:
    """Management commands pass ``actor=None`` (system); anyone else must organise the event."""
    if actor is None:
        return
    if not event_can_manage(actor=actor, event=event):
        from escp4i.core.errors import PermissionDenied

        raise PermissionDenied(_("Only the event's organiser may do this."))


def _unique_slug(name: str, start_date: dt.date) -> str:
    base = slugify(f"{name[:60]}-{start_date.year}") or "event"
    slug, n = base, 2
    while Event.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def event_create(
    *,
    actor: User,
    name: str,
    city: str,
    country: Country,
    start_date: dt.date,
    end_date: dt.date,
    timezone_name: str = "Europe/Brussels",
    host_fair: str = "",
    description: str = "",
    focus_countries: Iterable[Country] = (),
    sectors: Iterable[Sector] = (),
    request_mode: RequestMode | str = RequestMode.OPT_IN,
    scheduling_mode: SchedulingMode | str = SchedulingMode.SELF,
    open_request_cap: int = 10,
    request_expiry_hours: int = 72,
    requires_validation: bool = False,
    registration_opens_at: dt.datetime | None = None,
    registration_closes_at: dt.datetime | None = None,
    booking_opens_at: dt.datetime | None = None,
    booking_closes_at: dt.datetime | None = None,
    follow_up_delay_days: int = 14,
    participant_caps: Mapping[str, int | None] | None = None,
    tables: int | Sequence[str] = 0,
    source_urls: Sequence[str] = (),
    facts: Mapping[str, str] | None = None,
    is_synthetic: bool = False,
    slug: str = "",
) -> Event:
    """Create an event organised by ``actor`` (event-organiser role). ``participant_caps`` maps
    each accepted participant kind to its cap (None = no cap; default: every kind, no cap)."""
    require_role(actor=actor, role=Role.EVENT_ORGANISER)
    try:
        ZoneInfo(timezone_name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise DomainError(_("Unknown time zone %(tz)r.") % {"tz": timezone_name}) from exc
    if slug and Event.objects.filter(slug=slug).exists():
        raise Conflict(_("An event with this address already exists."), slug=slug)
    event = Event(
        slug=slug or _unique_slug(name, start_date),
        name=name,
        city=city,
        country=country,
        start_date=start_date,
        end_date=end_date,
        timezone=timezone_name,
        host_fair=host_fair,
        description=description,
        organiser=actor,
        request_mode=RequestMode(request_mode),
        scheduling_mode=SchedulingMode(scheduling_mode),
        open_request_cap=open_request_cap,
        request_expiry_hours=request_expiry_hours,
        requires_validation=requires_validation,
        registration_opens_at=registration_opens_at,
        registration_closes_at=registration_closes_at,
        booking_opens_at=booking_opens_at,
        booking_closes_at=booking_closes_at,
        follow_up_delay_days=follow_up_delay_days,
        source_urls=list(source_urls),
        facts=dict(facts or {}),
        is_synthetic=is_synthetic,
    )
    event.full_clean()
    event.save()
    event.focus_countries.set(list(focus_countries))
    event.sectors.set(list(sectors))
    caps = (
        participant_caps
        if participant_caps is not None
        else dict.fromkeys(ParticipantKind.values, None)
    )
    for kind, cap in caps.items():
        ParticipantType.objects.create(event=event, kind=ParticipantKind(kind), cap=cap)
    if tables:
        event_tables_set(event=event, actor=actor, tables=tables)
    audit_record(actor=actor, action="event.create", target=event, data={"slug": event.slug})
    return event


@transaction.atomic
def event_session_add(
    *,
    event: Event,
    actor: User | None,
    date: dt.date,
    start_time: dt.time,
    end_time: dt.time,
    slot_minutes: int = 30,
    breaks: Sequence[Sequence[str]] = (),
    name: str = "",
) -> EventSession:
    """Add a session and generate its slots; the event's slot indexes are renumbered."""
    require_manage(actor=actor, event=event)
    if not event.start_date <= date <= event.end_date:
        raise DomainError(_("The session must be on one of the event's days."))
    try:
        parsed = parse_breaks([(str(a), str(b)) for a, b in breaks])
    except ValueError as exc:
        raise DomainError(_("Breaks must be HH:MM-HH:MM ranges.")) from exc
    session = EventSession(
        event=event,
        name=name
        or _("Session %(date)s %(start)s")
        % {"date": date.isoformat(), "start": start_time.strftime("%H:%M")},
        date=date,
        start_time=start_time,
        end_time=end_time,
        slot_minutes=slot_minutes,
        breaks=[[a.strftime("%H:%M"), b.strftime("%H:%M")] for a, b in parsed],
    )
    session.full_clean()
    times = session_slot_times(
        date=date,
        start=start_time,
        end=end_time,
        slot_minutes=slot_minutes,
        breaks=parsed,
        tz=event.timezone,
    )
    if not times:
        raise DomainError(_("The session is shorter than one slot."))
    starts = [a for a, _b in times]
    if Slot.objects.filter(event=event, starts_at__in=starts).exists():
        raise Conflict(_("This session overlaps an existing one."))
    overlapping = Slot.objects.filter(
        event=event, starts_at__lt=times[-1][1], ends_at__gt=times[0][0]
    )
    if overlapping.exists():
        raise Conflict(_("This session overlaps an existing one."))
    session.save()
    Slot.objects.bulk_create(
        Slot(event=event, session=session, starts_at=a, ends_at=b, index=0) for a, b in times
    )
    for index, slot in enumerate(Slot.objects.filter(event=event).order_by("starts_at")):
        if slot.index != index:
            slot.index = index
            slot.save(update_fields=["index"])
    audit_record(
        actor=actor, action="event.session_add", target=event, data={"session": session.name}
    )
    return session


@transaction.atomic
def event_tables_set(
    *, event: Event, actor: User | None, tables: int | Sequence[str]
) -> list[Table]:
    """Set the tables: a count (``T1``…``Tn``) or names. Tables with meetings are kept."""
    require_manage(actor=actor, event=event)
    count = tables if isinstance(tables, int) else len(tables)
    if count > MAX_TABLES:
        raise DomainError(_("An event has at most %(max)d tables.") % {"max": MAX_TABLES})
    names = [f"T{i}" for i in range(1, tables + 1)] if isinstance(tables, int) else list(tables)
    names = [n.strip() for n in names if n.strip()]
    if not names:
        raise DomainError(_("An event needs at least one table."))
    if len(set(names)) != len(names):
        raise DomainError(_("Table names must be unique."))
    if any(len(n) > TABLE_NAME_MAX for n in names):
        raise DomainError(
            _("Table names have at most %(max)d characters.") % {"max": TABLE_NAME_MAX}
        )
    used = set(
        Meeting.objects.filter(event=event, table__isnull=False).values_list(
            "table__name", flat=True
        )
    )
    Table.objects.filter(event=event).exclude(name__in=set(names) | used).delete()
    for position, table_name in enumerate(names):
        Table.objects.update_or_create(
            event=event, name=table_name, defaults={"position": position}
        )
    audit_record(actor=actor, action="event.tables_set", target=event, data={"tables": names})
    return list(event.tables.all())


@transaction.atomic
def participant_type_cap_set(
    *, event: Event, actor: User | None, kind: ParticipantKind | str, cap: int | None
) -> ParticipantType:
    require_manage(actor=actor, event=event)
    ptype, _created = ParticipantType.objects.update_or_create(
        event=event, kind=ParticipantKind(kind), defaults={"cap": cap}
    )
    return ptype
