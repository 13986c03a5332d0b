"""Organiser-run scheduling: start an optimiser run (a background job), execute it (adapter →
solver → ``event_schedule_generate``), and publish the schedule.

The solver result is applied in one transaction after the solve, so a run that crashes or is
refused leaves the current (and published) schedule exactly as it was. Locked meetings, and
published meetings unless the organiser allows moving them, enter the solver as fixed meetings.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from escp4i.accounts.models import User
from escp4i.core.audit import audit_record
from escp4i.core.errors import Conflict
from escp4i.events import notify, scheduling
from escp4i.events.models import (
    Event,
    Meeting,
    MeetingBooking,
    MeetingStatus,
    RunStatus,
    ScheduleRun,
    SchedulingMode,
)
from escp4i.events.services.setup import require_manage


def schedule_run_start(
    *,
    event: Event,
    actor: User | None,
    allow_moving_published: bool | None = None,
    auto_publish: bool = False,
) -> ScheduleRun:
    """Queue an optimiser run for ``event`` (organiser mode). The job starts after commit: in
    process by default, on a Celery worker when a broker is configured."""
    with transaction.atomic():
        require_manage(actor=actor, event=event)
        if event.scheduling_mode != SchedulingMode.OPTIMISER:
            raise Conflict(_("This event is self-scheduled: there is no optimiser run."))
        if not event.slots.exists() or not event.tables.exists():
            raise Conflict(_("Add sessions and tables before running the optimiser."))
        run = ScheduleRun.objects.create(
            event=event,
            created_by=actor,
            allow_moving_published=(
                event.allow_moving_published
                if allow_moving_published is None
                else allow_moving_published
            ),
            auto_publish=auto_publish,
            progress=[{"at": timezone.now().isoformat(), "message": _("Queued.")}],
        )
        audit_record(actor=actor, action="event.schedule_run", target=event, data={"run": run.pk})
        run_id = run.pk

        def enqueue() -> None:
            from escp4i.events.tasks import schedule_run_task

            schedule_run_task.delay(run_id)

        transaction.on_commit(enqueue)
    return run


def _progress(run_id: int) -> Callable[[str, float | None, float | None], None]:
    """A callback that appends a progress message (and the best objective/bound) to the run.

    The solver may call it from its own threads; those messages are kept and written by the
    next call from the job's thread, so only that thread touches the database."""
    owner = threading.get_ident()
    pending: list[str] = []

    def report(message: str, objective: float | None = None, bound: float | None = None) -> None:
        if threading.get_ident() != owner:
            pending.append(message)
            return
        messages = [*pending, message]
        pending.clear()
        run = ScheduleRun.objects.get(pk=run_id)
        now = timezone.now().isoformat()
        run.progress = [*run.progress, *({"at": now, "message": m} for m in messages)][-50:]
        fields = ["progress", "updated_at"]
        if objective is not None:
            run.best_objective = objective
            fields.append("best_objective")
        if bound is not None:
            run.bound = bound
            fields.append("bound")
        run.save(update_fields=fields)

    return report


