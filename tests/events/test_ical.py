"""Strict checks on the calendar feed: RFC 5545 structure, stable UIDs, growing SEQUENCE,
cancellations kept, the event's VTIMEZONE/TZID, METHOD:PUBLISH."""

import datetime as dt

import icalendar
import pytest

from escp4i.events import ical, services


def _vevents(registration):
    cal = icalendar.Calendar.from_ical(ical.registration_calendar(registration=registration))
    return cal, {str(e["UID"]): e for e in cal.walk("VEVENT")}


def _strict(cal, tzid):
    assert cal["VERSION"] == "2.0"
    assert cal["PRODID"]
    assert cal["METHOD"] == "PUBLISH"
    timezones = cal.walk("VTIMEZONE")
    assert [str(t["TZID"]) for t in timezones] == [tzid]
    assert timezones[0].walk("STANDARD") or timezones[0].walk("DAYLIGHT")
    for vevent in cal.walk("VEVENT"):
        for prop in (
            "UID",
            "DTSTAMP",
            "DTSTART",
            "DTEND",
            "SEQUENCE",
            "STATUS",
            "SUMMARY",
            "ORGANIZER",
        ):
            assert prop in vevent, prop
        assert vevent["DTSTART"].params["TZID"] == tzid
        assert vevent["DTEND"].params["TZID"] == tzid
        assert vevent["DTSTAMP"].dt.tzinfo is not None and vevent[
            "DTSTAMP"
        ].dt.utcoffset() == dt.timedelta(0)
        assert vevent["DTEND"].dt > vevent["DTSTART"].dt
        assert vevent["STATUS"] in ("CONFIRMED", "CANCELLED")
        assert int(vevent["SEQUENCE"]) >= 0
    uids = [str(e["UID"]) for e in cal.walk("VEVENT")]
    assert len(uids) == len(set(uids))


def test_feed_uid_stable_sequence_grows_cancellation_present(make_event, make_participant):
    event = make_event()
    a, b, c = make_participant(event), make_participant(event), make_participant(event)
    m1 = services.meeting_request_accept(
        request=services.meeting_request_send(requester=a, recipient=b, actor=None), actor=None
    )
    m2 = services.meeting_request_accept(
        request=services.meeting_request_send(requester=a, recipient=c, actor=None), actor=None
    )
    cal1, first = _vevents(a)
    _strict(cal1, "Europe/Berlin")
    (berlin,) = cal1.walk("VTIMEZONE")
    assert berlin.walk("STANDARD") and berlin.walk("DAYLIGHT")
    assert len(first) == 2
    start = first[f"{m1.uid}@escp4i"]["DTSTART"].dt
    assert start.hour == 9 and start.minute == 0  # 09:00 Berlin time
    assert str(first[f"{m1.uid}@escp4i"]["LOCATION"]).startswith("Table T1")

    _cal2, again = _vevents(a)
    assert set(again) == set(first)  # UIDs stable across re-exports

    services.meeting_cancel(meeting=m2, actor=c.user)
    cal3, after = _vevents(a)
    _strict(cal3, "Europe/Berlin")
    cancelled = after[f"{m2.uid}@escp4i"]
    assert cancelled["STATUS"] == "CANCELLED"
    assert int(cancelled["SEQUENCE"]) > int(first[f"{m2.uid}@escp4i"]["SEQUENCE"])
    assert after[f"{m1.uid}@escp4i"]["STATUS"] == "CONFIRMED"


def test_feed_url_is_secret_and_public(client, make_event, make_participant):
    event = make_event()
    a, b = make_participant(event), make_participant(event)
    services.meeting_request_accept(
        request=services.meeting_request_send(requester=a, recipient=b, actor=None), actor=None
    )
    response = client.get(f"/events/calendar/{a.ical_token}.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    cal = icalendar.Calendar.from_ical(response.content)
    assert len(cal.walk("VEVENT")) == 1
    assert client.get("/events/calendar/not-a-token.ics").status_code == 404


@pytest.mark.parametrize("tz", ["Asia/Taipei", "America/New_York"])
def test_feed_uses_event_timezone(tz, make_event, make_participant):
    event = make_event(timezone_name=tz)
    a, b = make_participant(event), make_participant(event)
    services.meeting_request_accept(
        request=services.meeting_request_send(requester=a, recipient=b, actor=None), actor=None
    )
    cal, events = _vevents(a)
    assert [str(t["TZID"]) for t in cal.walk("VTIMEZONE")] == [tz]
    (vevent,) = events.values()
    assert vevent["DTSTART"].params["TZID"] == tz
