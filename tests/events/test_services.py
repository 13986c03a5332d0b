import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from escp4i.core.errors import Conflict, DomainError, PermissionDenied
from escp4i.events import selectors, services
from escp4i.events.errors import RequestNotPossible
from escp4i.events.models import (
    AgreementKind,
    Meeting,
    MeetingBooking,
    MeetingStatus,
    OpportunityKind,
    Outcome,
    ParticipantKind,
    RegistrationStatus,
    RequestMode,
    RequestStatus,
    Slot,
)
from escp4i.notifications.models import Notification, NotificationKind
from escp4i.registry.models import Country, Membership, Partnership


def test_session_generates_slots_around_breaks(make_event):
    event = make_event()
    slots = list(event.slots.order_by("starts_at"))
    local = [
        s.starts_at.astimezone(dt.timezone(dt.timedelta(hours=2))).strftime("%H:%M") for s in slots
    ]
    assert local == ["09:00", "09:30", "10:00", "11:00", "11:30", "12:00"]
    assert [s.index for s in slots] == list(range(6))


def test_overlapping_session_rejected(make_event, organiser):
    event = make_event()
    with pytest.raises(Conflict):
        services.event_session_add(
            event=event,
            actor=organiser,
            date=event.start_date,
            start_time=dt.time(10, 0),
            end_time=dt.time(11, 0),
        )


def test_event_create_needs_organiser_role(make_event, user):
    with pytest.raises(PermissionDenied):
        make_event(actor=user)


def test_registration_cap_per_type(make_event, make_participant):
    event = make_event(participant_caps={ParticipantKind.SME: 1, ParticipantKind.EU_CLUSTER: None})
    make_participant(event, kind=ParticipantKind.SME)
    with pytest.raises(Conflict, match="all taken"):
        make_participant(event, kind=ParticipantKind.SME)
    with pytest.raises(DomainError, match="does not accept"):
        make_participant(event, kind=ParticipantKind.SUPPORT_SERVICE)


def test_registration_creates_organisation_on_the_fly(make_event, participant):
    event = make_event()
    registration = services.registration_create(
        event=event,
        user=participant,
        participant_kind=ParticipantKind.THIRD_COUNTRY,
        new_organisation_name="Taipei ICT Alliance",
        new_organisation_country=Country.objects.get(pk="TW"),
    )
    assert registration.organisation.country_id == "TW"
    assert registration.status == RegistrationStatus.APPROVED


def test_validation_hides_participant_until_approved(make_event, make_participant, organiser):
    event = make_event(requires_validation=True)
    a = make_participant(event)
    b = make_participant(event)
    assert selectors.participant_directory(event=event).count() == 0
    services.registration_validate(registration=a, actor=organiser, approve=True)
    assert list(selectors.participant_directory(event=event)) == [a]
    services.registration_validate(registration=b, actor=organiser, approve=True)
    a.refresh_from_db()
    assert selectors.meeting_request_obstacle(requester=a, recipient=b) is None


def test_accept_books_earliest_common_free_slot(make_event, make_participant):
    event = make_event()
    a, b, c = make_participant(event), make_participant(event), make_participant(event)
    first = services.meeting_request_send(requester=a, recipient=b, actor=a.user, message="Hi")
    assert Notification.objects.filter(user=b.user, kind=NotificationKind.REQUEST_RECEIVED).exists()
    meeting = services.meeting_request_accept(request=first, actor=b.user)
    assert meeting.status == MeetingStatus.SCHEDULED
    assert meeting.slot.index == 0
    assert meeting.published_at is not None
    second = services.meeting_request_send(requester=c, recipient=a, actor=c.user)
    meeting2 = services.meeting_request_accept(request=second, actor=a.user)
    assert meeting2.slot.index == 1  # a is busy in slot 0
    assert Notification.objects.filter(user=c.user, kind=NotificationKind.REQUEST_ACCEPTED).exists()