def schedule_run_execute(
    *, run_id: int, time_limit_s: float, workers: int, seed: int
) -> ScheduleRun:
    """Run the solver for a queued run and apply its schedule. Called by the background task;
    an exception leaves the meetings untouched (the task records the failure)."""
    run = ScheduleRun.objects.select_related("event").get(pk=run_id)
    if run.status != RunStatus.QUEUED:
        return run
    run.status = RunStatus.RUNNING
    run.started_at = timezone.now()
    run.save(update_fields=["status", "started_at", "updated_at"])
    report = _progress(run.pk)
    report(_("Building the problem from the accepted requests."), None, None)
    problem = scheduling.event_problem_build(
        event=run.event, allow_moving_published=run.allow_moving_published
    )
    report(
        _("%(m)d meetings to place (%(f)d fixed), %(s)d slots, %(t)d tables.")
        % {
            "m": len(problem.meeting_ids),
            "f": len(problem.fixed),
            "s": len(problem.slot_ids),
            "t": len(problem.table_ids),
        },
        None,
        None,
    )
    outcome = scheduling.event_problem_solve(
        problem, time_limit_s=time_limit_s, workers=workers, seed=seed, on_progress=report
    )
    if not outcome.has_schedule:
        # Nothing to apply: unscheduling every meeting would lose the current schedule.
        schedule_run_fail(
            run_id=run.pk,
            error=(
                _("No schedule satisfies the fixed meetings, availability and slots.")
                if outcome.status == "infeasible"
                else _("No schedule was found within the time limit of %(s)s s.")
                % {"s": time_limit_s}
            ),
            solver_status=outcome.status,
        )
        return ScheduleRun.objects.get(pk=run.pk)
    report(_("Solver finished: applying the schedule."), outcome.objective, outcome.bound)
    run = event_schedule_generate(run=ScheduleRun.objects.get(pk=run.pk), outcome=outcome)
    if run.auto_publish and run.event.schedule_published_at is not None:
        event_schedule_publish(event=run.event, actor=None)
    return run


@transaction.atomic
def event_schedule_generate(*, run: ScheduleRun, outcome: scheduling.SolveOutcome) -> ScheduleRun:
    """Turn a solver outcome into Meeting placements, in one transaction.

    Meetings that changed meanwhile (cancelled, locked, or published while not movable) keep
    their state; if a placement now clashes with a booking made during the run, the whole
    result is refused (IntegrityError → Conflict) and nothing changes.
    """
    event = Event.objects.select_for_update().get(pk=run.event_id)
    movable = {
        m.pk: m
        for m in Meeting.objects.select_for_update(of=("self",))
        .order_by("pk")
        .filter(
            pk__in=outcome.movable_ids,
            status__in=[MeetingStatus.UNSCHEDULED, MeetingStatus.SCHEDULED],
        )
        .exclude(locked=True)
    }
    if not run.allow_moving_published:
        movable = {pk: m for pk, m in movable.items() if m.published_at is None}
    before = {pk: (m.slot_id, m.table_id) for pk, m in movable.items()}
    now = timezone.now()
    try:
        with transaction.atomic():
            MeetingBooking.objects.filter(meeting_id__in=movable).update(slot=None)
            Meeting.objects.filter(pk__in=movable).update(
                status=MeetingStatus.UNSCHEDULED, slot=None, table=None, updated_at=now
            )
            for meeting_id, (slot_id, table_id) in outcome.placements.items():
                if meeting_id not in movable:
                    continue
                Meeting.objects.filter(pk=meeting_id).update(
                    status=MeetingStatus.SCHEDULED,
                    slot_id=slot_id,
                    table_id=table_id,
                    unscheduled_reason="",
                    updated_at=now,
                )
                MeetingBooking.objects.filter(meeting_id=meeting_id).update(slot_id=slot_id)
            for meeting_id, reason in outcome.unscheduled.items():
                if meeting_id in movable:
                    Meeting.objects.filter(pk=meeting_id).update(unscheduled_reason=reason[:255])
    except IntegrityError as exc:
        raise Conflict(
            _("The schedule clashes with a booking made while the optimiser ran; run it again.")
        ) from exc
    changed = []
    for meeting_id, meeting in movable.items():
        after = outcome.placements.get(meeting_id, (None, None))
        if after != before[meeting_id] and meeting.published_at is not None:
            changed.append(meeting_id)
    if changed:
        for meeting in Meeting.objects.filter(pk__in=changed).select_related(
            "event", "slot", "table"
        ):
            meeting.sequence += 1
            meeting.save(update_fields=["sequence"])
            if meeting.status == MeetingStatus.UNSCHEDULED:
                meeting.published_at = None  # off the agenda; the feed keeps it no longer
                meeting.save(update_fields=["published_at"])
            notify.meeting_changed(meeting)
    run.status = RunStatus.SUCCEEDED
    run.finished_at = now
    run.solver_status = outcome.status
    run.best_objective = outcome.objective
    run.bound = outcome.bound
    run.result = {
        "scheduled": len(outcome.placements),
        "fixed": len(outcome.fixed_ids),
        "unscheduled": [
            {"meeting": meeting_id, "who": outcome.labels.get(meeting_id, ""), "reason": reason}
            for meeting_id, reason in sorted(outcome.unscheduled.items())
        ],
        "total_breaks": outcome.total_breaks,
        "breaks": outcome.break_summary(),
        "wall_time_s": outcome.wall_time_s,
        "moved_published": changed,
        "relaxed": list(outcome.relaxed),
    }
    run.progress = [
        *run.progress,
        {"at": now.isoformat(), "message": _("Done: %(status)s.") % {"status": outcome.status}},
    ]
    run.save()
    audit_record(
        actor=None,
        action="event.schedule_generate",
        target=event,
        data={"run": run.pk, "scheduled": len(outcome.placements)},
    )
    return run


