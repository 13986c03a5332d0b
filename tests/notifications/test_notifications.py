from django.core import mail

from escp4i.notifications import selectors, services
from escp4i.notifications.models import NotificationKind


def test_send_emails_after_commit_and_inbox(client, user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        note = services.notification_send(
            user=user,
            kind=NotificationKind.REQUEST_RECEIVED,
            title="Hello",
            body="Body",
            url="/events/",
        )
    assert len(mail.outbox) == 1 and mail.outbox[0].subject == "Hello"
    assert selectors.notification_unread_count(user=user) == 1
    client.force_login(user)
    page = client.get("/notifications/")
    assert b"1 unread" in page.content
    response = client.post(f"/notifications/{note.pk}/read/")
    assert response["Location"] == "/events/"
    assert selectors.notification_unread_count(user=user) == 0


def test_no_email_before_commit(user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        services.notification_send(user=user, kind="other", title="Later")
    assert mail.outbox == []


def test_mark_all_read_only_own(client, user, officer):
    services.notification_send(user=user, kind="other", title="A")
    services.notification_send(user=officer, kind="other", title="B")
    client.force_login(user)
    client.post("/notifications/read-all/")
    assert selectors.notification_unread_count(user=user) == 0
    assert selectors.notification_unread_count(user=officer) == 1
