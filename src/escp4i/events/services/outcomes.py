"""After the meetings: feedback (rating, outcome, EEN agreement kind) and follow-up reminders."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from escp4i.accounts.models import User
from escp4i.core.audit import audit_record
from escp4i.core.errors import Conflict, DomainError, PermissionDenied
from escp4i.events import notify
from escp4i.events.models import (
    AgreementKind,
    Feedback,
    Meeting,
    MeetingBooking,
    MeetingStatus,
    Outcome,
)


@transaction.atomic
def feedback_submit(
    *,
    meeting: Meeting,
    actor: User,
    rating: int,
    outcome: Outcome | str,
    agreement_kind: AgreementKind | str = "",
    comment: str = "",
) -> Feedback:
    """One participant's feedback on a meeting (submitting again replaces it). Giving feedback
    also records the meeting as held."""
    booking = (
        MeetingBooking.objects.select_related("registration")
        .filter(meeting=meeting, registration__user=actor)
        .first()
    )
    if booking is None:
        raise PermissionDenied(_("Only the meeting's participants can give feedback."))
    if meeting.status != MeetingStatus.SCHEDULED:
        raise Conflict(_("Feedback is only possible on meetings that took place."))
    outcome = Outcome(outcome)
    if outcome == Outcome.AGREEMENT and not agreement_kind:
        raise DomainError(_("Say which kind of agreement was signed."))
    if outcome != Outcome.AGREEMENT:
        agreement_kind = ""
    feedback, _created = Feedback.objects.update_or_create(
        meeting=meeting,
        registration=booking.registration,
        defaults={
            "rating": rating,
            "outcome": outcome,
            "agreement_kind": AgreementKind(agreement_kind) if agreement_kind else "",
            "comment": comment,
        },
    )
    feedback.full_clean()
    if meeting.held_at is None:
        meeting.held_at = timezone.now()
        meeting.save(update_fields=["held_at", "updated_at"])
    audit_record(
        actor=actor,
        action="event.feedback",
        target=meeting,
        data={"outcome": outcome.value, "agreement_kind": agreement_kind},
    )
    return feedback


@transaction.atomic
def follow_up_reminders_send(*, now: dt.datetime | None = None) -> int:
    """Remind each participant of a scheduled meeting that ended at least the event's
    follow-up delay ago, once, unless they already gave feedback. Returns how many were sent."""
    now = now or timezone.now()
    bookings = (
        MeetingBooking.objects.select_for_update(of=("self",))
        .filter(
            follow_up_sent_at__isnull=True,
            meeting__status=MeetingStatus.SCHEDULED,
            meeting__slot__isnull=False,
        )
        .select_related("meeting__event", "meeting__slot", "registration__user")
        .order_by("pk")
    )
    sent = 0
    for booking in bookings:
        meeting = booking.meeting
        assert meeting.slot is not None  # noqa: S101  # filtered above
        due = meeting.slot.ends_at + dt.timedelta(days=meeting.event.follow_up_delay_days)
        if due > now:
            continue
        if Feedback.objects.filter(meeting=meeting, registration=booking.registration).exists():
            continue
        partner = (
            MeetingBooking.objects.select_related("registration__organisation")
            .filter(meeting=meeting)
            .exclude(pk=booking.pk)
            .first()
        )
        if partner is None:
            continue
        notify.follow_up(booking.registration, meeting, partner.registration)
        booking.follow_up_sent_at = now
        booking.save(update_fields=["follow_up_sent_at"])
        sent += 1
    return sent
