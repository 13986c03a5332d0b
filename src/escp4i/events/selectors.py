"""Events reads: access checks (event management, own registration, meetings, requests), the
participant directory and suggested matches, the reasons a request cannot be made, agendas, the
organiser's grid, exports, analytics and the outcomes that feed the programme's key figures.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from escp4i.accounts.models import User
from escp4i.accounts.selectors import person_visible_to, user_is_officer
from escp4i.core.errors import NotFound, PermissionDenied
from escp4i.events.models import (
    Event,
    Feedback,
    Meeting,
    MeetingBooking,
    MeetingRequest,
    MeetingStatus,
    Opportunity,
    OpportunityKind,
    Outcome,
    ParticipantKind,
    Registration,
    RegistrationStatus,
    RequestStatus,
    ScheduleRun,
    SchedulingMode,
    Slot,
    Table,
)
from escp4i.matching import (
    CooperationOpportunity,
    ParticipantProfile,
    Reason,
    recommend_participants,
)
from escp4i.registry.models import Membership
from escp4i.registry.taxonomy import focus_areas_for_term

AnyUser = User | AnonymousUser

ACTIVE_MEETING = [MeetingStatus.UNSCHEDULED, MeetingStatus.SCHEDULED]
OPEN_REQUEST = [RequestStatus.PENDING]

# --- access ------------------------------------------------------------------------------


def event_list() -> QuerySet[Event]:
    """Every event, newest first (ends in the primary key, for keyset pagination)."""
    return Event.objects.select_related("country").order_by("-start_date", "name", "pk")


def event_get(*, slug: str) -> Event:
    """Any event by slug (events are public). Raises NotFound."""
    event = Event.objects.select_related("country", "organiser").filter(slug=slug).first()
    if event is None:
        raise NotFound(_("No event %(slug)r.") % {"slug": slug}, slug=slug)
    return event


def event_can_manage(*, actor: AnyUser, event: Event) -> bool:
    if user_is_officer(actor):
        return True
    return bool(actor.is_authenticated and event.organiser_id == actor.pk)


def access_event_for_manage(*, actor: AnyUser, slug: str) -> Event:
    """The event if ``actor`` organises it (or is an officer). NotFound or PermissionDenied."""
    event = event_get(slug=slug)
    if not event_can_manage(actor=actor, event=event):
        raise PermissionDenied(_("Only the event's organiser may do this."), slug=slug)
    return event


def registration_of(*, actor: AnyUser, event: Event) -> Registration | None:
    """``actor``'s registration for ``event`` (any status), or None."""
    if not actor.is_authenticated:
        return None
    return (
        Registration.objects.select_related(
            "organisation__country", "participant_type", "event", "user"
        )
        .filter(event=event, user_id=actor.pk)
        .first()
    )


def access_own_registration(*, actor: AnyUser, event: Event) -> Registration:
    """``actor``'s own active registration for ``event``; NotFound otherwise."""
    registration = registration_of(actor=actor, event=event)
    if registration is None:
        raise NotFound(_("You are not registered for this event."))
    if registration.status == RegistrationStatus.CANCELLED:
        raise NotFound(_("Your registration was cancelled."))
    return registration


def registration_is_visible(registration: Registration) -> bool:
    return registration.status == RegistrationStatus.APPROVED


def access_participant(*, actor: AnyUser, event: Event, registration_id: int) -> Registration:
    """A participant profile: approved ones for everyone, any for the organiser or the owner."""
    registration = (
        Registration.objects.select_related("organisation__country", "participant_type", "user")
        .prefetch_related("opportunities__sectors", "opportunities__countries", "sessions")
        .filter(event=event, pk=registration_id)
        .first()
    )
    if registration is None:
        raise NotFound(_("No such participant."))
    if registration_is_visible(registration):
        return registration
    if registration.user_id == getattr(actor, "pk", None):
        return registration
    if event_can_manage(actor=actor, event=event):
        return registration
    raise NotFound(_("No such participant."))


