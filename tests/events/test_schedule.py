"""Organiser mode: the optimiser run (in-process Celery by default), publication, locks,
late requests after publication, and a crashed run."""

import itertools
from dataclasses import replace

import pytest

from escp4i.core.errors import Conflict
from escp4i.events import scheduler_bridge, selectors, services
from escp4i.events.models import (
    Meeting,
    MeetingStatus,
    RunStatus,
    ScheduleRun,
    SchedulingMode,
)
from escp4i.notifications.models import Notification, NotificationKind


def _accepted(a, b):
    return services.meeting_request_accept(
        request=services.meeting_request_send(requester=a, recipient=b, actor=None), actor=None
    )


@pytest.fixture
def optimiser_event(make_event, make_participant):
    event = make_event(scheduling_mode=SchedulingMode.OPTIMISER)
    regs = [make_participant(event) for _ in range(4)]
    a, b, c, d = regs
    for x, y in [(a, b), (a, c), (b, d), (c, d), (a, d)]:
        _accepted(x, y)
    return event, regs


def test_accept_waits_for_optimiser(optimiser_event):
    event, _regs = optimiser_event
    assert set(event.meetings.values_list("status", flat=True)) == {MeetingStatus.UNSCHEDULED}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_run_in_process_then_publish(
    optimiser_event, organiser, django_capture_on_commit_callbacks
):
    event, (a, *_rest) = optimiser_event
    with django_capture_on_commit_callbacks(execute=True):
        run = services.schedule_run_start(event=event, actor=organiser)
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED, run.error
    assert run.result["scheduled"] == 5
    assert len(run.progress) >= 3
    # Breaks per participant, recomputed here from the placed meetings (each participant's
    # slots in time order; a break is a run of idle slots between two of its meetings).
    order = {
        pk: i for i, pk in enumerate(event.slots.order_by("starts_at").values_list("pk", flat=True))
    }
    busy = {}
    for meeting in Meeting.objects.filter(event=event).prefetch_related("bookings"):
        for booking in meeting.bookings.all():
            busy.setdefault(booking.registration_id, []).append(order[meeting.slot_id])
    expected = {
        reg: sum(1 for x, y in itertools.pairwise(sorted(s)) if y - x > 1)
        for reg, s in busy.items()
    }
    summary = run.result["breaks"]
    assert summary["worst"] == max(expected.values())
    assert summary["spread"] == max(expected.values()) - min(expected.values())
    assert summary["fairness"] == 2 and summary["fairness_met"] is True
    assert summary["participants_with_breaks"] == sum(1 for n in expected.values() if n)
    assert {m["registration"]: m["breaks"] for m in summary["most"]} == {
        reg: n for reg, n in expected.items() if n
    }
    assert run.result["total_breaks"] == sum(expected.values())
    assert not selectors.agenda_meetings(registration=a)  # not published yet
    with django_capture_on_commit_callbacks(execute=True):
        count = services.event_schedule_publish(event=event, actor=organiser)
    assert count == 5
    assert len(selectors.agenda_meetings(registration=a)) == 3
    assert Notification.objects.filter(
        user=a.user, kind=NotificationKind.SCHEDULE_PUBLISHED
    ).exists()


def _run(event, organiser, capture, **kwargs):
    with capture(execute=True):
        run = services.schedule_run_start(event=event, actor=organiser, **kwargs)
    run.refresh_from_db()
    return run


def test_late_request_keeps_published_and_locked_fixed(
    optimiser_event, organiser, make_participant, django_capture_on_commit_callbacks
):
    event, (a, _b, _c, _d) = optimiser_event
    _run(event, organiser, django_capture_on_commit_callbacks)
    services.event_schedule_publish(event=event, actor=organiser)
    before = dict(Meeting.objects.values_list("pk", "slot_id"))
    e = make_participant(event)
    with django_capture_on_commit_callbacks(execute=True):
        late = _accepted(e, a)
    late.refresh_from_db()
    assert late.status == MeetingStatus.SCHEDULED
    assert late.published_at is not None  # auto-run after publication publishes it
    after = dict(Meeting.objects.exclude(pk=late.pk).values_list("pk", "slot_id"))
    assert after == before
    auto = ScheduleRun.objects.filter(event=event).first()
    assert auto.auto_publish and auto.result["fixed"] == 5


