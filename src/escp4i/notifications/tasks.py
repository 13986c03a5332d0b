"""Celery tasks of the notifications app: the daily and weekly digests.

Beat runs ``notifications.send_digests`` with ``period="daily"`` every day at
``ESCP4I_DIGEST_HOUR`` and with ``period="weekly"`` on ``ESCP4I_DIGEST_WEEKDAY`` at the same hour
(settings.CELERY_BEAT_SCHEDULE). Re-running a digest sends nothing twice.
"""

from __future__ import annotations

from escp4i.celery import app
from escp4i.notifications.services import digest_send


@app.task(name="notifications.send_digests")  # type: ignore[untyped-decorator]  # celery is untyped
def send_digests_task(period: str, dry_run: bool = False) -> dict[str, int]:
    report = digest_send(period=period, dry_run=dry_run)
    return {"emails": report.emails, "notifications": report.notifications, "failed": report.failed}