def access_request(*, actor: AnyUser, request_id: int) -> MeetingRequest:
    """A request ``actor`` sent or received (or organises). NotFound otherwise."""
    request = (
        MeetingRequest.objects.select_related(
            "event",
            "requester__user",
            "recipient__user",
            "requester__organisation",
            "recipient__organisation",
        )
        .filter(pk=request_id)
        .first()
    )
    if request is None:
        raise NotFound(_("No such request."))
    actor_id = getattr(actor, "pk", None)
    if actor_id in (request.requester.user_id, request.recipient.user_id):
        return request
    if event_can_manage(actor=actor, event=request.event):
        return request
    raise NotFound(_("No such request."))


def access_meeting(*, actor: AnyUser, meeting_id: int) -> Meeting:
    """A meeting ``actor`` takes part in (or organises). NotFound otherwise."""
    meeting = (
        Meeting.objects.select_related("event", "slot", "table")
        .prefetch_related("bookings__registration__organisation", "bookings__registration__user")
        .filter(pk=meeting_id)
        .first()
    )
    if meeting is None:
        raise NotFound(_("No such meeting."))
    actor_id = getattr(actor, "pk", None)
    if any(b.registration.user_id == actor_id for b in meeting.bookings.all()):
        return meeting
    if event_can_manage(actor=actor, event=meeting.event):
        return meeting
    raise NotFound(_("No such meeting."))


def registration_by_token(*, token: str) -> Registration:
    registration = (
        Registration.objects.select_related("event", "organisation")
        .filter(ical_token=token)
        .first()
    )
    if registration is None or not token:
        raise NotFound(_("Unknown calendar link."))
    return registration


# --- directory and suggestions -------------------------------------------------------------


def participant_directory(
    *,
    event: Event,
    kind: str = "",
    country: str = "",
    sector: str = "",
    opportunity_kind: str = "",
    text: str = "",
    exclude: Registration | None = None,
) -> QuerySet[Registration]:
    """Visible (approved) participants of ``event`` matching every given filter."""
    qs = Registration.objects.filter(event=event, status=RegistrationStatus.APPROVED)
    if kind:
        qs = qs.filter(participant_type__kind=kind)
    if country:
        qs = qs.filter(organisation__country_id=country.upper())
    if sector:
        qs = qs.filter(
            Q(organisation__sectors__slug=sector) | Q(opportunities__sectors__slug=sector)
        )
    if opportunity_kind:
        qs = qs.filter(opportunities__kind=opportunity_kind)
    if text:
        qs = qs.filter(
            Q(organisation__name__icontains=text)
            | Q(profile__icontains=text)
            | Q(opportunities__title__icontains=text)
            | Q(opportunities__description__icontains=text)
        )
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return (
        qs.distinct()
        .select_related("organisation__country", "participant_type", "user")
        .prefetch_related(
            "organisation__sectors",
            Prefetch("opportunities", queryset=Opportunity.objects.prefetch_related("sectors")),
        )
        .order_by("organisation__name", "pk")
    )


@dataclass(frozen=True, slots=True)
class Contact:
    """The person behind a registration, as far as they agreed to be shown."""

    name: str
    email: str


def participant_contact(
    *,
    viewer: AnyUser,
    event: Event,
    registration: Registration,
    viewer_registration: Registration | None,
) -> Contact | None:
    """The contact person of ``registration`` if ``viewer`` may see them: the person's consent
    (``User.profile_visibility``) decides, organisers and officers always may. Reads
    ``registration.user`` (select it with the registration)."""
    person = registration.user
    co_participant = (
        viewer_registration is not None
        and viewer_registration.event_id == event.pk
        and viewer_registration.status == RegistrationStatus.APPROVED
    )
    manages = bool(viewer.is_authenticated and event.organiser_id == viewer.pk)
    if not person_visible_to(
        person=person, viewer=viewer, co_participant=co_participant, manages=manages
    ):
        return None
    return Contact(name=person.display_name, email=person.email or "")


