"""Meeting requests and meetings: send, accept (booking the earliest common free slot with a
free table in self-schedule mode), decline, cancel, expire; cancel, lock, no-show, held, walk-in.

Booking is safe under concurrent accepts: both registrations are locked (``select_for_update``,
in primary-key order so two accepts never deadlock on them), and the partial unique constraints
on (slot, participant) and (slot, table) reject any double booking that slips through; such an
``IntegrityError`` rolls back a savepoint and the next table or slot is tried.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from escp4i.accounts.models import User
from escp4i.core.audit import audit_record
from escp4i.core.errors import Conflict, DomainError, PermissionDenied
from escp4i.events import notify
from escp4i.events.errors import BookingFailed, RequestNotPossible
from escp4i.events.models import (
    Event,
    Meeting,
    MeetingBooking,
    MeetingRequest,
    MeetingStatus,
    Registration,
    RequestMode,
    RequestStatus,
    SchedulingMode,
    Slot,
)
from escp4i.events.selectors import (
    common_free_slots,
    event_can_manage,
    free_tables,
    meeting_obstacle,
    meeting_request_obstacle,
)
from escp4i.events.services.setup import require_manage


def _lock_pair(a: Registration, b: Registration) -> tuple[Registration, Registration]:
    locked = {
        r.pk: r
        for r in Registration.objects.select_for_update()
        .select_related("event", "organisation", "user")
        .filter(pk__in=[a.pk, b.pk])
        .order_by("pk")
    }
    return locked[a.pk], locked[b.pk]


def meeting_place(*, meeting: Meeting, slot: Slot) -> bool:
    """Put ``meeting`` in ``slot`` at the first free table; False if every table is taken.
    Call inside a transaction holding the participants' locks."""
    for table in free_tables(slot=slot):
        try:
            with transaction.atomic():
                Meeting.objects.filter(pk=meeting.pk).update(
                    slot=slot,
                    table=table,
                    status=MeetingStatus.SCHEDULED,
                    unscheduled_reason="",
                    sequence=meeting.sequence + 1 if meeting.published_at else meeting.sequence,
                    updated_at=timezone.now(),
                )
                MeetingBooking.objects.filter(meeting=meeting).update(slot=slot)
        except IntegrityError:
            continue  # taken by a concurrent booking: try the next table
        meeting.refresh_from_db()
        return True
    return False


def meeting_place_earliest(*, meeting: Meeting, a: Registration, b: Registration) -> bool:
    """Book the earliest common free slot that has a free table."""
    return any(meeting_place(meeting=meeting, slot=slot) for slot in common_free_slots(a, b))


def _meeting_create(
    *, event: Event, request: MeetingRequest | None, a: Registration, b: Registration
) -> Meeting:
    meeting = Meeting.objects.create(event=event, request=request)
    MeetingBooking.objects.bulk_create(
        [
            MeetingBooking(meeting=meeting, registration=a),
            MeetingBooking(meeting=meeting, registration=b),
        ]
    )
    return meeting


def _late_change_reschedule(event: Event) -> None:
    """After publication in optimiser mode, late requests and freed slots go to an automatic
    optimiser run that keeps locked and published meetings fixed."""
    if event.scheduling_mode != SchedulingMode.OPTIMISER or event.schedule_published_at is None:
        return
    from escp4i.events.services.schedule import schedule_run_start

    transaction.on_commit(lambda: schedule_run_start(event=event, actor=None, auto_publish=True))


@transaction.atomic
def meeting_request_send(
    *,
    requester: Registration,
    recipient: Registration,
    actor: User | None,
    message: str = "",
    priority: int = 2,
) -> MeetingRequest:
    """Send a request (auto-accepted in auto-accept events). Raises RequestNotPossible with the
    exact reason when the request cannot be made."""
    if actor is not None and requester.user_id != actor.pk:
        raise PermissionDenied(_("You may only send requests for your own registration."))
    requester, recipient = _lock_pair(requester, recipient)
    obstacle = meeting_request_obstacle(requester=requester, recipient=recipient)
    if obstacle:
        raise RequestNotPossible(obstacle)
    if not 1 <= priority <= 3:
        raise DomainError(_("Priority must be 1, 2 or 3."))
    event = requester.event
    request = MeetingRequest(
        event=event,
        requester=requester,
        recipient=recipient,
        message=message,
        priority=priority,
        expires_at=timezone.now() + dt.timedelta(hours=event.request_expiry_hours),
    )
    request.full_clean()
    request.save()
    audit_record(actor=actor, action="event.request_send", target=request)
    if event.request_mode == RequestMode.AUTO_ACCEPT:
        meeting_request_accept(request=request, actor=None)
        return request
    notify.request_received(request)
    return request