def test_locked_meeting_not_moved_by_rerun(
    optimiser_event, organiser, django_capture_on_commit_callbacks
):
    event, _regs = optimiser_event
    _run(event, organiser, django_capture_on_commit_callbacks)
    meeting = Meeting.objects.filter(status=MeetingStatus.SCHEDULED).last()
    services.meeting_lock(meeting=meeting, actor=organiser, locked=True)
    place = (meeting.slot_id, meeting.table_id)
    run = _run(event, organiser, django_capture_on_commit_callbacks)
    meeting.refresh_from_db()
    assert (meeting.slot_id, meeting.table_id) == place
    assert run.result["fixed"] == 1


def test_crashed_run_leaves_published_schedule(
    optimiser_event, organiser, monkeypatch, django_capture_on_commit_callbacks
):
    event, _regs = optimiser_event
    _run(event, organiser, django_capture_on_commit_callbacks)
    services.event_schedule_publish(event=event, actor=organiser)
    snapshot = list(
        Meeting.objects.order_by("pk").values_list(
            "pk", "slot_id", "table_id", "status", "sequence"
        )
    )

    def boom(*args, **kwargs):
        raise RuntimeError("solver crashed")

    monkeypatch.setattr(scheduler_bridge, "solve_problem", boom)
    run = _run(event, organiser, django_capture_on_commit_callbacks, allow_moving_published=True)
    assert run.status == RunStatus.FAILED
    assert "solver crashed" in run.error
    assert (
        list(
            Meeting.objects.order_by("pk").values_list(
                "pk", "slot_id", "table_id", "status", "sequence"
            )
        )
        == snapshot
    )


def test_unscheduled_get_reasons(
    make_event, make_participant, organiser, django_capture_on_commit_callbacks
):
    event = make_event(scheduling_mode=SchedulingMode.OPTIMISER, tables=1)
    slots = list(event.slots.order_by("starts_at"))
    a, b = make_participant(event), make_participant(event)
    _accepted(a, b)
    a.unavailable_slots.set(slots[:3])
    b.unavailable_slots.set(slots[3:])
    run = _run(event, organiser, django_capture_on_commit_callbacks)
    assert run.result["scheduled"] == 0
    assert "no common available slot" in run.result["unscheduled"][0]["reason"]
    meeting = Meeting.objects.get()
    assert "no common available slot" in meeting.unscheduled_reason


def test_run_refused_in_self_schedule_mode(make_event, organiser):
    with pytest.raises(Conflict):
        services.schedule_run_start(event=make_event(), actor=organiser)


class _Killed(BaseException):
    """Stands in for SIGKILL/OOM: not an Exception, so no handler in the job records it."""


def test_killed_run_leaves_published_schedule_then_is_failed_and_retried(
    optimiser_event, organiser, monkeypatch, settings, django_capture_on_commit_callbacks
):
    import datetime as dt

    from django.utils import timezone

    from escp4i.events.services import schedule as schedule_module

    event, _regs = optimiser_event
    _run(event, organiser, django_capture_on_commit_callbacks)
    services.event_schedule_publish(event=event, actor=organiser)

    def meetings():
        return list(
            Meeting.objects.order_by("pk").values_list(
                "pk", "slot_id", "table_id", "status", "sequence", "published_at"
            )
        )

    snapshot = meetings()
    real_audit = schedule_module.audit_record

    def killed_after_every_write(**kwargs):
        if kwargs["action"] == "event.schedule_generate":
            raise _Killed  # every meeting update is done, the commit is not
        return real_audit(**kwargs)

    monkeypatch.setattr(schedule_module, "audit_record", killed_after_every_write)
    with pytest.raises(_Killed):
        _run(event, organiser, django_capture_on_commit_callbacks, allow_moving_published=True)
    monkeypatch.setattr(schedule_module, "audit_record", real_audit)
    assert meetings() == snapshot
    run = ScheduleRun.objects.filter(event=event).first()
    assert run.status == RunStatus.RUNNING  # what a killed worker leaves behind

    stale_after = settings.ESCP4I_SCHEDULER_STALE_AFTER_S
    assert services.schedule_runs_fail_stale(stale_after_s=stale_after) == 0  # not stale yet
    later = timezone.now() + dt.timedelta(seconds=stale_after + 1)
    assert services.schedule_runs_fail_stale(stale_after_s=stale_after, now=later) == 1
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED
    assert "stopped without finishing" in run.error
    assert meetings() == snapshot

    retry = _run(event, organiser, django_capture_on_commit_callbacks)
    assert retry.status == RunStatus.SUCCEEDED, retry.error
    assert retry.result["fixed"] == 5  # published meetings stay where they are
    assert [m[:3] for m in meetings()] == [m[:3] for m in snapshot]