@dataclass(frozen=True, slots=True)
class ParticipantRecommendation:
    """A suggested participant with its score and reasons (``escp4i.matching`` codes) and the
    reasons as translated sentences, ready for a page."""

    registration: Registration
    score: float
    reasons: tuple[Reason, ...]
    texts: tuple[str, ...]


def _participant_profile(registration: Registration) -> ParticipantProfile:
    organisation = registration.organisation
    return ParticipantProfile(
        key=str(registration.pk),
        name=organisation.name,
        country=organisation.country_id,
        organisation=str(organisation.pk),
        sectors=frozenset(s.slug for s in organisation.sectors.all()),
        sector_families=frozenset(focus_areas_for_term(organisation.name)),
        text=registration.profile,
        opportunities=tuple(
            CooperationOpportunity(
                kind=o.kind,
                title=o.title,
                text=o.description,
                sectors=frozenset(s.slug for s in o.sectors.all()),
                markets=frozenset(c.code for c in o.countries.all()),
            )
            for o in registration.opportunities.all()
        ),
    )


def _with_matching_data(qs: QuerySet[Registration]) -> QuerySet[Registration]:
    """Everything the matching engine reads: five queries, whatever the number of rows."""
    return qs.select_related("organisation__country", "participant_type").prefetch_related(
        "organisation__sectors",
        Prefetch(
            "opportunities", queryset=Opportunity.objects.prefetch_related("sectors", "countries")
        ),
    )


def participant_reason_text(
    reason: Reason, *, countries: dict[str, str], sectors: dict[str, str]
) -> str:
    """The translated sentence for one participant-matching reason."""
    p = dict(reason.params)

    def kind(value: str) -> str:
        if value in OpportunityKind.values:
            return str(OpportunityKind(value).label).lower()
        return value

    def names(value: str, table: dict[str, str]) -> str:
        return ", ".join(table.get(v.strip(), v.strip()) for v in value.split(",") if v.strip())

    def country() -> str:
        return countries.get(p["country"], p["country"])

    code = reason.code
    if code == "opportunity_match":
        return _("Their %(theirs)s “%(their_title)s” answers your %(mine)s “%(mine_title)s”.") % {
            "theirs": kind(p["their_kind"]),
            "their_title": p["their_title"],
            "mine": kind(p["mine_kind"]),
            "mine_title": p["mine_title"],
        }
    if code == "offer_matches_request":
        return _("They offer what you are looking for.")
    if code == "request_matches_offer":
        return _("They are looking for what you offer.")
    if code == "same_sector":
        return _("Shared sector: %(names)s.") % {"names": names(p["sectors"], sectors)}
    if code == "same_sector_family":
        return _("Same sector family: %(names)s.") % {"names": names(p["families"], sectors)}
    if code == "in_target_market":
        return _("Based in %(country)s, one of your target countries.") % {"country": country()}
    if code == "targets_your_country":
        return _("Their opportunities target your country, %(country)s.") % {"country": country()}
    if code == "similar_profile":
        if p.get("terms"):
            return _("Your profiles share key terms: %(terms)s.") % {"terms": p["terms"]}
        return _("Your profiles are similar.")
    if code == "other_country":
        return _("Based in another country: %(country)s.") % {"country": country()}
    return reason.text


def participant_recommendations(
    *, registration: Registration, limit: int | None = 5
) -> list[ParticipantRecommendation]:
    """Approved participants ``registration`` could meet, best first, ranked by the matching
    engine (``escp4i.matching.recommend_participants``): EEN offers answering requests both
    ways (kinds and texts), shared sectors, target countries, similar profiles. Participants
    with nothing in common are left out. A constant number of queries."""
    pool = list(
        _with_matching_data(
            Registration.objects.filter(
                Q(status=RegistrationStatus.APPROVED) | Q(pk=registration.pk),
                event_id=registration.event_id,
            )
        ).order_by("pk")
    )
    by_key = {str(r.pk): r for r in pool}
    me = by_key[str(registration.pk)]
    others = [r for r in pool if r.pk != me.pk]
    ranked = recommend_participants(
        _participant_profile(me), [_participant_profile(r) for r in others], limit=None
    )
    countries = {r.organisation.country_id: r.organisation.country.name for r in pool}
    sectors: dict[str, str] = {}
    for r in pool:
        sectors.update({s.slug: s.name for s in r.organisation.sectors.all()})
        for o in r.opportunities.all():
            sectors.update({s.slug: s.name for s in o.sectors.all()})
    out = [
        ParticipantRecommendation(
            registration=by_key[s.key],
            score=s.score,
            reasons=s.reasons,
            texts=tuple(
                participant_reason_text(reason, countries=countries, sectors=sectors)
                for reason in s.reasons
            ),
        )
        for s in ranked
        if s.score > 0 and s.reasons
    ]
    return out if limit is None else out[:limit]


