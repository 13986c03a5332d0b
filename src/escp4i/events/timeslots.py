"""Slot arithmetic for event sessions (pure functions, no database)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo


def parse_breaks(breaks: list[list[str]] | list[tuple[str, str]]) -> list[tuple[dt.time, dt.time]]:
    """``[["10:30", "11:00"]]`` → ``[(time(10, 30), time(11, 0))]``; raises ValueError."""
    parsed = []
    for start, end in breaks:
        a, b = dt.time.fromisoformat(start), dt.time.fromisoformat(end)
        if b <= a:
            raise ValueError(f"break {start}-{end} ends before it starts")
        parsed.append((a, b))
    return sorted(parsed)


def session_slot_times(
    *,
    date: dt.date,
    start: dt.time,
    end: dt.time,
    slot_minutes: int,
    breaks: list[tuple[dt.time, dt.time]],
    tz: str,
) -> list[tuple[dt.datetime, dt.datetime]]:
    """Consecutive slots of ``slot_minutes`` from ``start`` to ``end`` in the event's time zone;
    a slot that would overlap a break starts after the break instead."""
    zone = ZoneInfo(tz)
    length = dt.timedelta(minutes=slot_minutes)
    cursor = dt.datetime.combine(date, start)
    stop = dt.datetime.combine(date, end)
    pauses = [(dt.datetime.combine(date, a), dt.datetime.combine(date, b)) for a, b in breaks]
    slots = []
    while cursor + length <= stop:
        overlapping = [b for a, b in pauses if a < cursor + length and cursor < b]
        if overlapping:
            cursor = max(overlapping)
            continue
        slots.append((cursor.replace(tzinfo=zone), (cursor + length).replace(tzinfo=zone)))
        cursor += length
    return slots
