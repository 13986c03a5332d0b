"""E-mail preferences per category, immediate e-mails, daily/weekly digests (at most once),
signed one-click unsubscribe tokens, the command and the Celery task."""

from __future__ import annotations

import datetime as dt
import smtplib
from io import StringIO

import pytest
from django.conf import settings
from django.core import mail, signing
from django.core.management import CommandError, call_command
from django.utils import timezone

from escp4i.core.errors import DomainError
from escp4i.notifications import selectors, services, tokens
from escp4i.notifications.categories import KIND_CATEGORIES, category_of
from escp4i.notifications.models import (
    DigestBatch,
    EmailFrequency,
    Notification,
    NotificationCategory,
    NotificationKind,
)
from escp4i.notifications.tasks import send_digests_task

C = NotificationCategory
F = EmailFrequency


def _send(user, kind=NotificationKind.REQUEST_RECEIVED, title="Hello", **kwargs):
    return services.notification_send(user=user, kind=kind, title=title, **kwargs)


def test_every_kind_has_a_category():
    assert set(KIND_CATEGORIES) == set(NotificationKind.values)
    assert category_of(NotificationKind.LABEL_UPDATE) == C.LABELS
    assert category_of(NotificationKind.FOLLOW_UP) == C.EVENTS


def test_immediate_email_is_multipart_with_one_click_unsubscribe(
    user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        note = _send(user, body="Cells Inc asks to meet you.", url="/events/x/requests/")
    assert note.category == C.EVENTS
    [message] = mail.outbox
    assert message.to == [user.email]
    assert message.subject == "Hello"
    unsubscribe = message.extra_headers["List-Unsubscribe"]
    assert unsubscribe.startswith(f"<{settings.ESCP4I_SITE_URL}/notifications/unsubscribe/")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe.strip("<>") in message.body
    assert f"{settings.ESCP4I_SITE_URL}/events/x/requests/" in message.body
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert 'href="http://' in html and "Cells Inc asks to meet you." in html
    note.refresh_from_db()
    assert note.emailed_at is not None


@pytest.mark.parametrize("frequency", [F.DAILY, F.WEEKLY, F.OFF])
def test_no_immediate_email_unless_chosen(user, frequency, django_capture_on_commit_callbacks):
    services.notification_preferences_set(user=user, values={"events": frequency})
    with django_capture_on_commit_callbacks(execute=True):
        note = _send(user)
        _send(user, kind=NotificationKind.LABEL_UPDATE, title="Label")  # other category
    assert [m.subject for m in mail.outbox] == ["Label"]
    note.refresh_from_db()
    assert note.emailed_at is None


def test_smtp_failure_after_commit_keeps_the_notification_and_never_retries(
    user, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    def refuse(self, fail_silently=False):
        raise smtplib.SMTPServerDisconnected("down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        note = _send(user)
    assert "could not be e-mailed" in caplog.text
    note.refresh_from_db()
    assert note.emailed_at is not None  # claimed: at most once, so no digest resends it
    monkeypatch.undo()
    services.notification_preferences_set(user=user, values={"events": "daily"})
    assert services.digest_send(period="daily").notifications == 0


def test_users_without_address_or_inactive_get_no_email(
    user, officer, django_capture_on_commit_callbacks
):
    user.email = None
    user.save()
    officer.is_active = False
    officer.save()
    with django_capture_on_commit_callbacks(execute=True):
        _send(user)
        _send(officer)
    assert mail.outbox == []
    assert Notification.objects.count() == 2  # the in-app rows are always kept


def test_preferences_default_from_setting_and_validation(user, settings):
    settings.ESCP4I_NOTIFICATIONS_DEFAULT_EMAIL = "weekly"
    assert set(selectors.notification_preferences(user=user).values()) == {F.WEEKLY}
    prefs = services.notification_preferences_set(
        user=user, values={"events": "daily", "labels": "off"}, actor=user
    )
    assert prefs[C.EVENTS] == F.DAILY and prefs[C.LABELS] == F.OFF
    assert prefs[C.PROGRAMME] == F.WEEKLY
    with pytest.raises(DomainError):
        services.notification_preferences_set(user=user, values={"events": "hourly"})
    with pytest.raises(DomainError):
        services.notification_preferences_set(user=user, values={"gossip": "off"})
    assert selectors.notification_preferences(user=user)[C.EVENTS] == F.DAILY


# --- digests -------------------------------------------------------------------------------


@pytest.fixture
def daily_user(user):
    services.notification_preferences_set(
        user=user, values={"events": "daily", "labels": "daily", "programme": "weekly"}
    )
    return user


def test_daily_digest_groups_by_category_and_is_sent_once(daily_user, officer):
    _send(daily_user, title="Request from Cells Inc", url="/events/a/requests/")
    _send(daily_user, kind=NotificationKind.LABEL_UPDATE, title="Label awarded")
    _send(daily_user, kind=NotificationKind.OTHER, title="Weekly news")  # weekly category
    _send(officer, title="Officer, immediate by default")  # never in a digest
    mail.outbox.clear()
    report = services.digest_send(period="daily")
    assert (report.emails, report.notifications) == (1, 2)
    [message] = mail.outbox
    assert message.to == [daily_user.email]
    assert "daily" in message.subject and "2 new notifications" in message.subject
    body = message.body
    assert body.index("Matchmaking events") < body.index("Request from Cells Inc")
    assert body.index("Labels and calls") < body.index("Label awarded")
    assert "Weekly news" not in body
    assert f"{settings.ESCP4I_SITE_URL}/events/a/requests/" in body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    [(html, _mime)] = message.alternatives
    assert "<h2" in html and "Label awarded" in html
    # the header link switches off both categories of this digest
    token = message.extra_headers["List-Unsubscribe"].strip("<>").rstrip("/").rsplit("/", 1)[1]
    assert set(tokens.unsubscribe_token_read(token).categories) == {C.EVENTS, C.LABELS}
    batch = DigestBatch.objects.get()
    assert batch.sent_at is not None and batch.notification_count == 2
    # idempotent: a second run (or a concurrent one) finds nothing left
    mail.outbox.clear()
    again = services.digest_send(period="daily")
    assert (again.emails, again.notifications) == (0, 0)
    assert mail.outbox == []
    weekly = services.digest_send(period="weekly")
    assert (weekly.emails, weekly.notifications) == (1, 1)
    assert "Weekly news" in mail.outbox[0].body


def test_digest_skips_read_old_and_already_emailed(daily_user):
    read = _send(daily_user, title="Already read")
    services.notification_mark_read(user=daily_user, notification_id=read.pk)
    old = _send(daily_user, title="Too old")
    Notification.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=3))
    fresh = _send(daily_user, title="Fresh")
    assert selectors.digest_candidates(
        period="daily", since=timezone.now() - dt.timedelta(days=2), until=timezone.now()
    ) == [(daily_user.pk, fresh.pk)]
    report = services.digest_send(period="daily")
    assert report.notifications == 1
    assert "Fresh" in mail.outbox[-1].body and "Too old" not in mail.outbox[-1].body


def test_digest_never_sends_what_another_run_claimed_meanwhile(daily_user, monkeypatch):
    a = _send(daily_user, title="A")
    b = _send(daily_user, title="B")
    stale = selectors.digest_candidates(
        period="daily", since=timezone.now() - dt.timedelta(days=2), until=timezone.now()
    )
    # another worker claimed A between our read and our claim
    Notification.objects.filter(pk=a.pk).update(emailed_at=timezone.now())
    monkeypatch.setattr(selectors, "digest_candidates", lambda **kwargs: stale)
    report = services.digest_send(period="daily")
    assert report.notifications == 1
    items = [line for line in mail.outbox[-1].body.splitlines() if line.startswith("* ")]
    assert len(items) == 1 and items[0].startswith("* B (")
    assert list(Notification.objects.filter(digest__isnull=False)) == [b]


def test_digest_dry_run_claims_and_sends_nothing(daily_user):
    _send(daily_user)
    report = services.digest_send(period="daily", dry_run=True)
    assert (report.dry_run, report.emails, report.notifications) == (True, 1, 1)
    assert mail.outbox == [] and not DigestBatch.objects.exists()
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 1


def test_digest_smtp_failure_is_counted_and_not_retried(daily_user, monkeypatch):
    _send(daily_user)

    def refuse(self, fail_silently=False):
        raise smtplib.SMTPServerDisconnected("down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
    report = services.digest_send(period="daily")
    assert (report.emails, report.failed) == (0, 1)
    assert DigestBatch.objects.get().sent_at is None
    monkeypatch.undo()
    assert services.digest_send(period="daily").notifications == 0  # at most once


def test_send_digests_command_and_task(daily_user):
    _send(daily_user)
    out = StringIO()
    call_command("send_digests", "--period", "daily", "--dry-run", stdout=out)
    assert "would send 1 e-mail(s) with 1 notification(s)" in out.getvalue()
    assert mail.outbox == []
    assert send_digests_task.delay(period="daily").get() == {
        "emails": 1,
        "notifications": 1,
        "failed": 0,
    }
    out = StringIO()
    call_command("send_digests", "--period", "daily", stdout=out)
    assert "sent 0 e-mail(s)" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("send_digests", "--period", "hourly")


def test_beat_runs_the_digests_at_the_configured_time():
    daily = settings.CELERY_BEAT_SCHEDULE["notifications-daily-digest"]
    weekly = settings.CELERY_BEAT_SCHEDULE["notifications-weekly-digest"]
    assert daily["task"] == weekly["task"] == "notifications.send_digests"
    assert daily["kwargs"] == {"period": "daily"} and weekly["kwargs"] == {"period": "weekly"}
    assert daily["schedule"].hour == {settings.ESCP4I_DIGEST_HOUR}
    assert weekly["schedule"].day_of_week == {1}  # Monday by default
    assert settings.CELERY_TIMEZONE == settings.TIME_ZONE


# --- unsubscribe tokens ----------------------------------------------------------------------


def test_token_round_trip_tampering_and_expiry(user, monkeypatch):
    token = tokens.unsubscribe_token(user_id=user.pk, categories=["labels", "events"])
    claim = tokens.unsubscribe_token_read(token)
    assert (claim.user_id, claim.categories) == (user.pk, (C.EVENTS, C.LABELS))
    tampered = token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]
    with pytest.raises(tokens.TokenInvalid):
        tokens.unsubscribe_token_read(tampered)
    other_salt = signing.dumps({"u": user.pk, "c": ["events"]}, compress=True)
    with pytest.raises(tokens.TokenInvalid):
        tokens.unsubscribe_token_read(other_salt)
    past = timezone.now().timestamp() - (settings.ESCP4I_UNSUBSCRIBE_MAX_AGE_DAYS + 1) * 86400
    monkeypatch.setattr(signing.time, "time", lambda: past)
    old = tokens.unsubscribe_token(user_id=user.pk, categories=["events"])
    monkeypatch.undo()
    with pytest.raises(tokens.TokenExpired):
        tokens.unsubscribe_token_read(old)


def test_unsubscribe_service_switches_categories_off_idempotently(user):
    token = tokens.unsubscribe_token(user_id=user.pk, categories=["events"])
    result = services.notification_unsubscribe(token=token)
    assert result.user == user and result.categories == (C.EVENTS,)
    services.notification_unsubscribe(token=token)
    prefs = selectors.notification_preferences(user=user)
    assert prefs[C.EVENTS] == F.OFF and prefs[C.LABELS] == F.IMMEDIATE
    user.is_active = False
    user.save()
    with pytest.raises(services.UnsubscribeLinkInvalid):
        services.unsubscribe_check(token=token)
