"""Notifications sent by the events services (in-app and e-mail, after commit)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils.translation import gettext as _

from escp4i.accounts.models import User
from escp4i.events.models import Event, Meeting, MeetingRequest, Registration
from escp4i.notifications.models import NotificationKind
from escp4i.notifications.services import notification_send


def _when(meeting: Meeting) -> str:
    if meeting.slot is None:
        return _("time to be scheduled")
    zone = ZoneInfo(meeting.event.timezone)
    start = meeting.slot.starts_at.astimezone(zone)
    table = meeting.table.name if meeting.table else ""
    return _("%(date)s at %(time)s (%(tz)s), table %(table)s") % {
        "date": start.strftime("%a %d %b %Y"),
        "time": start.strftime("%H:%M"),
        "tz": meeting.event.timezone,
        "table": table,
    }


def _requests_url(event: Event) -> str:
    return reverse("events:request-list", kwargs={"slug": event.slug})


def _agenda_url(event: Event) -> str:
    return reverse("events:agenda", kwargs={"slug": event.slug})


def request_received(request: MeetingRequest) -> None:
    notification_send(
        user=request.recipient.user,
        kind=NotificationKind.REQUEST_RECEIVED,
        title=_("%(org)s asks to meet you at %(event)s")
        % {"org": request.requester.organisation.name, "event": request.event.name},
        body=request.message,
        url=_requests_url(request.event),
    )


def request_accepted(request: MeetingRequest, meeting: Meeting) -> None:
    notification_send(
        user=request.requester.user,
        kind=NotificationKind.REQUEST_ACCEPTED,
        title=_("%(org)s accepted your meeting request")
        % {"org": request.recipient.organisation.name},
        body=_when(meeting),
        url=_agenda_url(request.event),
    )


def request_declined(request: MeetingRequest, reason: str) -> None:
    notification_send(
        user=request.requester.user,
        kind=NotificationKind.REQUEST_DECLINED,
        title=_("%(org)s declined your meeting request")
        % {"org": request.recipient.organisation.name},
        body=reason,
        url=_requests_url(request.event),
    )


def _participants(meeting: Meeting) -> list[Registration]:
    return [
        b.registration
        for b in meeting.bookings.select_related("registration__user", "registration__organisation")
    ]


def meeting_cancelled(meeting: Meeting, *, actor: User | None) -> None:
    for registration in _participants(meeting):
        if actor is not None and registration.user_id == actor.pk:
            continue
        notification_send(
            user=registration.user,
            kind=NotificationKind.MEETING_CANCELLED,
            title=_("Meeting cancelled at %(event)s") % {"event": meeting.event.name},
            body=_when(meeting),
            url=_agenda_url(meeting.event),
        )


def meeting_changed(meeting: Meeting) -> None:
    for registration in _participants(meeting):
        notification_send(
            user=registration.user,
            kind=NotificationKind.MEETING_CHANGED,
            title=_("Meeting changed at %(event)s") % {"event": meeting.event.name},
            body=_when(meeting),
            url=_agenda_url(meeting.event),
        )


def schedule_published(event: Event, users: list[User]) -> None:
    for user in users:
        notification_send(
            user=user,
            kind=NotificationKind.SCHEDULE_PUBLISHED,
            title=_("Your agenda for %(event)s is published") % {"event": event.name},
            body=_("Your meetings are in your agenda and your calendar feed."),
            url=_agenda_url(event),
        )


def follow_up(registration: Registration, meeting: Meeting, partner: Registration) -> None:
    notification_send(
        user=registration.user,
        kind=NotificationKind.FOLLOW_UP,
        title=_("How did your meeting with %(org)s go?") % {"org": partner.organisation.name},
        body=_("Tell us the outcome: follow-up planned or agreement signed."),
        url=reverse("events:meeting-feedback", kwargs={"meeting_id": meeting.pk}),
    )
