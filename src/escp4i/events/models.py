"""Matchmaking events: set-up (sessions, slots, tables, participant types), registrations and
cooperation opportunities, meeting requests, meetings with their per-participant bookings,
optimiser runs and post-meeting feedback.

Double bookings are impossible at the database level: a participant holds at most one
``MeetingBooking`` per slot and a table hosts at most one scheduled ``Meeting`` per slot
(partial unique constraints, so cancelled meetings keep their old time for the calendar feed).
"""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from escp4i.core.models import BaseModel
from escp4i.registry.models import ClusterOrganisation, Country, Sector


class RequestMode(models.TextChoices):
    OPT_IN = "opt_in", _("Opt-in (the recipient accepts or declines)")
    AUTO_ACCEPT = "auto_accept", _("Auto-accept (every valid request becomes a meeting)")


class SchedulingMode(models.TextChoices):
    SELF = "self", _("Participants self-schedule (earliest common free slot at acceptance)")
    OPTIMISER = "optimiser", _("The organiser runs the optimiser")


class ParticipantKind(models.TextChoices):
    EU_CLUSTER = "eu_cluster", _("EU cluster organisation")
    SME = "sme", _("SME")
    THIRD_COUNTRY = "third_country", _("Third-country organisation")
    SUPPORT_SERVICE = "support_service", _("Support service")
    OTHER = "other", _("Other")


class RegistrationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for validation")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


class OpportunityKind(models.TextChoices):
    """The Enterprise Europe Network profile kinds."""

    BUSINESS_OFFER = "business_offer", _("Business offer")
    BUSINESS_REQUEST = "business_request", _("Business request")
    TECHNOLOGY_OFFER = "technology_offer", _("Technology offer")
    TECHNOLOGY_REQUEST = "technology_request", _("Technology request")
    RD_REQUEST = "rd_request", _("R&D request")


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("Expired")
    CANCELLED = "cancelled", _("Cancelled")


class MeetingStatus(models.TextChoices):
    UNSCHEDULED = "unscheduled", _("Accepted, not scheduled yet")
    SCHEDULED = "scheduled", _("Scheduled")
    CANCELLED = "cancelled", _("Cancelled")
    NO_SHOW = "no_show", _("No-show")


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Finished")
    FAILED = "failed", _("Failed")


class Outcome(models.TextChoices):
    NONE = "none", _("No follow-up")
    FOLLOW_UP = "follow_up", _("Follow-up planned")
    AGREEMENT = "agreement", _("Agreement signed")


class AgreementKind(models.TextChoices):
    """The Enterprise Europe Network partnership-agreement kinds."""

    COMMERCIAL_AGENCY = "commercial_agency", _("Commercial agency agreement")
    DISTRIBUTION = "distribution", _("Distribution services agreement")
    MANUFACTURING = "manufacturing", _("Manufacturing agreement")
    RESEARCH = "research", _("Research cooperation agreement")
    TECHNICAL = "technical", _("Technical cooperation agreement")
    JOINT_VENTURE = "joint_venture", _("Joint venture agreement")
    LICENSE = "license", _("License agreement")
    FINANCIAL = "financial", _("Financial agreement")
    OUTSOURCING = "outsourcing", _("Outsourcing / subcontracting agreement")
    SERVICES = "services", _("Services agreement")
    SUPPLIER = "supplier", _("Supplier agreement")
    OTHER = "other", _("Other agreement")


def _new_token() -> str:
    return secrets.token_urlsafe(24)


def _new_uid() -> str:
    return uuid.uuid4().hex


class Event(BaseModel):
    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=255)
    host_fair = models.CharField(_("host fair or context"), max_length=255, blank=True)
    city = models.CharField(_("city"), max_length=120)
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="hosted_events", verbose_name=_("country")
    )
    timezone = models.CharField(_("time zone"), max_length=64, default="Europe/Brussels")
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    description = models.TextField(_("description"), blank=True)
    focus_countries = models.ManyToManyField(
        Country, related_name="focus_events", blank=True, verbose_name=_("third-country focus")
    )
    sectors = models.ManyToManyField(Sector, related_name="events", blank=True)
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="organised_events"
    )
    registration_opens_at = models.DateTimeField(null=True, blank=True)
    registration_closes_at = models.DateTimeField(null=True, blank=True)
    booking_opens_at = models.DateTimeField(null=True, blank=True)
    booking_closes_at = models.DateTimeField(null=True, blank=True)
    request_mode = models.CharField(
        max_length=16, choices=RequestMode.choices, default=RequestMode.OPT_IN
    )
    scheduling_mode = models.CharField(
        max_length=16, choices=SchedulingMode.choices, default=SchedulingMode.SELF
    )
    open_request_cap = models.PositiveSmallIntegerField(
        _("open requests per participant"), default=10
    )
    request_expiry_hours = models.PositiveIntegerField(_("request expiry (hours)"), default=72)
    requires_validation = models.BooleanField(
        _("organiser validates participants before they are visible"), default=False
    )
    follow_up_delay_days = models.PositiveSmallIntegerField(
        _("follow-up reminder after (days)"), default=14
    )
    schedule_published_at = models.DateTimeField(null=True, blank=True)
    allow_moving_published = models.BooleanField(
        _("re-runs may move published meetings"), default=False
    )
    source_urls = models.JSONField(_("sources"), default=list, blank=True)
    facts = models.JSONField(
        _("reported facts"), default=dict, blank=True, help_text=_("Figures as the sources state")
    )
    is_synthetic = models.BooleanField(_("synthetic"), default=False)

    class Meta:
        ordering = ["-start_date", "name"]
        verbose_name = _("matchmaking event")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="event_dates_ordered"
            )
        ]

    def __str__(self) -> str:
        return self.name