def test_accept_respects_unavailable_slots_and_tables(make_event, make_participant):
    event = make_event(tables=1)
    slots = list(event.slots.order_by("starts_at"))
    a = make_participant(event, unavailable_slots=slots[:2])
    b, c, d = make_participant(event), make_participant(event), make_participant(event)
    m1 = services.meeting_request_accept(
        request=services.meeting_request_send(requester=a, recipient=b, actor=None), actor=None
    )
    assert m1.slot == slots[2]
    m2 = services.meeting_request_accept(
        request=services.meeting_request_send(requester=c, recipient=d, actor=None), actor=None
    )
    assert m2.slot == slots[0]


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("self", "yourself"),
        ("duplicate", "already sent them"),
        ("reverse", "accept it instead"),
        ("no_shared_session", "no shared session"),
        ("their_limit", "Their meeting limit is reached"),
        ("my_limit", "Your meeting limit"),
        ("cap", "limit of 1 open requests"),
        ("no_slot", "no common free slot"),
        ("no_table", "no free table in your common free slots"),
        ("window", "closed"),
    ],
)
def test_request_obstacles_say_exactly_why(setup, message, make_event, make_participant, organiser):
    event = make_event(open_request_cap=1, tables=1)
    slots = list(event.slots.order_by("starts_at"))
    a, b = make_participant(event), make_participant(event)
    recipient = b
    if setup == "self":
        recipient = a
    elif setup == "duplicate":
        services.meeting_request_send(requester=a, recipient=b, actor=None)
    elif setup == "reverse":
        services.meeting_request_send(requester=b, recipient=a, actor=None)
    elif setup == "no_shared_session":
        afternoon = services.event_session_add(
            event=event,
            actor=organiser,
            date=event.start_date,
            start_time=dt.time(14, 0),
            end_time=dt.time(15, 0),
        )
        morning = event.sessions.get(name="Morning")
        a.sessions.set([morning])
        b.sessions.set([afternoon])
    elif setup == "their_limit":
        b.max_meetings = 1
        b.save()
        c = make_participant(event)
        services.meeting_request_accept(
            request=services.meeting_request_send(requester=c, recipient=b, actor=None), actor=None
        )
    elif setup == "my_limit":
        a.max_meetings = 1
        a.save()
        c = make_participant(event)
        services.meeting_request_accept(
            request=services.meeting_request_send(requester=c, recipient=a, actor=None), actor=None
        )
    elif setup == "cap":
        c = make_participant(event)
        services.meeting_request_send(requester=a, recipient=c, actor=None)
    elif setup == "no_slot":
        a.unavailable_slots.set(slots[:3])
        b.unavailable_slots.set(slots[3:])
    elif setup == "no_table":
        a.unavailable_slots.set(slots[1:])
        c, d = make_participant(event), make_participant(event)
        c.unavailable_slots.set(slots[1:])
        services.meeting_request_accept(
            request=services.meeting_request_send(requester=c, recipient=d, actor=None), actor=None
        )
    elif setup == "window":
        event.booking_closes_at = timezone.now() - dt.timedelta(days=1)
        event.save()
        a.refresh_from_db()
    obstacle = selectors.meeting_request_obstacle(requester=a, recipient=recipient)
    assert obstacle is not None and message.lower() in obstacle.lower()
    with pytest.raises((RequestNotPossible, DomainError), match="(?i)" + message):
        services.meeting_request_send(requester=a, recipient=recipient, actor=None)


def test_auto_accept_books_immediately(make_event, make_participant):
    event = make_event(request_mode=RequestMode.AUTO_ACCEPT)
    a, b = make_participant(event), make_participant(event)
    request = services.meeting_request_send(requester=a, recipient=b, actor=a.user)
    request.refresh_from_db()
    assert request.status == RequestStatus.ACCEPTED
    assert request.meeting.status == MeetingStatus.SCHEDULED


def test_only_recipient_accepts_and_decline_cancel(make_event, make_participant):
    event = make_event()
    a, b = make_participant(event), make_participant(event)
    request = services.meeting_request_send(requester=a, recipient=b, actor=a.user)
    with pytest.raises(PermissionDenied):
        services.meeting_request_accept(request=request, actor=a.user)
    services.meeting_request_decline(request=request, actor=b.user, reason="Not our field")
    assert Notification.objects.filter(user=a.user, kind=NotificationKind.REQUEST_DECLINED).exists()
    again = services.meeting_request_send(requester=a, recipient=b, actor=a.user)
    services.meeting_request_cancel(request=again, actor=a.user)
    again.refresh_from_db()
    assert again.status == RequestStatus.CANCELLED


def test_expired_requests(make_event, make_participant):
    event = make_event(request_expiry_hours=1)
    a, b = make_participant(event), make_participant(event)
    request = services.meeting_request_send(requester=a, recipient=b, actor=None)
    assert services.meeting_requests_expire(now=timezone.now() + dt.timedelta(hours=2)) == 1
    request.refresh_from_db()
    assert request.status == RequestStatus.EXPIRED
    late = services.meeting_request_send(requester=a, recipient=b, actor=None)
    late.expires_at = timezone.now() - dt.timedelta(minutes=1)
    late.save()
    with pytest.raises(RequestNotPossible, match="expired"):
        services.meeting_request_accept(request=late, actor=None)


def test_database_forbids_double_booking(make_event, make_participant):
    event = make_event()
    a, b, c = make_participant(event), make_participant(event), make_participant(event)
    m1 = services.meeting_request_accept(
        request=services.meeting_request_send(requester=a, recipient=b, actor=None), actor=None
    )
    other = Meeting.objects.create(event=event)
    MeetingBooking.objects.create(meeting=other, registration=c)
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingBooking.objects.create(meeting=other, registration=a, slot=m1.slot)
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.filter(pk=other.pk).update(
            slot=m1.slot, table=m1.table, status=MeetingStatus.SCHEDULED
        )