def participant_match(
    *, registration: Registration, other: Registration
) -> ParticipantRecommendation | None:
    """Why ``other`` is a good match for ``registration``: its entry of the full ranking (so the
    reasons read as on the list), or None when they have nothing in common."""
    return next(
        (
            r
            for r in participant_recommendations(registration=registration, limit=None)
            if r.registration.pk == other.pk
        ),
        None,
    )


# --- why a request cannot be made ------------------------------------------------------------


def registration_session_ids(registration: Registration) -> set[int]:
    """The sessions a participant attends (all of the event's when none were chosen)."""
    chosen = {s.pk for s in registration.sessions.all()}
    if chosen:
        return chosen
    return set(registration.event.sessions.values_list("pk", flat=True))


def active_meeting_count(registration: Registration) -> int:
    return MeetingBooking.objects.filter(
        registration=registration, meeting__status__in=ACTIVE_MEETING
    ).count()


def common_free_slots(a: Registration, b: Registration) -> list[Slot]:
    """Slots of sessions both attend, that neither marked unavailable nor has booked."""
    sessions = registration_session_ids(a) & registration_session_ids(b)
    busy = set(
        MeetingBooking.objects.filter(registration__in=[a, b], slot__isnull=False).values_list(
            "slot_id", flat=True
        )
    )
    unavailable = set(Slot.objects.filter(unavailable_for__in=[a, b]).values_list("pk", flat=True))
    return [
        slot
        for slot in Slot.objects.filter(session_id__in=sessions).order_by("starts_at")
        if slot.pk not in busy and slot.pk not in unavailable
    ]


def free_tables(*, slot: Slot) -> QuerySet[Table]:
    taken = Meeting.objects.filter(slot=slot, status=MeetingStatus.SCHEDULED).values("table_id")
    return (
        Table.objects.filter(event_id=slot.event_id)
        .exclude(pk__in=taken)
        .order_by("position", "pk")
    )


def _window_obstacle(event: Event, now: dt.datetime) -> str | None:
    if event.booking_opens_at and now < event.booking_opens_at:
        return _("Meeting requests open on %(date)s.") % {
            "date": timezone.localtime(event.booking_opens_at).strftime("%Y-%m-%d %H:%M")
        }
    if event.booking_closes_at and now > event.booking_closes_at:
        return _("Meeting requests closed on %(date)s.") % {
            "date": timezone.localtime(event.booking_closes_at).strftime("%Y-%m-%d %H:%M")
        }
    return None


def meeting_obstacle(*, a: Registration, b: Registration, needs_place: bool) -> str | None:
    """Why ``a`` and ``b`` cannot meet (shared by request and acceptance), or None."""
    if not registration_session_ids(a) & registration_session_ids(b):
        return _("You have no shared session.")
    if active_meeting_count(a) >= a.max_meetings:
        return _("Your meeting limit (%(n)d) is reached.") % {"n": a.max_meetings}
    if active_meeting_count(b) >= b.max_meetings:
        return _("Their meeting limit is reached.")
    if not needs_place:
        return None
    slots = common_free_slots(a, b)
    if not slots:
        return _("You have no common free slot.")
    if not any(free_tables(slot=slot).exists() for slot in slots):
        return _("There is no free table in your common free slots.")
    return None


