"""Matchmaking-event endpoints: public event reads; token-authenticated registration,
opportunities, participant directory, meeting requests (send, accept, decline, cancel), meetings
and the caller's agenda (JSON and iCalendar). Mounted by the lead at ``/events``."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import WithJsonSchema

from escp4i.api.auth import actor, token_auth
from escp4i.api.pagination import KeysetPagination
from escp4i.api.schemas import WRITE_ERRORS, ErrorOut
from escp4i.core.errors import NotFound
from escp4i.events import ical, selectors, services
from escp4i.events.models import (
    Event,
    EventSession,
    Meeting,
    MeetingRequest,
    Opportunity,
    OpportunityKind,
    Registration,
)
from escp4i.registry.models import ClusterOrganisation, Country, Sector

router = Router(tags=["events"])

# --- schemas -------------------------------------------------------------------------------

# A wall-clock time in the event's time zone. JSON Schema's "time" format demands a UTC offset,
# which a local session time does not have: document the pattern we actually send.
LocalTime = Annotated[
    dt.time,
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^\d{2}:\d{2}(:\d{2}(\.\d+)?)?$",
            "description": "Local time of day (HH:MM:SS) in the event's time zone",
        }
    ),
]


class EventOut(Schema):
    slug: str
    name: str
    host_fair: str
    city: str
    country: str
    timezone: str
    start_date: dt.date
    end_date: dt.date
    request_mode: str
    scheduling_mode: str
    is_synthetic: bool
    source_urls: list[str]

    @staticmethod
    def resolve_country(obj: Event) -> str:
        return obj.country_id


class SessionOut(Schema):
    id: int
    name: str
    date: dt.date
    start_time: LocalTime
    end_time: LocalTime
    slot_minutes: int
    slots: int

    @staticmethod
    def resolve_slots(obj: EventSession) -> int:
        return obj.slots.count()


class EventDetailOut(EventOut):
    description: str
    focus_countries: list[str]
    sectors: list[str]
    participant_types: list[str]
    sessions: list[SessionOut]
    tables: list[str]
    schedule_published_at: dt.datetime | None

    @staticmethod
    def resolve_focus_countries(obj: Event) -> list[str]:
        return [c.code for c in obj.focus_countries.all()]

    @staticmethod
    def resolve_sectors(obj: Event) -> list[str]:
        return [s.slug for s in obj.sectors.all()]

    @staticmethod
    def resolve_participant_types(obj: Event) -> list[str]:
        return [t.kind for t in obj.participant_types.all()]

    @staticmethod
    def resolve_sessions(obj: Event) -> list[Any]:
        return list(obj.sessions.all())

    @staticmethod
    def resolve_tables(obj: Event) -> list[str]:
        return [t.name for t in obj.tables.all()]


class OpportunityOut(Schema):
    id: int
    registration_id: int
    kind: str
    title: str
    description: str
    sectors: list[str]
    countries: list[str]

    @staticmethod
    def resolve_sectors(obj: Opportunity) -> list[str]:
        return [s.slug for s in obj.sectors.all()]

    @staticmethod
    def resolve_countries(obj: Opportunity) -> list[str]:
        return [c.code for c in obj.countries.all()]


class RegistrationOut(Schema):
    id: int
    organisation: str
    country: str
    participant_type: str
    status: str
    profile: str
    is_synthetic: bool

    @staticmethod
    def resolve_organisation(obj: Registration) -> str:
        return obj.organisation.name

    @staticmethod
    def resolve_country(obj: Registration) -> str:
        return obj.organisation.country_id

    @staticmethod
    def resolve_participant_type(obj: Registration) -> str:
        return obj.participant_type.kind


class RegistrationIn(Schema):
    participant_type: str
    organisation_slug: str | None = None
    new_organisation_name: str = ""
    new_organisation_country: str | None = None
    profile: str = ""
    max_meetings: int = 10
    session_ids: list[int] = []
    unavailable_slot_ids: list[int] = []


class OpportunityIn(Schema):
    kind: OpportunityKind
    title: str
    description: str = ""
    sectors: list[str] = []
    countries: list[str] = []


class RequestIn(Schema):
    recipient_id: int
    message: str = ""
    priority: int = 2


class DeclineIn(Schema):
    reason: str = ""


class RequestOut(Schema):
    id: int
    requester_id: int
    recipient_id: int
    requester: str
    recipient: str
    message: str
    priority: int
    status: str
    expires_at: dt.datetime | None

    @staticmethod
    def resolve_requester(obj: MeetingRequest) -> str:
        return obj.requester.organisation.name

    @staticmethod
    def resolve_recipient(obj: MeetingRequest) -> str:
        return obj.recipient.organisation.name


class RequestListOut(Schema):
    received: list[RequestOut]
    sent: list[RequestOut]


class MeetingOut(Schema):
    id: int
    uid: str
    status: str
    starts_at: dt.datetime | None
    ends_at: dt.datetime | None
    table: str | None
    participants: list[str]
    sequence: int
    locked: bool
    published: bool

    @staticmethod
    def resolve_starts_at(obj: Meeting) -> dt.datetime | None:
        return obj.slot.starts_at if obj.slot else None

    @staticmethod
    def resolve_ends_at(obj: Meeting) -> dt.datetime | None:
        return obj.slot.ends_at if obj.slot else None

    @staticmethod
    def resolve_table(obj: Meeting) -> str | None:
        return obj.table.name if obj.table else None

    @staticmethod
    def resolve_participants(obj: Meeting) -> list[str]:
        return [b.registration.organisation.name for b in obj.bookings.all()]

    @staticmethod
    def resolve_published(obj: Meeting) -> bool:
        return obj.published_at is not None


# --- public reads --------------------------------------------------------------------------


@router.get("", response=list[EventOut])
@paginate(KeysetPagination)
def event_list(request: HttpRequest) -> Any:
    """Every event, newest first."""
    return selectors.event_list()


@router.get("/{slug}", response={200: EventDetailOut, 404: ErrorOut})
def event_detail(request: HttpRequest, slug: str) -> Any:
    return selectors.event_get(slug=slug)


# --- participants (token) ------------------------------------------------------------------


def _own(request: HttpRequest, slug: str) -> Registration:
    event = selectors.event_get(slug=slug)
    return selectors.access_own_registration(actor=actor(request), event=event)


@router.get(
    "/{slug}/registrations",
    auth=token_auth,
    response={200: list[RegistrationOut], 404: ErrorOut},
)
def registration_list(
    request: HttpRequest,
    slug: str,
    kind: str = "",
    country: str = "",
    sector: str = "",
    opportunity_kind: str = "",
    q: str = "",
) -> Any:
    """The participant directory (approved participants) with its filters."""
    event = selectors.event_get(slug=slug)
    return list(
        selectors.participant_directory(
            event=event,
            kind=kind,
            country=country,
            sector=sector,
            opportunity_kind=opportunity_kind,
            text=q,
        )
    )


@router.post(
    "/{slug}/registrations", auth=token_auth, response={201: RegistrationOut, **WRITE_ERRORS}
)
def registration_create(request: HttpRequest, slug: str, payload: RegistrationIn) -> Any:
    event = selectors.event_get(slug=slug)
    organisation = None
    if payload.organisation_slug:
        organisation = ClusterOrganisation.objects.filter(slug=payload.organisation_slug).first()
        if organisation is None:
            raise NotFound("No such organisation.", slug=payload.organisation_slug)
    country = (
        Country.objects.filter(pk=payload.new_organisation_country.upper()).first()
        if payload.new_organisation_country
        else None
    )
    registration = services.registration_create(
        event=event,
        user=actor(request),
        participant_kind=payload.participant_type,
        organisation=organisation,
        new_organisation_name=payload.new_organisation_name,
        new_organisation_country=country,
        profile=payload.profile,
        max_meetings=payload.max_meetings,
        sessions=event.sessions.filter(pk__in=payload.session_ids),
        unavailable_slots=event.slots.filter(pk__in=payload.unavailable_slot_ids),
    )
    return Status(201, registration)


@router.get(
    "/{slug}/opportunities", auth=token_auth, response={200: list[OpportunityOut], 404: ErrorOut}
)
def opportunity_list(request: HttpRequest, slug: str, kind: str = "") -> Any:
    event = selectors.event_get(slug=slug)
    qs = Opportunity.objects.filter(
        registration__event=event, registration__status="approved"
    ).prefetch_related("sectors", "countries")
    if kind:
        qs = qs.filter(kind=kind)
    return list(qs.order_by("pk"))


@router.post(
    "/{slug}/opportunities", auth=token_auth, response={201: OpportunityOut, **WRITE_ERRORS}
)
def opportunity_create(request: HttpRequest, slug: str, payload: OpportunityIn) -> Any:
    registration = _own(request, slug)
    opportunity = services.opportunity_add(
        registration=registration,
        actor=actor(request),
        kind=payload.kind,
        title=payload.title,
        description=payload.description,
        sectors=Sector.objects.filter(slug__in=payload.sectors),
        countries=Country.objects.filter(code__in=[c.upper() for c in payload.countries]),
    )
    return Status(201, opportunity)


@router.get("/{slug}/requests", auth=token_auth, response={200: RequestListOut, 404: ErrorOut})
def request_list(request: HttpRequest, slug: str) -> Any:
    lists = selectors.request_list(registration=_own(request, slug))
    return {"received": list(lists["received"]), "sent": list(lists["sent"])}


@router.post("/{slug}/requests", auth=token_auth, response={201: RequestOut, **WRITE_ERRORS})
def request_create(request: HttpRequest, slug: str, payload: RequestIn) -> Any:
    mine = _own(request, slug)
    other = selectors.access_participant(
        actor=actor(request), event=mine.event, registration_id=payload.recipient_id
    )
    created = services.meeting_request_send(
        requester=mine,
        recipient=other,
        actor=actor(request),
        message=payload.message,
        priority=payload.priority,
    )
    created.refresh_from_db()
    return Status(201, created)


@router.post(
    "/requests/{int:request_id}/accept", auth=token_auth, response={200: MeetingOut, **WRITE_ERRORS}
)
def request_accept(request: HttpRequest, request_id: int) -> Any:
    meeting_request = selectors.access_request(actor=actor(request), request_id=request_id)
    meeting = services.meeting_request_accept(request=meeting_request, actor=actor(request))
    return selectors.access_meeting(actor=actor(request), meeting_id=meeting.pk)


@router.post(
    "/requests/{int:request_id}/decline",
    auth=token_auth,
    response={200: RequestOut, **WRITE_ERRORS},
)
def request_decline(request: HttpRequest, request_id: int, payload: DeclineIn) -> Any:
    meeting_request = selectors.access_request(actor=actor(request), request_id=request_id)
    return services.meeting_request_decline(
        request=meeting_request, actor=actor(request), reason=payload.reason
    )


@router.post(
    "/requests/{int:request_id}/cancel", auth=token_auth, response={200: RequestOut, **WRITE_ERRORS}
)
def request_cancel(request: HttpRequest, request_id: int) -> Any:
    meeting_request = selectors.access_request(actor=actor(request), request_id=request_id)
    return services.meeting_request_cancel(request=meeting_request, actor=actor(request))


@router.get("/{slug}/meetings", auth=token_auth, response={200: list[MeetingOut], 404: ErrorOut})
def meeting_list(request: HttpRequest, slug: str) -> Any:
    """All meetings for the organiser; the caller's own (any status) for a participant."""
    event = selectors.event_get(slug=slug)
    meetings = selectors.event_meetings(event=event)
    if selectors.event_can_manage(actor=actor(request), event=event):
        return list(meetings)
    mine = selectors.access_own_registration(actor=actor(request), event=event)
    return list(meetings.filter(bookings__registration=mine))


@router.get("/{slug}/agenda", auth=token_auth, response={200: list[MeetingOut], 404: ErrorOut})
def agenda(request: HttpRequest, slug: str) -> Any:
    return selectors.agenda_meetings(registration=_own(request, slug))


@router.get(
    "/{slug}/agenda.ics",
    auth=token_auth,
    response={404: ErrorOut},
    openapi_extra={
        "responses": {
            200: {
                "description": "The caller's agenda as an iCalendar feed",
                "content": {"text/calendar": {"schema": {"type": "string"}}},
            }
        }
    },
)
def agenda_ics(request: HttpRequest, slug: str) -> HttpResponse:
    registration = _own(request, slug)
    return HttpResponse(
        ical.registration_calendar(registration=registration),
        content_type="text/calendar; charset=utf-8; method=PUBLISH",
    )