def test_cancel_frees_slot_and_bumps_sequence(make_event, make_participant):
    event = make_event()
    a, b = make_participant(event), make_participant(event)
    meeting = services.meeting_request_accept(
        request=services.meeting_request_send(requester=a, recipient=b, actor=None), actor=None
    )
    services.meeting_cancel(meeting=meeting, actor=a.user)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED
    assert meeting.sequence == 1
    assert not MeetingBooking.objects.filter(meeting=meeting, slot__isnull=False).exists()
    assert Notification.objects.filter(
        user=b.user, kind=NotificationKind.MEETING_CANCELLED
    ).exists()
    # the pair may meet again
    again = services.meeting_request_send(requester=a, recipient=b, actor=None)
    assert services.meeting_request_accept(request=again, actor=None).slot == meeting.slot


def test_no_show_frees_partner_for_walk_in(make_event, make_participant, organiser):
    event = make_event(tables=1)
    a, b, c = make_participant(event), make_participant(event), make_participant(event)
    meeting = services.meeting_request_accept(
        request=services.meeting_request_send(requester=a, recipient=b, actor=None), actor=None
    )
    services.registration_check_in(registration=a, actor=organiser)
    services.meeting_mark_no_show(meeting=meeting, actor=organiser)
    walk_in = services.meeting_walk_in_create(
        event=event, actor=organiser, a=a, b=c, slot=meeting.slot
    )
    assert walk_in.slot == meeting.slot and walk_in.status == MeetingStatus.SCHEDULED


def test_feedback_and_partnership_outcomes(make_event, make_participant, registry_data):
    event = make_event()
    partnership = Partnership.objects.get(acronym="ECCA", generation__code="2016")
    member = partnership.memberships.first().organisation
    a, b = make_participant(event), make_participant(event)
    a.organisation = member
    a.save()
    meeting = services.meeting_request_accept(
        request=services.meeting_request_send(requester=a, recipient=b, actor=None), actor=None
    )
    with pytest.raises(DomainError, match="kind of agreement"):
        services.feedback_submit(meeting=meeting, actor=a.user, rating=5, outcome=Outcome.AGREEMENT)
    services.feedback_submit(
        meeting=meeting,
        actor=a.user,
        rating=5,
        outcome=Outcome.AGREEMENT,
        agreement_kind=AgreementKind.TECHNICAL,
    )
    services.feedback_submit(meeting=meeting, actor=b.user, rating=4, outcome=Outcome.FOLLOW_UP)
    outcomes = {o.acronym: o for o in selectors.event_outcomes_by_partnership()}
    assert outcomes["ECCA"].meetings_held == 1
    assert outcomes["ECCA"].agreements == 1
    assert Membership.objects.filter(organisation=b.organisation).count() == 0
    analytics = selectors.event_analytics(event=event)
    assert {r.key: r.value for r in analytics.outcomes}["agreement"] == 1
    assert {r.key: r.value for r in analytics.meetings}["held"] == 1
    assert analytics.average_rating == 4.5


def test_follow_up_reminders_once_after_delay(make_event, make_participant):
    event = make_event(follow_up_delay_days=3)
    a, b = make_participant(event), make_participant(event)
    meeting = services.meeting_request_accept(
        request=services.meeting_request_send(requester=a, recipient=b, actor=None), actor=None
    )
    services.feedback_submit(meeting=meeting, actor=b.user, rating=3, outcome=Outcome.NONE)
    early = meeting.slot.ends_at + dt.timedelta(days=2)
    assert services.follow_up_reminders_send(now=early) == 0
    later = meeting.slot.ends_at + dt.timedelta(days=3, minutes=1)
    assert services.follow_up_reminders_send(now=later) == 1  # b already gave feedback
    assert services.follow_up_reminders_send(now=later) == 0
    assert Notification.objects.filter(user=a.user, kind=NotificationKind.FOLLOW_UP).count() == 1


def test_directory_filters(make_event, make_participant):
    event = make_event()
    a = make_participant(event, name="Aero Cluster", country="FR")
    b = make_participant(
        event, name="Taipei Chips", country="TW", kind=ParticipantKind.THIRD_COUNTRY
    )
    services.opportunity_add(
        registration=b, actor=None, kind=OpportunityKind.BUSINESS_OFFER, title="Chips"
    )
    assert list(selectors.participant_directory(event=event, country="tw")) == [b]
    assert list(selectors.participant_directory(event=event, kind="eu_cluster")) == [a]
    assert list(
        selectors.participant_directory(event=event, opportunity_kind="business_offer")
    ) == [b]
    assert list(selectors.participant_directory(event=event, text="aero")) == [a]


def test_slots_are_event_local(make_event):
    event = make_event()
    first = Slot.objects.filter(event=event).order_by("starts_at").first()
    assert first.starts_at == dt.datetime(2030, 4, 25, 7, 0, tzinfo=dt.UTC)