def meeting_request_obstacle(
    *, requester: Registration, recipient: Registration, now: dt.datetime | None = None
) -> str | None:
    """Exactly why ``requester`` may not send a request to ``recipient`` now, or None."""
    now = now or timezone.now()
    event = requester.event
    if requester.pk == recipient.pk:
        return _("You cannot request a meeting with yourself.")
    if recipient.event_id != requester.event_id:
        return _("They are not registered for this event.")
    if requester.status != RegistrationStatus.APPROVED:
        return _("Your registration has not been approved yet.")
    if recipient.status != RegistrationStatus.APPROVED:
        return _("They are not an approved participant.")
    window = _window_obstacle(event, now)
    if window:
        return window
    existing = MeetingRequest.objects.filter(
        Q(requester=requester, recipient=recipient) | Q(requester=recipient, recipient=requester),
        status__in=[RequestStatus.PENDING, RequestStatus.ACCEPTED],
    ).first()
    if existing is not None:
        if existing.status == RequestStatus.ACCEPTED:
            return _("You already have a meeting with them.")
        if existing.requester_id == requester.pk:
            return _("You already sent them a request.")
        return _("They already sent you a request: accept it instead.")
    open_count = MeetingRequest.objects.filter(
        requester=requester, status=RequestStatus.PENDING
    ).count()
    if open_count >= event.open_request_cap:
        return _("You have reached the limit of %(n)d open requests.") % {
            "n": event.open_request_cap
        }
    return meeting_obstacle(
        a=requester,
        b=recipient,
        needs_place=event.scheduling_mode == SchedulingMode.SELF,
    )


# --- requests, agendas, grid ----------------------------------------------------------------


def request_list(*, registration: Registration) -> dict[str, QuerySet[MeetingRequest]]:
    base = MeetingRequest.objects.select_related(
        "requester__organisation__country", "recipient__organisation__country"
    ).order_by("-created_at")
    return {
        "received": base.filter(recipient=registration),
        "sent": base.filter(requester=registration),
    }


def agenda_meetings(
    *, registration: Registration, include_cancelled: bool = False
) -> list[Meeting]:
    """The participant's visible meetings in time order (published, or self-scheduled)."""
    statuses = [MeetingStatus.SCHEDULED]
    if include_cancelled:
        statuses += [MeetingStatus.CANCELLED, MeetingStatus.NO_SHOW]
    qs = (
        Meeting.objects.filter(
            bookings__registration=registration,
            status__in=statuses,
            published_at__isnull=False,
            slot__isnull=False,
        )
        .select_related("slot", "table", "event")
        .prefetch_related(
            Prefetch(
                "bookings",
                queryset=MeetingBooking.objects.select_related(
                    "registration__organisation__country", "registration__user"
                ),
            )
        )
        .order_by("slot__starts_at", "pk")
    )
    meetings = list(qs)
    for meeting in meetings:
        meeting.partner = next(  # type: ignore[attr-defined]  # display helper for templates
            (
                b.registration
                for b in meeting.bookings.all()
                if b.registration_id != registration.pk
            ),
            None,
        )
    return meetings


def unscheduled_meetings(*, registration: Registration) -> QuerySet[Meeting]:
    return Meeting.objects.filter(
        bookings__registration=registration, status=MeetingStatus.UNSCHEDULED
    ).prefetch_related("bookings__registration__organisation")


@dataclass
class GridRow:
    slot: Slot
    cells: list[Meeting | None]


@dataclass
class Grid:
    tables: list[Table]
    rows: list[GridRow]
    unscheduled: list[Meeting] = field(default_factory=list)


def event_meetings(*, event: Event) -> QuerySet[Meeting]:
    return (
        Meeting.objects.filter(event=event)
        .select_related("slot", "table")
        .prefetch_related(
            Prefetch(
                "bookings",
                queryset=MeetingBooking.objects.select_related(
                    "registration__organisation__country", "registration__participant_type"
                ).order_by("pk"),
            )
        )
        .order_by("slot__starts_at", "table__position", "pk")
    )


