"""The daily job: expiry, the reminder window, reminders once per lead time, dry run, command,
Celery task and beat entry."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from escp4i.labels import services
from escp4i.labels.models import Label, LabelReminder
from escp4i.labels.tasks import BEAT_SCHEDULE, labels_daily
from escp4i.labels.workflow import LabelState
from tests.labels.conftest import reach

S = LabelState


@pytest.fixture
def awarded(world, officer, charter, today):
    label = reach(S.SIGNED, world, officer, today)
    return services.label_award(
        label=label, actor=officer, valid_from=today, valid_until=today + dt.timedelta(days=100)
    )


def run(day, **kwargs):
    return services.labels_daily_run(today=day, lead_days=(90, 30, 7), **kwargs)


def test_outside_window_nothing_happens(awarded, today):
    assert run(today).steps == ()
    assert Label.objects.get(pk=awarded.pk).state == S.AWARDED


def test_window_starts_expiring_and_sends_reminders_once(
    awarded, today, mailoutbox, django_capture_on_commit_callbacks
):
    end = awarded.valid_until
    with django_capture_on_commit_callbacks(execute=True):
        report = run(end - dt.timedelta(days=90))
    assert [s.action for s in report.steps] == ["start_expiring", "remind"]
    assert Label.objects.get(pk=awarded.pk).state == S.EXPIRING
    # One e-mail per recipient: the reminder goes to the coordinator and the officer only, the
    # state change also to the two member representatives.
    reminders = sorted(m.to[0] for m in mailoutbox if "remind" in m.subject)
    assert reminders == ["coord@example.org", "officer@example.org"]
    assert len(mailoutbox) == 6
    assert run(end - dt.timedelta(days=89)).steps == ()  # same window, already reminded
    assert [(s.action, s.lead_days) for s in run(end - dt.timedelta(days=30)).steps] == [
        ("remind", 30)
    ]
    # a job that missed the 7-day mark still sends only the most urgent reminder once
    assert [s.lead_days for s in run(end - dt.timedelta(days=2)).steps] == [7]
    assert run(end).steps == ()  # the last day is still valid
    assert [s.action for s in run(end + dt.timedelta(days=1)).steps] == ["expire"]
    assert Label.objects.get(pk=awarded.pk).state == S.EXPIRED
    assert sorted(LabelReminder.objects.values_list("lead_days", flat=True)) == [7, 30, 90]


def test_late_job_skips_old_reminders(awarded):
    report = run(awarded.valid_until - dt.timedelta(days=20))
    assert [(s.action, s.lead_days) for s in report.steps] == [
        ("start_expiring", None),
        ("remind", 30),
    ]


def test_awarded_label_expires_directly_when_no_lead_times(awarded):
    report = services.labels_daily_run(
        today=awarded.valid_until + dt.timedelta(days=1), lead_days=()
    )
    assert [s.action for s in report.steps] == ["expire"]
    assert Label.objects.get(pk=awarded.pk).state == S.EXPIRED


def test_dry_run_writes_nothing(awarded):
    report = run(awarded.valid_until + dt.timedelta(days=1), dry_run=True)
    assert report.dry_run
    assert [s.action for s in report.steps] == ["expire"]
    assert Label.objects.get(pk=awarded.pk).state == S.AWARDED


def test_reminder_days_come_from_settings(awarded, settings):
    settings.ESCP4I_LABEL_REMINDER_DAYS = [5]
    day = awarded.valid_until - dt.timedelta(days=30)
    assert services.labels_daily_run(today=day).steps == ()
    day = awarded.valid_until - dt.timedelta(days=5)
    steps = services.labels_daily_run(today=day).steps
    assert [(s.action, s.lead_days) for s in steps] == [("start_expiring", None), ("remind", 5)]


def test_command_dry_run_and_run(awarded):
    out = StringIO()
    after = (awarded.valid_until + dt.timedelta(days=1)).isoformat()
    call_command("labels_daily", "--dry-run", "--today", after, stdout=out)
    assert f"would expire {awarded.public_id}" in out.getvalue()
    assert Label.objects.get(pk=awarded.pk).state == S.AWARDED
    out = StringIO()
    call_command("labels_daily", "--today", after, stdout=out)
    assert f"expire {awarded.public_id}" in out.getvalue()
    assert Label.objects.get(pk=awarded.pk).state == S.EXPIRED


def test_command_rejects_bad_date(db):
    with pytest.raises(CommandError):
        call_command("labels_daily", "--today", "tomorrow")


def test_celery_task_and_beat_entry(awarded):
    assert BEAT_SCHEDULE["labels-daily"]["task"] == labels_daily.name
    assert labels_daily.apply(kwargs={"dry_run": True}).get() == {
        "expired": 0,
        "expiring": 0,
        "reminders": 0,
        "skipped": 0,
    }
