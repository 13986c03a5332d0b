"""The optimiser job through a real Celery worker with Redis (CI sets ESCP4I_TEST_REDIS_URL)."""

import os
import threading

import pytest
from celery.signals import task_postrun

from escp4i.celery import app
from escp4i.events import services
from escp4i.events.models import RunStatus, SchedulingMode

REDIS_URL = os.environ.get("ESCP4I_TEST_REDIS_URL", "")


@pytest.mark.skipif(not REDIS_URL, reason="set ESCP4I_TEST_REDIS_URL to run against Redis")
# Same xdist worker as tests/ops/test_deploy.py, whose Celery worker reads the same broker queue.
@pytest.mark.xdist_group("celery-broker")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_optimiser_run_on_real_worker(make_event, make_participant, organiser, settings):
    from celery.contrib.testing.worker import start_worker

    event = make_event(scheduling_mode=SchedulingMode.OPTIMISER)
    regs = [make_participant(event) for _ in range(4)]
    for a, b in [(regs[0], regs[1]), (regs[2], regs[3]), (regs[0], regs[2])]:
        services.meeting_request_accept(
            request=services.meeting_request_send(requester=a, recipient=b, actor=None), actor=None
        )
    keys = ("broker_url", "result_backend", "task_always_eager", "task_ignore_result")
    old = {k: app.conf[k] for k in keys}
    # No result backend: the run row is the result (and redis-py warns on the backend's setex).
    app.conf.update(
        broker_url=REDIS_URL, result_backend=None, task_always_eager=False, task_ignore_result=True
    )
    settings.ESCP4I_SCHEDULER_TIME_LIMIT_S = 5
    # Connections pooled by earlier (eager) tests still point at the default broker: drop them.
    app._pool = None
    app.amqp._producer_pool = None
    # Wait for the worker's signal, not by polling the database: on SQLite's shared-cache
    # in-memory test database a read while the worker thread writes fails with "database
    # table is locked" (SQLITE_LOCKED, which no busy timeout retries).
    done = threading.Event()

    def finished(sender: object = None, **kwargs: object) -> None:
        if getattr(sender, "name", "") == "events.schedule_run":
            done.set()

    task_postrun.connect(finished, weak=False)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            run = services.schedule_run_start(event=event, actor=organiser)  # enqueues at commit
            assert done.wait(timeout=60), "the worker did not finish the run within 60 s"
    finally:
        task_postrun.disconnect(finished)
        app.conf.update(**old)
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED, run.error
    assert run.result["scheduled"] == 3