def event_grid(*, event: Event) -> Grid:
    """Slots by tables with the scheduled meeting in each cell; plus the unscheduled meetings."""
    tables = list(event.tables.all())
    column = {t.pk: i for i, t in enumerate(tables)}
    rows = {s.pk: GridRow(slot=s, cells=[None] * len(tables)) for s in event.slots.all()}
    unscheduled = []
    for meeting in event_meetings(event=event):
        if meeting.status == MeetingStatus.SCHEDULED and meeting.slot_id in rows:
            assert meeting.table_id is not None  # noqa: S101  # DB check: scheduled has a table
            rows[meeting.slot_id].cells[column[meeting.table_id]] = meeting
        elif meeting.status == MeetingStatus.UNSCHEDULED:
            unscheduled.append(meeting)
    return Grid(tables=tables, rows=list(rows.values()), unscheduled=unscheduled)


def schedule_run_list(*, event: Event) -> QuerySet[ScheduleRun]:
    return ScheduleRun.objects.filter(event=event).order_by("-created_at", "-pk")


def schedule_run_get(*, event: Event, run_id: int) -> ScheduleRun:
    run = ScheduleRun.objects.filter(event=event, pk=run_id).first()
    if run is None:
        raise NotFound(_("No such optimiser run."))
    return run


def registration_list(*, event: Event, status: str = "") -> QuerySet[Registration]:
    qs = Registration.objects.filter(event=event).select_related(
        "organisation__country", "participant_type", "user"
    )
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("organisation__name", "pk")


# --- export ------------------------------------------------------------------------------

EXPORT_COLUMNS = [
    "meeting_uid",
    "status",
    "date",
    "start",
    "end",
    "table",
    "participant_a",
    "country_a",
    "participant_b",
    "country_b",
    "locked",
    "sequence",
]


def event_export_rows(*, event: Event) -> list[list[str]]:
    """One row per meeting (any status), times in the event's time zone."""
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(event.timezone)
    rows = []
    for meeting in event_meetings(event=event):
        regs = [b.registration for b in meeting.bookings.all()]
        a = regs[0] if regs else None
        b = regs[1] if len(regs) > 1 else None
        start = meeting.slot.starts_at.astimezone(zone) if meeting.slot else None
        end = meeting.slot.ends_at.astimezone(zone) if meeting.slot else None
        rows.append(
            [
                meeting.uid,
                meeting.status,
                start.date().isoformat() if start else "",
                start.strftime("%H:%M") if start else "",
                end.strftime("%H:%M") if end else "",
                meeting.table.name if meeting.table else "",
                a.organisation.name if a else "",
                a.organisation.country_id if a else "",
                b.organisation.name if b else "",
                b.organisation.country_id if b else "",
                "yes" if meeting.locked else "no",
                str(meeting.sequence),
            ]
        )
    return rows


# --- analytics and outcomes ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CountRow:
    key: str
    label: str
    value: int


@dataclass(frozen=True, slots=True)
class EventAnalytics:
    registrations_by_country: list[CountRow]
    registrations_by_type: list[CountRow]
    requests: list[CountRow]
    meetings: list[CountRow]
    outcomes: list[CountRow]
    average_rating: float | None