class EventSession(models.Model):
    """A block of consecutive slots on one day, with optional breaks (``[["10:30", "11:00"]]``)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    name = models.CharField(_("name"), max_length=120)
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start"))
    end_time = models.TimeField(_("end"))
    slot_minutes = models.PositiveSmallIntegerField(_("slot length (minutes)"), default=30)
    breaks = models.JSONField(_("breaks"), default=list, blank=True)

    class Meta:
        ordering = ["date", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")), name="session_times_ordered"
            ),
            models.CheckConstraint(condition=Q(slot_minutes__gte=5), name="session_slot_min"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.date})"


class Slot(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="slots")
    session = models.ForeignKey(EventSession, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    index = models.PositiveIntegerField(help_text=_("Position in the whole event, from 0."))

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["event", "starts_at"], name="slot_event_start_uniq"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="slot_ordered"),
        ]

    def __str__(self) -> str:
        return self.starts_at.isoformat()


class Table(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="tables")
    name = models.CharField(_("name"), max_length=80)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["event", "name"], name="table_event_name_uniq")
        ]

    def __str__(self) -> str:
        return self.name


class ParticipantType(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="participant_types")
    kind = models.CharField(max_length=24, choices=ParticipantKind.choices)
    cap = models.PositiveIntegerField(_("maximum registrations"), null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "kind"], name="participant_type_uniq")
        ]

    def __str__(self) -> str:
        return str(ParticipantKind(self.kind).label)


class Registration(BaseModel):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_registrations"
    )
    organisation = models.ForeignKey(
        ClusterOrganisation, on_delete=models.PROTECT, related_name="event_registrations"
    )
    participant_type = models.ForeignKey(
        ParticipantType, on_delete=models.PROTECT, related_name="registrations"
    )
    status = models.CharField(
        max_length=16, choices=RegistrationStatus.choices, default=RegistrationStatus.PENDING
    )
    profile = models.TextField(_("profile"), blank=True)
    max_meetings = models.PositiveSmallIntegerField(_("maximum meetings"), default=10)
    sessions = models.ManyToManyField(EventSession, related_name="registrations", blank=True)
    unavailable_slots = models.ManyToManyField(Slot, related_name="unavailable_for", blank=True)
    ical_token = models.CharField(max_length=64, unique=True, default=_new_token)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    is_synthetic = models.BooleanField(_("synthetic"), default=False)

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="registration_event_user_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} @ {self.event_id}"


class Opportunity(BaseModel):
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="opportunities"
    )
    kind = models.CharField(max_length=24, choices=OpportunityKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    sectors = models.ManyToManyField(Sector, related_name="event_opportunities", blank=True)
    countries = models.ManyToManyField(
        Country, related_name="event_opportunities", blank=True, verbose_name=_("target countries")
    )

    class Meta:
        ordering = ["pk"]
        verbose_name_plural = _("opportunities")

    def __str__(self) -> str:
        return self.title


class MeetingRequest(BaseModel):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="requests")
    requester = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="requests_sent"
    )
    recipient = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="requests_received"
    )
    message = models.TextField(_("message"), blank=True)
    priority = models.PositiveSmallIntegerField(
        _("priority"), default=2, help_text=_("1 = nice to have, 3 = must meet")
    )
    status = models.CharField(
        max_length=16, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    expires_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(requester=F("recipient")), name="request_not_self"),
            models.CheckConstraint(
                condition=Q(priority__gte=1, priority__lte=3), name="request_priority_range"
            ),
            models.UniqueConstraint(
                fields=["requester", "recipient"],
                condition=Q(status__in=["pending", "accepted"]),
                name="request_open_pair_uniq",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.requester_id} → {self.recipient_id} ({self.status})"


class Meeting(BaseModel):
    """A meeting between two registrations. ``uid`` never changes (iCalendar UID); ``sequence``
    grows on every change a participant's calendar must see."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="meetings")
    request = models.OneToOneField(
        MeetingRequest, on_delete=models.SET_NULL, null=True, blank=True, related_name="meeting"
    )
    participants = models.ManyToManyField(
        Registration, through="MeetingBooking", related_name="meetings"
    )
    slot = models.ForeignKey(
        Slot, on_delete=models.PROTECT, null=True, blank=True, related_name="meetings"
    )
    table = models.ForeignKey(
        Table, on_delete=models.PROTECT, null=True, blank=True, related_name="meetings"
    )
    status = models.CharField(
        max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.UNSCHEDULED
    )
    unscheduled_reason = models.CharField(max_length=255, blank=True)
    locked = models.BooleanField(_("locked by the organiser"), default=False)
    published_at = models.DateTimeField(null=True, blank=True)
    uid = models.CharField(max_length=64, unique=True, default=_new_uid)
    sequence = models.PositiveIntegerField(default=0)
    held_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["slot__starts_at", "table__position", "pk"]
        constraints = [
            # No table hosts two meetings in the same slot.
            models.UniqueConstraint(
                fields=["slot", "table"],
                condition=Q(status="scheduled"),
                name="meeting_slot_table_uniq",
            ),
            models.CheckConstraint(
                condition=~Q(status="scheduled") | Q(slot__isnull=False, table__isnull=False),
                name="meeting_scheduled_has_place",
            ),
        ]

    def __str__(self) -> str:
        return f"meeting {self.pk} ({self.status})"