@transaction.atomic
def meeting_request_accept(*, request: MeetingRequest, actor: User | None) -> Meeting:
    """Accept a pending request (the recipient; ``actor=None`` for auto-accept). In self-schedule
    mode the meeting is booked at once; if no place exists nothing changes and the reason is
    raised. In optimiser mode the meeting waits for the organiser's run."""
    request = MeetingRequest.objects.select_for_update().select_related("event").get(pk=request.pk)
    if actor is not None and request.recipient.user_id != actor.pk:
        raise PermissionDenied(_("Only the recipient may accept this request."))
    if request.status != RequestStatus.PENDING:
        raise Conflict(
            _("This request is %(status)s.")
            % {"status": RequestStatus(request.status).label.lower()}
        )
    now = timezone.now()
    if request.expires_at and request.expires_at <= now:
        raise RequestNotPossible(_("This request has expired."))
    requester, recipient = _lock_pair(request.requester, request.recipient)
    event = request.event
    self_schedule = event.scheduling_mode == SchedulingMode.SELF
    obstacle = meeting_obstacle(a=recipient, b=requester, needs_place=self_schedule)
    if obstacle:
        raise RequestNotPossible(obstacle)
    meeting = _meeting_create(event=event, request=request, a=requester, b=recipient)
    if self_schedule:
        if not meeting_place_earliest(meeting=meeting, a=requester, b=recipient):
            raise BookingFailed(_("There is no free table in your common free slots."))
        meeting.published_at = now
        meeting.save(update_fields=["published_at", "updated_at"])
    else:
        _late_change_reschedule(event)
    request.status = RequestStatus.ACCEPTED
    request.decided_at = now
    request.save(update_fields=["status", "decided_at", "updated_at"])
    audit_record(actor=actor, action="event.request_accept", target=request)
    notify.request_accepted(request, meeting)
    return meeting


@transaction.atomic
def meeting_request_decline(
    *, request: MeetingRequest, actor: User, reason: str = ""
) -> MeetingRequest:
    request = MeetingRequest.objects.select_for_update().get(pk=request.pk)
    if request.recipient.user_id != actor.pk:
        raise PermissionDenied(_("Only the recipient may decline this request."))
    if request.status != RequestStatus.PENDING:
        raise Conflict(_("Only pending requests can be declined."))
    request.status = RequestStatus.DECLINED
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "decided_at", "updated_at"])
    audit_record(
        actor=actor, action="event.request_decline", target=request, data={"reason": reason}
    )
    notify.request_declined(request, reason)
    return request


@transaction.atomic
def meeting_request_cancel(*, request: MeetingRequest, actor: User) -> MeetingRequest:
    """The requester withdraws a pending request (an accepted one: cancel the meeting)."""
    request = MeetingRequest.objects.select_for_update().get(pk=request.pk)
    if request.requester.user_id != actor.pk:
        raise PermissionDenied(_("Only the requester may withdraw this request."))
    if request.status != RequestStatus.PENDING:
        raise Conflict(_("Only pending requests can be withdrawn."))
    request.status = RequestStatus.CANCELLED
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "decided_at", "updated_at"])
    audit_record(actor=actor, action="event.request_cancel", target=request)
    return request


@transaction.atomic
def meeting_requests_expire(*, now: dt.datetime | None = None) -> int:
    """Mark every pending request past its expiry as expired; returns how many."""
    now = now or timezone.now()
    return MeetingRequest.objects.filter(status=RequestStatus.PENDING, expires_at__lte=now).update(
        status=RequestStatus.EXPIRED, decided_at=now, updated_at=now
    )


def _actor_in_meeting(meeting: Meeting, actor: User) -> bool:
    return MeetingBooking.objects.filter(meeting=meeting, registration__user=actor).exists()