def event_analytics(*, event: Event) -> EventAnalytics:
    regs = Registration.objects.filter(event=event).exclude(status=RegistrationStatus.CANCELLED)
    by_country = (
        regs.values("organisation__country_id", "organisation__country__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "organisation__country__name")
    )
    by_type = regs.values("participant_type__kind").annotate(n=Count("pk")).order_by("-n")
    request_counts = Counter(
        dict(
            MeetingRequest.objects.filter(event=event)
            .values_list("status")
            .annotate(n=Count("pk"))
            .values_list("status", "n")
        )
    )
    meetings = Meeting.objects.filter(event=event)
    scheduled = meetings.filter(status=MeetingStatus.SCHEDULED).count()
    held = meetings.filter(held_at__isnull=False).count()
    no_show = meetings.filter(status=MeetingStatus.NO_SHOW).count()
    unscheduled = meetings.filter(status=MeetingStatus.UNSCHEDULED).count()
    feedback = Feedback.objects.filter(meeting__event=event)
    outcome_counts = Counter(
        dict(feedback.values_list("outcome").annotate(n=Count("pk")).values_list("outcome", "n"))
    )
    ratings = list(feedback.values_list("rating", flat=True))
    return EventAnalytics(
        registrations_by_country=[
            CountRow(r["organisation__country_id"], r["organisation__country__name"], r["n"])
            for r in by_country
        ],
        registrations_by_type=[
            CountRow(
                r["participant_type__kind"],
                str(ParticipantKind(r["participant_type__kind"]).label),
                r["n"],
            )
            for r in by_type
        ],
        requests=[
            CountRow("sent", _("Sent"), sum(request_counts.values())),
            CountRow("accepted", _("Accepted"), request_counts[RequestStatus.ACCEPTED]),
            CountRow("declined", _("Declined"), request_counts[RequestStatus.DECLINED]),
            CountRow("expired", _("Expired"), request_counts[RequestStatus.EXPIRED]),
            CountRow("pending", _("Pending"), request_counts[RequestStatus.PENDING]),
        ],
        meetings=[
            CountRow("scheduled", _("Scheduled"), scheduled),
            CountRow("unscheduled", _("Not scheduled"), unscheduled),
            CountRow("held", _("Held"), held),
            CountRow("no_show", _("No-show"), no_show),
        ],
        outcomes=[CountRow(o.value, str(o.label), outcome_counts[o.value]) for o in Outcome],
        average_rating=round(sum(ratings) / len(ratings), 2) if ratings else None,
    )


@dataclass(frozen=True, slots=True)
class PartnershipOutcome:
    partnership_id: int
    acronym: str
    meetings_held: int
    agreements: int


def event_outcomes_by_partnership(
    *, event: Event | None = None, include_synthetic: bool = False
) -> list[PartnershipOutcome]:
    """Meetings held and agreements signed, per partnership whose member organisation took part
    (a meeting between two members of the same partnership counts once for it). Agreements are
    meetings where at least one side reported "agreement signed". Synthetic events (scale-test
    data) are left out unless ``include_synthetic``; an explicit ``event`` always counts."""
    meetings = Meeting.objects.filter(held_at__isnull=False)
    if event is not None:
        meetings = meetings.filter(event=event)
    elif not include_synthetic:
        meetings = meetings.filter(event__is_synthetic=False)
    meeting_orgs: dict[int, set[int]] = defaultdict(set)
    for meeting_id, org_id in MeetingBooking.objects.filter(meeting__in=meetings).values_list(
        "meeting_id", "registration__organisation_id"
    ):
        meeting_orgs[meeting_id].add(org_id)
    agreed = set(
        Feedback.objects.filter(meeting__in=meetings, outcome=Outcome.AGREEMENT).values_list(
            "meeting_id", flat=True
        )
    )
    org_partnerships: dict[int, set[int]] = defaultdict(set)
    acronyms: dict[int, str] = {}
    all_orgs = {org for orgs in meeting_orgs.values() for org in orgs}
    for org_id, partnership_id, acronym in Membership.objects.filter(
        organisation_id__in=all_orgs
    ).values_list("organisation_id", "partnership_id", "partnership__acronym"):
        org_partnerships[org_id].add(partnership_id)
        acronyms[partnership_id] = acronym
    held: Counter[int] = Counter()
    agreements: Counter[int] = Counter()
    for meeting_id, orgs in meeting_orgs.items():
        partnerships = set().union(*(org_partnerships[o] for o in orgs))
        for partnership_id in partnerships:
            held[partnership_id] += 1
            if meeting_id in agreed:
                agreements[partnership_id] += 1
    return sorted(
        (
            PartnershipOutcome(
                partnership_id=p,
                acronym=acronyms[p],
                meetings_held=held[p],
                agreements=agreements[p],
            )
            for p in held
        ),
        key=lambda o: (-o.meetings_held, o.acronym),
    )