class MeetingBooking(models.Model):
    """One participant's seat in a meeting. ``slot`` mirrors the meeting's slot while the meeting
    is scheduled (NULL otherwise), so the unique constraint forbids double-booking a participant."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="bookings")
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="bookings"
    )
    slot = models.ForeignKey(
        Slot, on_delete=models.PROTECT, null=True, blank=True, related_name="bookings"
    )
    follow_up_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "registration"], name="booking_meeting_registration_uniq"
            ),
            # No participant in two meetings in the same slot.
            models.UniqueConstraint(
                fields=["slot", "registration"],
                condition=Q(slot__isnull=False),
                name="booking_slot_registration_uniq",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.registration_id} in {self.meeting_id}"


class ScheduleRun(BaseModel):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="schedule_runs")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    status = models.CharField(max_length=16, choices=RunStatus.choices, default=RunStatus.QUEUED)
    allow_moving_published = models.BooleanField(default=False)
    auto_publish = models.BooleanField(default=False)
    progress = models.JSONField(default=list, blank=True)
    best_objective = models.FloatField(null=True, blank=True)
    bound = models.FloatField(null=True, blank=True)
    solver_status = models.CharField(max_length=32, blank=True)
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"run {self.pk} ({self.status})"

    @property
    def solver_status_text(self) -> str:
        """The solver's verdict in words (``solver_status`` plus what the schedule relaxes)."""
        relaxed = "fairness" in (self.result or {}).get("relaxed", [])
        if self.solver_status == "infeasible" and relaxed:
            return str(_("no schedule meets the fairness bound: the best one without it"))
        if self.solver_status == "unknown" and relaxed:
            return str(_("fairness bound relaxed: no schedule meeting it found in time"))
        texts = {
            "optimal": _("proven optimal"),
            "feasible": _("feasible, optimality not proven"),
            "infeasible": _("infeasible"),
            "unknown": _("no schedule found in time"),
        }
        return str(texts.get(self.solver_status, self.solver_status))

    @property
    def gap(self) -> float | None:
        if self.best_objective is None or self.bound is None:
            return None
        if self.bound == 0:
            return 0.0
        return abs(self.bound - self.best_objective) / abs(self.bound)


class Feedback(BaseModel):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="feedback")
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="feedback"
    )
    rating = models.PositiveSmallIntegerField(_("rating (1-5)"))
    outcome = models.CharField(max_length=16, choices=Outcome.choices, default=Outcome.NONE)
    agreement_kind = models.CharField(max_length=24, choices=AgreementKind.choices, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "registration"], name="feedback_meeting_registration_uniq"
            ),
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5), name="feedback_rating_range"
            ),
            models.CheckConstraint(
                condition=~Q(outcome="agreement") | ~Q(agreement_kind=""),
                name="feedback_agreement_has_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"feedback {self.meeting_id}/{self.registration_id}"
