"""Personal data of the events app (contract: core/privacy.py).

Export: the person's registrations with their profile, cooperation opportunities, meeting
requests sent and received, meetings and the feedback they gave, plus the events they organise.

Erasure keeps what belongs to the organisation and to the event's statistics (registrations,
meetings held, ratings and outcomes) and removes what the person wrote: profile texts, their
opportunities, the messages of their requests, their feedback comments and the copies of their
messages and decline reasons in the other participants' inboxes. Registrations for events that
have not ended are cancelled, with their pending requests and active meetings (the partners are
notified as for any cancellation). Calendar-feed links are rotated. Events they organised stay
(organiser shown as "deleted user").
"""

from __future__ import annotations

import secrets
from typing import Any

from django.db.models import Q
from django.utils import timezone

from escp4i.accounts.models import User
from escp4i.core.models import AuditEntry
from escp4i.events.models import (
    Event,
    Feedback,
    Meeting,
    MeetingRequest,
    MeetingStatus,
    Opportunity,
    Registration,
    RegistrationStatus,
    RequestStatus,
)
from escp4i.notifications.models import Notification, NotificationKind

MODELS = (
    "events.Event",
    "events.Registration",
    "events.Opportunity",
    "events.MeetingRequest",
    "events.Feedback",
    "events.ScheduleRun",
)


def export(user: User) -> dict[str, Any]:
    registrations = Registration.objects.filter(user=user).select_related(
        "event", "organisation", "participant_type"
    )
    out = []
    for r in registrations:
        out.append(
            {
                "event": r.event.name,
                "event_slug": r.event.slug,
                "organisation": r.organisation.name,
                "participant_type": r.participant_type.kind,
                "status": r.status,
                "registered_at": r.created_at,
                "profile": r.profile,
                "max_meetings": r.max_meetings,
                "checked_in_at": r.checked_in_at,
                "opportunities": list(
                    Opportunity.objects.filter(registration=r).values(
                        "kind", "title", "description", "created_at"
                    )
                ),
                "requests_sent": list(
                    MeetingRequest.objects.filter(requester=r).values(
                        "recipient__organisation__name",
                        "message",
                        "priority",
                        "status",
                        "created_at",
                        "decided_at",
                    )
                ),
                "requests_received": list(
                    MeetingRequest.objects.filter(recipient=r).values(
                        "requester__organisation__name",
                        "message",
                        "priority",
                        "status",
                        "created_at",
                        "decided_at",
                    )
                ),
                "meetings": list(
                    Meeting.objects.filter(bookings__registration=r).values(
                        "uid", "status", "slot__starts_at", "table__name", "held_at"
                    )
                ),
                "feedback": list(
                    Feedback.objects.filter(registration=r).values(
                        "meeting__uid",
                        "rating",
                        "outcome",
                        "agreement_kind",
                        "comment",
                        "created_at",
                    )
                ),
            }
        )
    return {
        "registrations": out,
        "events_organised": list(
            Event.objects.filter(organiser=user).values("name", "slug", "start_date", "end_date")
        ),
    }


def _erase_inbox_copies(*, users: list[int], kind: str, bodies: set[str]) -> None:
    """Other users' notifications that repeat a text this person wrote."""
    bodies.discard("")
    if bodies:
        Notification.objects.filter(user_id__in=users, kind=kind, body__in=bodies).update(body="")


def erase(user: User) -> None:
    from escp4i.events.services import meeting_cancel

    registrations = Registration.objects.filter(user=user)
    ids = list(registrations.values_list("pk", flat=True))
    now = timezone.now()
    # Messages they sent, and the recipients' inbox copies.
    sent = MeetingRequest.objects.filter(requester_id__in=ids)
    _erase_inbox_copies(
        users=list(sent.values_list("recipient__user_id", flat=True)),
        kind=NotificationKind.REQUEST_RECEIVED,
        bodies=set(sent.values_list("message", flat=True)),
    )
    sent.exclude(message="").update(message="")
    # Decline reasons they gave live in the audit trail and in the requesters' inboxes.
    reasons = {
        str(data.get("reason") or "")
        for data in AuditEntry.objects.filter(
            actor=user, action="event.request_decline"
        ).values_list("data", flat=True)
        if isinstance(data, dict)
    }
    _erase_inbox_copies(
        users=list(
            MeetingRequest.objects.filter(recipient_id__in=ids).values_list(
                "requester__user_id", flat=True
            )
        ),
        kind=NotificationKind.REQUEST_DECLINED,
        bodies=reasons,
    )
    Feedback.objects.filter(registration_id__in=ids).exclude(comment="").update(comment="")
    Opportunity.objects.filter(registration_id__in=ids).delete()
    # Registrations for events not over yet are cancelled with what hangs on them.
    upcoming = registrations.filter(event__end_date__gte=timezone.localdate()).exclude(
        status=RegistrationStatus.CANCELLED
    )
    for meeting in Meeting.objects.filter(
        bookings__registration__in=upcoming,
        status__in=[MeetingStatus.SCHEDULED, MeetingStatus.UNSCHEDULED],
    ).distinct():
        meeting_cancel(meeting=meeting, actor=user)
    MeetingRequest.objects.filter(
        Q(requester__in=upcoming) | Q(recipient__in=upcoming), status=RequestStatus.PENDING
    ).update(status=RequestStatus.CANCELLED, updated_at=now)
    upcoming.update(status=RegistrationStatus.CANCELLED, updated_at=now)
    for registration_id in ids:
        Registration.objects.filter(pk=registration_id).update(
            profile="", ical_token=secrets.token_urlsafe(24), updated_at=now
        )
