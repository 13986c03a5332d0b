"""iCalendar (RFC 5545) feeds of a participant's meetings, published with METHOD:PUBLISH
(RFC 5546).

Every meeting keeps one UID for its whole life; SEQUENCE is the meeting's change counter, so a
calendar client replaces the old version; cancelled or no-show meetings stay in the feed with
STATUS:CANCELLED. Times carry the event's TZID with a matching VTIMEZONE.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Timezone, vCalAddress, vText
from icalendar import Event as VEvent

from escp4i.events.models import Meeting, MeetingStatus, Registration
from escp4i.events.selectors import agenda_meetings

PRODID = "-//escp4i//Matchmaking events//EN"
UID_DOMAIN = "escp4i"


def meeting_uid(meeting: Meeting) -> str:
    return f"{meeting.uid}@{UID_DOMAIN}"


def registration_calendar(*, registration: Registration, now: dt.datetime | None = None) -> bytes:
    """The participant's calendar feed: published meetings, cancelled ones included."""
    event = registration.event
    zone = ZoneInfo(event.timezone)
    stamp = now or timezone.now()
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"{event.name} - {registration.organisation.name}")
    cal.add("x-wr-timezone", event.timezone)
    cal.add_component(
        Timezone.from_tzid(
            event.timezone,
            first_date=dt.date(event.start_date.year, 1, 1),
            last_date=dt.date(event.end_date.year, 12, 31),
        )
    )
    organiser_email = event.organiser.email or settings.DEFAULT_FROM_EMAIL
    for meeting in agenda_meetings(registration=registration, include_cancelled=True):
        assert meeting.slot is not None  # noqa: S101  # agenda meetings have a slot
        partner = getattr(meeting, "partner", None)
        vevent = VEvent()
        vevent.add("uid", meeting_uid(meeting))
        vevent.add("dtstamp", stamp.astimezone(dt.UTC))
        vevent.add("last-modified", meeting.updated_at.astimezone(dt.UTC))
        vevent.add("created", meeting.created_at.astimezone(dt.UTC))
        vevent.add("sequence", meeting.sequence)
        vevent.add("dtstart", meeting.slot.starts_at.astimezone(zone))
        vevent.add("dtend", meeting.slot.ends_at.astimezone(zone))
        partner_name = partner.organisation.name if partner else "?"
        vevent.add("summary", f"B2B: {partner_name}")
        where = ", ".join(
            part
            for part in (
                f"Table {meeting.table.name}" if meeting.table else "",
                event.host_fair,
                event.city,
            )
            if part
        )
        vevent.add("location", where)
        description = f"{event.name}\n{partner_name}"
        if partner is not None:
            description += f" ({partner.organisation.country.name})"
        vevent.add("description", description)
        cancelled = meeting.status in (MeetingStatus.CANCELLED, MeetingStatus.NO_SHOW)
        vevent.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        vevent.add("transp", "TRANSPARENT" if cancelled else "OPAQUE")
        organizer = vCalAddress(f"mailto:{organiser_email}")
        organizer.params["cn"] = vText(event.name)
        vevent.add("organizer", organizer)
        cal.add_component(vevent)
    return bytes(cal.to_ical())