def test_break_summary_reports_an_unmet_fairness_bound():
    from escp4i.events.scheduling import SolveOutcome

    outcome = SolveOutcome(
        status="feasible",
        placements={},
        unscheduled={},
        movable_ids=(),
        fixed_ids=(),
        objective=None,
        bound=None,
        total_breaks=6,
        wall_time_s=0.0,
        breaks_of={11: 0, 12: 4, 13: 1, 14: 1},
        fairness=2,
        participant_labels={11: "A", 12: "B", 13: "C", 14: "D"},
    )
    summary = outcome.break_summary(top=2)
    assert summary["worst"] == 4 and summary["spread"] == 4
    assert summary["fairness_met"] is False
    assert summary["participants_with_breaks"] == 3
    assert summary["most"] == [
        {"registration": 12, "who": "B", "breaks": 4},
        {"registration": 13, "who": "C", "breaks": 1},
    ]
    assert replace(outcome, breaks_of={}).break_summary() == {}


def test_run_without_any_schedule_fails_and_keeps_the_current_one(
    optimiser_event, organiser, monkeypatch, django_capture_on_commit_callbacks
):
    # A solver that finds nothing in time must not unschedule every meeting.
    event, _regs = optimiser_event
    _run(event, organiser, django_capture_on_commit_callbacks)
    snapshot = list(Meeting.objects.order_by("pk").values_list("pk", "slot_id", "table_id"))
    assert all(slot for _pk, slot, _table in snapshot)

    def nothing_found(problem, **kwargs):
        return scheduler_bridge.BridgeResult(
            status="unknown",
            placements={},
            unscheduled={m.meeting_id: "unknown" for m in problem.meetings},
            objective=None,
            bound=None,
            total_breaks=None,
        )

    monkeypatch.setattr(scheduler_bridge, "solve_problem", nothing_found)
    run = _run(event, organiser, django_capture_on_commit_callbacks)
    assert run.status == RunStatus.FAILED
    assert "No schedule was found within the time limit" in run.error
    assert run.solver_status == "unknown"
    assert run.solver_status_text == "no schedule found in time"
    assert list(Meeting.objects.order_by("pk").values_list("pk", "slot_id", "table_id")) == snapshot


def test_fairness_impossible_applies_the_best_schedule_without_it(
    make_event, make_participant, organiser, monkeypatch, django_capture_on_commit_callbacks
):
    # a is away in the four middle slots, so its two meetings leave it one break while d and
    # e have none: fairness 0 cannot hold; the run applies the best schedule without it.
    monkeypatch.setattr(scheduler_bridge, "FAIRNESS", 0)
    event = make_event(scheduling_mode=SchedulingMode.OPTIMISER)
    slots = list(event.slots.order_by("starts_at"))
    a, b, c, d, e = (make_participant(event) for _ in range(5))
    for x, y in [(a, b), (a, c), (d, e)]:
        _accepted(x, y)
    a.unavailable_slots.set(slots[1:5])
    run = _run(event, organiser, django_capture_on_commit_callbacks)
    assert run.status == RunStatus.SUCCEEDED, run.error
    assert run.solver_status == "infeasible" and run.result["relaxed"] == ["fairness"]
    assert run.solver_status_text.startswith("no schedule meets the fairness bound")
    assert run.result["scheduled"] == 3 and run.result["total_breaks"] == 1
    assert run.result["breaks"]["fairness_met"] is False
    assert set(Meeting.objects.values_list("status", flat=True)) == {MeetingStatus.SCHEDULED}
