"""Celery tasks of the events app (eager in-process unless CELERY_BROKER_URL is set).

Beat schedule suggestion (the lead wires it): ``events.expire_requests`` hourly,
``events.follow_up_reminders`` daily.
"""

from __future__ import annotations

import logging

from django.conf import settings

from escp4i.celery import app
from escp4i.events import services

logger = logging.getLogger(__name__)


@app.task(name="events.schedule_run")  # type: ignore[untyped-decorator]  # celery is untyped
def schedule_run_task(run_id: int) -> str:
    """Execute one optimiser run. A crash is recorded on the run and never touches meetings
    (the apply step is a single transaction after the solve)."""
    try:
        run = services.schedule_run_execute(
            run_id=run_id,
            time_limit_s=settings.ESCP4I_SCHEDULER_TIME_LIMIT_S,
            workers=settings.ESCP4I_SCHEDULER_WORKERS,
            seed=settings.ESCP4I_SCHEDULER_SEED,
        )
    except Exception as exc:  # the job boundary: record any crash on the run, keep the schedule
        logger.exception("schedule run %s failed", run_id)
        services.schedule_run_fail(run_id=run_id, error=f"{type(exc).__name__}: {exc}")
        return "failed"
    return str(run.status)


@app.task(name="events.fail_stale_runs")  # type: ignore[untyped-decorator]  # celery is untyped
def fail_stale_runs_task() -> int:
    """Periodic (beat, every 5 minutes): runs whose worker died are marked failed."""
    return services.schedule_runs_fail_stale(stale_after_s=settings.ESCP4I_SCHEDULER_STALE_AFTER_S)


@app.task(name="events.expire_requests")  # type: ignore[untyped-decorator]  # celery is untyped
def expire_requests_task() -> int:
    return services.meeting_requests_expire()


@app.task(name="events.follow_up_reminders")  # type: ignore[untyped-decorator]  # celery is untyped
def follow_up_reminders_task() -> int:
    return services.follow_up_reminders_send()
