"""Celery tasks of the labels app.

``BEAT_SCHEDULE`` is the entry to merge into ``CELERY_BEAT_SCHEDULE`` in settings: the daily
label job at 05:15 (Europe/Brussels), after midnight so "today" is the new day everywhere in
the EU and before office hours, when reminder e-mails are read.
"""

from __future__ import annotations

from typing import Any

from celery import shared_task
from celery.schedules import crontab

from escp4i.labels.services import labels_daily_run

BEAT_SCHEDULE: dict[str, dict[str, Any]] = {
    "labels-daily": {
        "task": "escp4i.labels.tasks.labels_daily",
        "schedule": crontab(hour=5, minute=15),
    }
}


@shared_task(name="escp4i.labels.tasks.labels_daily")  # type: ignore[untyped-decorator]  # celery is untyped
def labels_daily(dry_run: bool = False) -> dict[str, int]:
    """Expire labels, start the reminder window and send due reminders; returns the counts."""
    report = labels_daily_run(dry_run=dry_run)
    return {
        "expired": report.count("expire"),
        "expiring": report.count("start_expiring"),
        "reminders": report.count("remind"),
        "skipped": len(report.skipped),
    }