def _free(meeting: Meeting, status: MeetingStatus) -> None:
    meeting.status = status
    meeting.locked = False
    meeting.sequence += 1
    meeting.save(update_fields=["status", "locked", "sequence", "updated_at"])
    MeetingBooking.objects.filter(meeting=meeting).update(slot=None)


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, actor: User | None, reason: str = "") -> Meeting:
    """Cancel a meeting (a participant or the organiser); its slot and table are freed, the
    calendar feed shows it as cancelled, and the request may be sent again later."""
    meeting = (
        Meeting.objects.select_for_update(of=("self",))
        .order_by("pk")
        .select_related("event")
        .get(pk=meeting.pk)
    )
    if actor is not None and not (
        _actor_in_meeting(meeting, actor) or event_can_manage(actor=actor, event=meeting.event)
    ):
        raise PermissionDenied(_("You may not cancel this meeting."))
    if meeting.status not in (MeetingStatus.SCHEDULED, MeetingStatus.UNSCHEDULED):
        raise Conflict(_("This meeting is already cancelled."))
    _free(meeting, MeetingStatus.CANCELLED)
    if meeting.request_id:
        MeetingRequest.objects.filter(pk=meeting.request_id).update(
            status=RequestStatus.CANCELLED, updated_at=timezone.now()
        )
    audit_record(
        actor=actor, action="event.meeting_cancel", target=meeting, data={"reason": reason}
    )
    notify.meeting_cancelled(meeting, actor=actor)
    _late_change_reschedule(meeting.event)
    return meeting


@transaction.atomic
def meeting_mark_no_show(*, meeting: Meeting, actor: User | None) -> Meeting:
    """The organiser marks a no-show: the meeting is off and the partner's slot is free for
    walk-in meetings."""
    meeting = (
        Meeting.objects.select_for_update(of=("self",))
        .order_by("pk")
        .select_related("event")
        .get(pk=meeting.pk)
    )
    require_manage(actor=actor, event=meeting.event)
    if meeting.status != MeetingStatus.SCHEDULED:
        raise Conflict(_("Only scheduled meetings can be marked as no-show."))
    _free(meeting, MeetingStatus.NO_SHOW)
    audit_record(actor=actor, action="event.meeting_no_show", target=meeting)
    return meeting


@transaction.atomic
def meeting_mark_held(*, meeting: Meeting, actor: User | None) -> Meeting:
    """The organiser (or a participant) confirms the meeting took place."""
    meeting = (
        Meeting.objects.select_for_update(of=("self",))
        .order_by("pk")
        .select_related("event")
        .get(pk=meeting.pk)
    )
    if actor is not None and not (
        _actor_in_meeting(meeting, actor) or event_can_manage(actor=actor, event=meeting.event)
    ):
        raise PermissionDenied(_("You may not change this meeting."))
    if meeting.status != MeetingStatus.SCHEDULED:
        raise Conflict(_("Only scheduled meetings can be held."))
    if meeting.held_at is None:
        meeting.held_at = timezone.now()
        meeting.save(update_fields=["held_at", "updated_at"])
    return meeting


@transaction.atomic
def meeting_lock(*, meeting: Meeting, actor: User | None, locked: bool) -> Meeting:
    """Lock a scheduled meeting in place: optimiser re-runs never move it."""
    require_manage(actor=actor, event=meeting.event)
    if locked and meeting.status != MeetingStatus.SCHEDULED:
        raise Conflict(_("Only scheduled meetings can be locked."))
    meeting.locked = locked
    meeting.save(update_fields=["locked", "updated_at"])
    audit_record(actor=actor, action="event.meeting_lock", target=meeting, data={"locked": locked})
    return meeting


@transaction.atomic
def meeting_walk_in_create(
    *, event: Event, actor: User | None, a: Registration, b: Registration, slot: Slot
) -> Meeting:
    """On the day: the organiser seats two participants who are both free in ``slot``."""
    require_manage(actor=actor, event=event)
    a, b = _lock_pair(a, b)
    if a.event_id != event.pk or b.event_id != event.pk or a.pk == b.pk:
        raise DomainError(_("Choose two different participants of this event."))
    if MeetingBooking.objects.filter(registration__in=[a, b], slot=slot).exists():
        raise RequestNotPossible(_("One of them already has a meeting in this slot."))
    meeting = _meeting_create(event=event, request=None, a=a, b=b)
    if not meeting_place(meeting=meeting, slot=slot):
        raise RequestNotPossible(_("There is no free table in this slot."))
    meeting.published_at = timezone.now()
    meeting.save(update_fields=["published_at", "updated_at"])
    audit_record(actor=actor, action="event.meeting_walk_in", target=meeting)
    return meeting


def meeting_url(meeting: Meeting) -> str:
    return reverse("events:agenda", kwargs={"slug": meeting.event.slug})