def schedule_run_fail(*, run_id: int, error: str, solver_status: str = "") -> None:
    """Record a crashed run, or one whose solve found no schedule (the meetings were not
    touched); ``solver_status``: the solver's verdict, when it got that far."""
    now = timezone.now()
    run = ScheduleRun.objects.get(pk=run_id)
    run.status = RunStatus.FAILED
    run.error = error[:2000]
    run.finished_at = now
    run.solver_status = solver_status
    run.progress = [*run.progress, {"at": now.isoformat(), "message": _("Failed.")}]
    run.save(
        update_fields=[
            "status",
            "error",
            "finished_at",
            "solver_status",
            "progress",
            "updated_at",
        ]
    )


def schedule_runs_fail_stale(*, stale_after_s: int, now: dt.datetime | None = None) -> int:
    """Mark runs still queued or running without any progress for ``stale_after_s`` as failed.

    Such a run lost its worker (killed, out of memory, machine gone): its writes, if it got that
    far, were one transaction that never committed, so the schedule is as it was. Once failed,
    the organiser can start a new run. Returns the number of runs marked."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(seconds=stale_after_s)
    count = 0
    for run_id in ScheduleRun.objects.filter(
        status__in=[RunStatus.QUEUED, RunStatus.RUNNING], updated_at__lt=cutoff
    ).values_list("pk", flat=True):
        with transaction.atomic():
            run = ScheduleRun.objects.select_for_update().get(pk=run_id)
            if run.status not in (RunStatus.QUEUED, RunStatus.RUNNING) or run.updated_at >= cutoff:
                continue  # finished or progressed meanwhile
            schedule_run_fail(
                run_id=run.pk,
                error=_(
                    "The run stopped without finishing (its worker was stopped or lost; no "
                    "progress since %(since)s). The schedule was not changed: start a new run."
                )
                % {"since": run.updated_at.isoformat(timespec="seconds")},
            )
            count += 1
    return count


@transaction.atomic
def event_schedule_publish(*, event: Event, actor: User | None) -> int:
    """Publish the scheduled meetings: they enter agendas and calendar feeds, and each
    participant with a newly published meeting is notified. Returns the number published."""
    require_manage(actor=actor, event=event)
    event = Event.objects.select_for_update().get(pk=event.pk)
    now = timezone.now()
    new = Meeting.objects.filter(
        event=event, status=MeetingStatus.SCHEDULED, published_at__isnull=True
    )
    users = list(User.objects.filter(event_registrations__bookings__meeting__in=new).distinct())
    count = new.update(published_at=now, updated_at=now)
    if event.schedule_published_at is None:
        event.schedule_published_at = now
        event.save(update_fields=["schedule_published_at", "updated_at"])
    audit_record(actor=actor, action="event.schedule_publish", target=event, data={"count": count})
    notify.schedule_published(event, users)
    return count
