"""Pages of the events domain: event list/detail, organiser set-up and management (sessions,
tables, validation, optimiser runs with live progress, grid, publication, export, analytics,
check-in), participant registration, profile and opportunities, directory with suggested
matches, meeting requests, agenda, calendar feed and feedback.

Objects come through events access selectors (404 / 403); writes go through events services,
whose DomainError is shown on the form or as a message.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from escp4i.accounts.models import User
from escp4i.collaboration.selectors import services_for_countries
from escp4i.core.errors import DomainError, NotFound, PermissionDenied
from escp4i.dashboards.selectors import Bar
from escp4i.events import ical, selectors, services
from escp4i.events.models import (
    AgreementKind,
    Event,
    EventSession,
    MeetingStatus,
    Opportunity,
    OpportunityKind,
    Outcome,
    ParticipantKind,
    Registration,
    RegistrationStatus,
    RequestMode,
    RunStatus,
    SchedulingMode,
    Slot,
)
from escp4i.registry.models import ClusterOrganisation, Country, Sector
from escp4i.web import fields
from escp4i.web.charts import bar_chart
from escp4i.web.views._http import fetch, http_error, is_htmx, keyset_paginate

# --- forms ---------------------------------------------------------------------------------

_DT = forms.DateTimeInput(attrs={"type": "datetime-local"})
# ASCII digits only: "²".isdigit() is true but int("²") fails.
_DIGITS = re.compile(r"[0-9]{1,9}")


def tables_value(raw: str) -> int | list[str]:
    """The tables field: a number of tables, or their names separated by commas."""
    value = raw.strip()
    if _DIGITS.fullmatch(value):
        return int(value)
    return [n.strip() for n in value.split(",") if n.strip()]


class EventForm(forms.Form):
    name = forms.CharField(max_length=255, label=gettext_lazy("Name"))
    host_fair = forms.CharField(max_length=255, required=False, label=gettext_lazy("Host fair"))
    city = forms.CharField(max_length=120, label=gettext_lazy("City"))
    country = fields.ModelChoiceField(queryset=Country.objects.all(), label=gettext_lazy("Country"))
    timezone = forms.CharField(
        max_length=64, initial="Europe/Brussels", label=gettext_lazy("Time zone (IANA)")
    )
    start_date = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}), label=gettext_lazy("First day")
    )
    end_date = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}), label=gettext_lazy("Last day")
    )
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label=gettext_lazy("Description")
    )
    focus_countries = fields.ModelMultipleChoiceField(
        queryset=Country.objects.all(), required=False, label=gettext_lazy("Third-country focus")
    )
    sectors = fields.ModelMultipleChoiceField(
        queryset=Sector.objects.all(), required=False, label=gettext_lazy("Sectors")
    )
    tables = forms.CharField(
        initial="10",
        label=gettext_lazy("Tables"),
        help_text=gettext_lazy("A number, or names separated by commas."),
    )
    participant_kinds = forms.MultipleChoiceField(
        choices=ParticipantKind.choices,
        initial=list(ParticipantKind.values),
        widget=forms.CheckboxSelectMultiple,
        label=gettext_lazy("Participant types"),
    )
    participant_caps = forms.CharField(
        required=False,
        label=gettext_lazy("Caps per type"),
        help_text=gettext_lazy("Optional, e.g. “sme=40, third_country=20”."),
    )
    registration_opens_at = forms.DateTimeField(required=False, widget=_DT)
    registration_closes_at = forms.DateTimeField(required=False, widget=_DT)
    booking_opens_at = forms.DateTimeField(required=False, widget=_DT)
    booking_closes_at = forms.DateTimeField(required=False, widget=_DT)
    request_mode = forms.ChoiceField(choices=RequestMode.choices, label=gettext_lazy("Requests"))
    scheduling_mode = forms.ChoiceField(
        choices=SchedulingMode.choices, label=gettext_lazy("Scheduling")
    )
    open_request_cap = forms.IntegerField(
        min_value=1, max_value=1000, initial=10, label=gettext_lazy("Open requests per participant")
    )
    request_expiry_hours = forms.IntegerField(
        min_value=1, max_value=8760, initial=72, label=gettext_lazy("Requests expire after (hours)")
    )
    requires_validation = forms.BooleanField(
        required=False, label=gettext_lazy("Validate participants before they are visible")
    )
    follow_up_delay_days = forms.IntegerField(
        min_value=0,
        max_value=365,
        initial=14,
        label=gettext_lazy("Follow-up reminder after (days)"),
    )

    def clean_tables(self) -> int | list[str]:
        return tables_value(self.cleaned_data["tables"])

    def clean_participant_caps(self) -> dict[str, int]:
        caps: dict[str, int] = {}
        for part in self.cleaned_data["participant_caps"].split(","):
            if not part.strip():
                continue
            kind, _sep, number = part.partition("=")
            if kind.strip() not in ParticipantKind.values or not _DIGITS.fullmatch(number.strip()):
                raise ValidationError(_("Write caps as kind=number, separated by commas."))
            caps[kind.strip()] = int(number)
        return caps


class SessionForm(forms.Form):
    name = forms.CharField(max_length=120, required=False, label=gettext_lazy("Name"))
    date = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}), label=gettext_lazy("Day")
    )
    start_time = forms.TimeField(
        widget=forms.TimeInput(attrs={"type": "time"}), label=gettext_lazy("Starts")
    )
    end_time = forms.TimeField(
        widget=forms.TimeInput(attrs={"type": "time"}), label=gettext_lazy("Ends")
    )
    slot_minutes = forms.IntegerField(
        min_value=5, max_value=240, initial=30, label=gettext_lazy("Slot length (minutes)")
    )
    breaks = forms.CharField(
        required=False,
        label=gettext_lazy("Breaks"),
        help_text=gettext_lazy("e.g. “10:30-11:00, 12:30-13:30”"),
    )

    def clean_breaks(self) -> list[list[str]]:
        out = []
        for part in self.cleaned_data["breaks"].split(","):
            if not part.strip():
                continue
            start, _sep, end = part.strip().partition("-")
            if not start or not end:
                raise ValidationError(_("Write breaks as HH:MM-HH:MM."))
            out.append([start.strip(), end.strip()])
        return out


class RegistrationForm(forms.Form):
    organisation = fields.ModelChoiceField(
        queryset=ClusterOrganisation.objects.select_related("country").order_by("name"),
        required=False,
        label=gettext_lazy("Organisation (from the registry)"),
    )
    new_organisation_name = forms.CharField(
        max_length=255, required=False, label=gettext_lazy("…or a new organisation: name")
    )
    new_organisation_country = fields.ModelChoiceField(
        queryset=Country.objects.all(),
        required=False,
        label=gettext_lazy("New organisation: country"),
    )
    participant_kind = forms.ChoiceField(label=gettext_lazy("I register as"))
    sessions = fields.ModelMultipleChoiceField(
        queryset=EventSession.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=gettext_lazy("Sessions I attend (none ticked = all)"),
    )
    unavailable_slots = fields.ModelMultipleChoiceField(
        queryset=Slot.objects.none(),
        required=False,
        label=gettext_lazy("Slots when I am not available"),
    )
    max_meetings = forms.IntegerField(
        min_value=1, max_value=100, initial=10, label=gettext_lazy("Maximum meetings")
    )
    profile = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), required=False, label=gettext_lazy("Profile")
    )

    def __init__(self, *args: Any, event: Event, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sessions"].queryset = event.sessions.all()  # type: ignore[attr-defined]
        self.fields["unavailable_slots"].queryset = event.slots.all()  # type: ignore[attr-defined]
        self.fields["participant_kind"].choices = [  # type: ignore[attr-defined]  # a ChoiceField
            (t.kind, t.get_kind_display()) for t in event.participant_types.all()
        ]
        if editing:
            for name in (
                "organisation",
                "new_organisation_name",
                "new_organisation_country",
                "participant_kind",
            ):
                del self.fields[name]


class OpportunityForm(forms.Form):
    kind = forms.ChoiceField(choices=OpportunityKind.choices, label=gettext_lazy("Kind"))
    title = forms.CharField(max_length=200, label=gettext_lazy("Title"))
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label=gettext_lazy("Description")
    )
    sectors = fields.ModelMultipleChoiceField(
        queryset=Sector.objects.all(), required=False, label=gettext_lazy("Sectors")
    )
    countries = fields.ModelMultipleChoiceField(
        queryset=Country.objects.all(), required=False, label=gettext_lazy("Target countries")
    )


class RequestForm(forms.Form):
    message = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label=gettext_lazy("Message")
    )
    priority = forms.TypedChoiceField(
        choices=[
            (1, gettext_lazy("Nice to have")),
            (2, gettext_lazy("Important")),
            (3, gettext_lazy("Must meet")),
        ],
        coerce=int,
        initial=2,
        label=gettext_lazy("Priority"),
    )


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        choices=[(i, str(i)) for i in range(5, 0, -1)], coerce=int, label=gettext_lazy("Rating")
    )
    outcome = forms.ChoiceField(choices=Outcome.choices, label=gettext_lazy("Outcome"))
    agreement_kind = forms.ChoiceField(
        choices=[("", "—"), *AgreementKind.choices],
        required=False,
        label=gettext_lazy("Agreement kind"),
    )
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label=gettext_lazy("Comment")
    )


class DirectoryFilters(forms.Form):
    q = forms.CharField(required=False, label=gettext_lazy("Text"))
    kind = forms.ChoiceField(
        choices=[("", gettext_lazy("Any type")), *ParticipantKind.choices],
        required=False,
        label=gettext_lazy("Type"),
    )
    country = fields.ModelChoiceField(
        queryset=Country.objects.filter(
            organisations__event_registrations__isnull=False
        ).distinct(),
        required=False,
        label=gettext_lazy("Country"),
    )
    sector = fields.ModelChoiceField(
        queryset=Sector.objects.all(),
        to_field_name="slug",
        required=False,
        label=gettext_lazy("Sector"),
    )
    opportunity = forms.ChoiceField(
        choices=[("", gettext_lazy("Any opportunity")), *OpportunityKind.choices],
        required=False,
        label=gettext_lazy("Opportunity kind"),
    )


# --- helpers -------------------------------------------------------------------------------


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101  # behind login_required
    return user


def _event(slug: str) -> Event:
    return fetch(selectors.event_get, slug=slug)


def _managed(request: HttpRequest, slug: str) -> Event:
    return fetch(selectors.access_event_for_manage, actor=request.user, slug=slug)


def _own(request: HttpRequest, event: Event) -> Registration:
    return fetch(selectors.access_own_registration, actor=request.user, event=event)


def _report(request: HttpRequest, exc: DomainError) -> None:
    if isinstance(exc, (NotFound, PermissionDenied)):
        raise http_error(exc) from exc
    messages.error(request, exc.message)


# --- public and participant pages -----------------------------------------------------------


@require_safe
def event_list(request: HttpRequest) -> HttpResponse:
    page, count = keyset_paginate(request, selectors.event_list())
    return render(
        request,
        "events/event_list.html",
        {
            "page": page,
            "count": count,
            "can_create": request.user.is_authenticated and _can_create(request.user),
        },
    )


def _can_create(user: Any) -> bool:
    from escp4i.accounts.models import Role
    from escp4i.accounts.selectors import user_has_role, user_is_officer

    return user_is_officer(user) or user_has_role(user, Role.EVENT_ORGANISER)


@login_required
@require_http_methods(["GET", "POST"])
def event_create(request: HttpRequest) -> HttpResponse:
    if not _can_create(request.user):
        raise Http404(_("Only event organisers can create events."))
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        caps: dict[str, int | None] = dict.fromkeys(data["participant_kinds"], None)
        caps.update({k: v for k, v in data["participant_caps"].items() if k in caps})
        try:
            event = services.event_create(
                actor=_user(request),
                name=data["name"],
                host_fair=data["host_fair"],
                city=data["city"],
                country=data["country"],
                timezone_name=data["timezone"],
                start_date=data["start_date"],
                end_date=data["end_date"],
                description=data["description"],
                focus_countries=data["focus_countries"],
                sectors=data["sectors"],
                tables=data["tables"],
                participant_caps=caps,
                registration_opens_at=data["registration_opens_at"],
                registration_closes_at=data["registration_closes_at"],
                booking_opens_at=data["booking_opens_at"],
                booking_closes_at=data["booking_closes_at"],
                request_mode=data["request_mode"],
                scheduling_mode=data["scheduling_mode"],
                open_request_cap=data["open_request_cap"],
                request_expiry_hours=data["request_expiry_hours"],
                requires_validation=data["requires_validation"],
                follow_up_delay_days=data["follow_up_delay_days"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Event created. Now add its sessions."))
            return redirect("events:event-manage", slug=event.slug)
    return render(request, "events/event_form.html", {"form": form})


@require_safe
def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(slug)
    return render(
        request,
        "events/event_detail.html",
        {
            "event": event,
            "sessions": event.sessions.all(),
            "participant_types": event.participant_types.all(),
            "registration": selectors.registration_of(actor=request.user, event=event),
            "can_manage": selectors.event_can_manage(actor=request.user, event=event),
            "participant_count": event.registrations.filter(
                status=RegistrationStatus.APPROVED
            ).count(),
            "synthetic_count": event.registrations.filter(
                status=RegistrationStatus.APPROVED, is_synthetic=True
            ).count(),
            "published_meetings": event.meetings.filter(
                status=MeetingStatus.SCHEDULED, published_at__isnull=False
            ).count(),
            "facts": [
                (_FACT_LABELS.get(k, k.replace("_", " ")), v) for k, v in event.facts.items()
            ],
            "services": services_for_countries(
                codes=list(event.focus_countries.values_list("code", flat=True))
            ),
        },
    )


_FACT_LABELS = {
    "organisers": gettext_lazy("Organisers"),
    "eu_participants": gettext_lazy("EU participants"),
    "third_country_participants": gettext_lazy("Third-country participants"),
    "meetings": gettext_lazy("Meetings"),
    "other_figures": gettext_lazy("Other figures"),
}


@login_required
@require_http_methods(["GET", "POST"])
def registration_create(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(slug)
    if selectors.registration_of(actor=request.user, event=event) is not None:
        return redirect("events:registration-edit", slug=slug)
    user = _user(request)
    form = RegistrationForm(
        request.POST or None, event=event, initial={"organisation": user.organisation_id}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.registration_create(
                event=event,
                user=user,
                participant_kind=data["participant_kind"],
                organisation=data["organisation"],
                new_organisation_name=data["new_organisation_name"],
                new_organisation_country=data["new_organisation_country"],
                sessions=data["sessions"],
                unavailable_slots=data["unavailable_slots"],
                max_meetings=data["max_meetings"],
                profile=data["profile"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("You are registered. Add your cooperation opportunities."))
            return redirect("events:registration-edit", slug=slug)
    return render(request, "events/registration_form.html", {"event": event, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def registration_edit(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(slug)
    registration = _own(request, event)
    initial = {
        "profile": registration.profile,
        "max_meetings": registration.max_meetings,
        "sessions": list(registration.sessions.all()),
        "unavailable_slots": list(registration.unavailable_slots.all()),
    }
    form = RegistrationForm(None, event=event, editing=True, initial=initial)
    opportunity_form = OpportunityForm()
    if request.method == "POST":
        try:
            if request.POST.get("form") == "opportunity":
                opportunity_form = OpportunityForm(request.POST)
                if opportunity_form.is_valid():
                    services.opportunity_add(
                        registration=registration,
                        actor=_user(request),
                        **opportunity_form.cleaned_data,
                    )
                    messages.success(request, _("Opportunity added."))
                    return redirect("events:registration-edit", slug=slug)
            elif request.POST.get("form") == "opportunity-delete":
                chosen = request.POST.get("opportunity", "")
                opportunity = (
                    registration.opportunities.filter(pk=int(chosen)).first()
                    if _DIGITS.fullmatch(chosen)
                    else None
                )
                if opportunity is not None:
                    services.opportunity_delete(opportunity=opportunity, actor=_user(request))
                return redirect("events:registration-edit", slug=slug)
            else:
                form = RegistrationForm(request.POST, event=event, editing=True)
                if form.is_valid():
                    services.registration_update(
                        registration=registration, actor=_user(request), **form.cleaned_data
                    )
                    messages.success(request, _("Profile saved."))
                    return redirect("events:registration-edit", slug=slug)
        except DomainError as exc:
            _report(request, exc)
    return render(
        request,
        "events/registration_edit.html",
        {
            "event": event,
            "registration": registration,
            "form": form,
            "opportunity_form": opportunity_form,
            "opportunities": Opportunity.objects.filter(registration=registration).prefetch_related(
                "sectors", "countries"
            ),
        },
    )


@login_required
@require_safe
def participant_list(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(slug)
    mine = selectors.registration_of(actor=request.user, event=event)
    filters = DirectoryFilters(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    participants = selectors.participant_directory(
        event=event,
        kind=data.get("kind") or "",
        country=data["country"].code if data.get("country") else "",
        sector=data["sector"].slug if data.get("sector") else "",
        opportunity_kind=data.get("opportunity") or "",
        text=data.get("q") or "",
        exclude=mine,
    )
    rows = [
        (
            p,
            selectors.participant_contact(
                viewer=request.user, event=event, registration=p, viewer_registration=mine
            ),
        )
        for p in participants
    ]
    context = {
        "event": event,
        "filters": filters,
        "rows": rows,
        "show_contacts": any(contact for _p, contact in rows),
        "registration": mine,
        "suggestions": (
            selectors.participant_recommendations(registration=mine)
            if mine is not None and mine.status == RegistrationStatus.APPROVED
            else []
        ),
    }
    if is_htmx(request):
        return render(request, "events/_participant_results.html", context)
    return render(request, "events/participant_list.html", context)


@login_required
@require_safe
def participant_detail(request: HttpRequest, slug: str, registration_id: int) -> HttpResponse:
    event = _event(slug)
    other = fetch(
        selectors.access_participant,
        actor=request.user,
        event=event,
        registration_id=registration_id,
    )
    mine = selectors.registration_of(actor=request.user, event=event)
    obstacle = None
    match = None
    if mine is None:
        obstacle = _("Register for the event to request meetings.")
    elif mine.pk != other.pk:
        obstacle = selectors.meeting_request_obstacle(requester=mine, recipient=other)
        if mine.status == RegistrationStatus.APPROVED:
            match = selectors.participant_match(registration=mine, other=other)
    return render(
        request,
        "events/participant_detail.html",
        {
            "event": event,
            "other": other,
            "registration": mine,
            "obstacle": obstacle,
            "match": match,
            "contact": selectors.participant_contact(
                viewer=request.user, event=event, registration=other, viewer_registration=mine
            ),
            "form": RequestForm(),
        },
    )


@login_required
@require_POST
def request_create(request: HttpRequest, slug: str, registration_id: int) -> HttpResponse:
    event = _event(slug)
    mine = _own(request, event)
    other = fetch(
        selectors.access_participant,
        actor=request.user,
        event=event,
        registration_id=registration_id,
    )
    form = RequestForm(request.POST)
    if form.is_valid():
        try:
            services.meeting_request_send(
                requester=mine, recipient=other, actor=_user(request), **form.cleaned_data
            )
        except DomainError as exc:
            _report(request, exc)
            return redirect("events:participant-detail", slug=slug, registration_id=other.pk)
        messages.success(request, _("Request sent to %(org)s.") % {"org": other.organisation.name})
    return redirect("events:request-list", slug=slug)


@login_required
@require_safe
def request_list(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(slug)
    mine = _own(request, event)
    return render(
        request,
        "events/request_list.html",
        {"event": event, "registration": mine, **selectors.request_list(registration=mine)},
    )


@login_required
@require_POST
def request_action(request: HttpRequest, request_id: int, action: str) -> HttpResponse:
    meeting_request = fetch(selectors.access_request, actor=request.user, request_id=request_id)
    user = _user(request)
    try:
        if action == "accept":
            services.meeting_request_accept(request=meeting_request, actor=user)
            messages.success(request, _("Request accepted."))
        elif action == "decline":
            services.meeting_request_decline(
                request=meeting_request, actor=user, reason=request.POST.get("reason", "")
            )
            messages.success(request, _("Request declined."))
        elif action == "cancel":
            services.meeting_request_cancel(request=meeting_request, actor=user)
            messages.success(request, _("Request withdrawn."))
        else:
            raise Http404
    except DomainError as exc:
        _report(request, exc)
    return redirect("events:request-list", slug=meeting_request.event.slug)


@login_required
@require_safe
def agenda(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(slug)
    mine = _own(request, event)
    return render(
        request,
        "events/agenda.html",
        {
            "event": event,
            "registration": mine,
            "meetings": selectors.agenda_meetings(registration=mine),
            "waiting": selectors.unscheduled_meetings(registration=mine),
            "feed_url": request.build_absolute_uri(f"/events/calendar/{mine.ical_token}.ics"),
        },
    )


@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    registration = fetch(selectors.registration_by_token, token=token)
    response = HttpResponse(
        ical.registration_calendar(registration=registration),
        content_type="text/calendar; charset=utf-8; method=PUBLISH",
    )
    response["Content-Disposition"] = f'attachment; filename="{registration.event.slug}.ics"'
    response["Cache-Control"] = "private, no-cache"
    return response


@login_required
@require_POST
def meeting_action(request: HttpRequest, meeting_id: int, action: str) -> HttpResponse:
    meeting = fetch(selectors.access_meeting, actor=request.user, meeting_id=meeting_id)
    user = _user(request)
    try:
        if action == "cancel":
            services.meeting_cancel(meeting=meeting, actor=user)
            messages.success(request, _("Meeting cancelled."))
        elif action in ("lock", "unlock"):
            services.meeting_lock(meeting=meeting, actor=user, locked=action == "lock")
        elif action == "no-show":
            services.meeting_mark_no_show(meeting=meeting, actor=user)
            messages.success(request, _("No-show recorded; the slot is free for walk-ins."))
        elif action == "held":
            services.meeting_mark_held(meeting=meeting, actor=user)
        else:
            raise Http404
    except DomainError as exc:
        _report(request, exc)
    target = request.POST.get("next", "")
    # Only back to a page of this site ("/\\evil.example" is another site for browsers).
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("events:agenda", slug=meeting.event.slug)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_feedback(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = fetch(selectors.access_meeting, actor=request.user, meeting_id=meeting_id)
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.feedback_submit(meeting=meeting, actor=_user(request), **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Thank you for your feedback."))
            return redirect("events:agenda", slug=meeting.event.slug)
    return render(
        request,
        "events/feedback_form.html",
        {"meeting": meeting, "event": meeting.event, "form": form},
    )


# --- organiser pages -----------------------------------------------------------------------


@login_required
@require_safe
def event_manage(request: HttpRequest, slug: str) -> HttpResponse:
    event = _managed(request, slug)
    return render(
        request,
        "events/event_manage.html",
        {
            "event": event,
            "sessions": event.sessions.prefetch_related("slots"),
            "tables": event.tables.all(),
            "participant_types": event.participant_types.all(),
            "registrations": selectors.registration_list(event=event),
            "runs": selectors.schedule_run_list(event=event)[:5],
            "session_form": SessionForm(initial={"date": event.start_date}),
            "unscheduled_count": event.meetings.filter(status="unscheduled").count(),
            "scheduled_count": event.meetings.filter(status="scheduled").count(),
        },
    )


@login_required
@require_POST
def session_add(request: HttpRequest, slug: str) -> HttpResponse:
    event = _managed(request, slug)
    form = SessionForm(request.POST)
    if form.is_valid():
        try:
            services.event_session_add(event=event, actor=_user(request), **form.cleaned_data)
            messages.success(request, _("Session added."))
        except (DomainError, ValidationError) as exc:
            messages.error(request, getattr(exc, "message", None) or "; ".join(exc.messages))  # type: ignore[union-attr]
    else:
        messages.error(
            request, _("Session not added: %(errors)s") % {"errors": form.errors.as_text()}
        )
    return redirect("events:event-manage", slug=slug)


@login_required
@require_POST
def tables_set(request: HttpRequest, slug: str) -> HttpResponse:
    event = _managed(request, slug)
    tables = tables_value(request.POST.get("tables", ""))
    try:
        services.event_tables_set(event=event, actor=_user(request), tables=tables)
        messages.success(request, _("Tables saved."))
    except DomainError as exc:
        _report(request, exc)
    return redirect("events:event-manage", slug=slug)


@login_required
@require_POST
def registration_action(
    request: HttpRequest, slug: str, registration_id: int, action: str
) -> HttpResponse:
    event = _managed(request, slug)
    registration = Registration.objects.filter(event=event, pk=registration_id).first()
    if registration is None:
        raise Http404
    try:
        if action in ("approve", "reject"):
            services.registration_validate(
                registration=registration, actor=_user(request), approve=action == "approve"
            )
        elif action == "check-in":
            services.registration_check_in(registration=registration, actor=_user(request))
        else:
            raise Http404
    except DomainError as exc:
        _report(request, exc)
    return redirect("events:event-manage", slug=slug)


@login_required
@require_POST
def run_start(request: HttpRequest, slug: str) -> HttpResponse:
    event = _managed(request, slug)
    try:
        run = services.schedule_run_start(
            event=event,
            actor=_user(request),
            allow_moving_published=request.POST.get("allow_moving_published") == "on",
        )
    except DomainError as exc:
        _report(request, exc)
        return redirect("events:event-manage", slug=slug)
    return redirect("events:run-detail", slug=slug, run_id=run.pk)


@login_required
@require_safe
def run_detail(request: HttpRequest, slug: str, run_id: int) -> HttpResponse:
    event = _managed(request, slug)
    run = fetch(selectors.schedule_run_get, event=event, run_id=run_id)
    context = {
        "event": event,
        "run": run,
        "finished": run.status in (RunStatus.SUCCEEDED, RunStatus.FAILED),
    }
    if is_htmx(request):
        return render(request, "events/_run_status.html", context)
    return render(request, "events/run_detail.html", context)


@login_required
@require_POST
def schedule_publish(request: HttpRequest, slug: str) -> HttpResponse:
    event = _managed(request, slug)
    try:
        count = services.event_schedule_publish(event=event, actor=_user(request))
        messages.success(
            request, _("Schedule published: %(n)d meetings are in the agendas.") % {"n": count}
        )
    except DomainError as exc:
        _report(request, exc)
    return redirect("events:grid", slug=slug)


@login_required
@require_safe
def grid(request: HttpRequest, slug: str) -> HttpResponse:
    event = _managed(request, slug)
    return render(
        request,
        "events/grid.html",
        {"event": event, "grid": selectors.event_grid(event=event)},
    )


@login_required
@require_safe
def export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    event = _managed(request, slug)
    rows = selectors.event_export_rows(event=event)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(selectors.EXPORT_COLUMNS)
        writer.writerows(rows)
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        assert sheet is not None  # noqa: S101  # a new workbook has one sheet
        sheet.title = "meetings"
        sheet.append(selectors.EXPORT_COLUMNS)
        for row in rows:
            sheet.append(row)
        out = io.BytesIO()
        workbook.save(out)
        response = HttpResponse(
            out.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{event.slug}-meetings.{fmt}"'
    return response


def _chart(chart_id: str, title: str, rows: list[selectors.CountRow]) -> Any:
    return bar_chart(
        chart_id=chart_id,
        title=title,
        description=title,
        bars=[Bar(key=r.key, label=r.label, value=r.value) for r in rows],
    )


@login_required
@require_safe
def analytics(request: HttpRequest, slug: str) -> HttpResponse:
    event = _managed(request, slug)
    data = selectors.event_analytics(event=event)
    charts = [
        _chart("by-country", _("Registrations by country"), data.registrations_by_country),
        _chart("by-type", _("Registrations by type"), data.registrations_by_type),
        _chart("requests", _("Meeting requests"), data.requests),
        _chart("meetings", _("Meetings"), data.meetings),
        _chart("outcomes", _("Outcomes (feedback)"), data.outcomes),
    ]
    return render(
        request,
        "events/analytics.html",
        {
            "event": event,
            "analytics": data,
            "charts": charts,
            "partnerships": selectors.event_outcomes_by_partnership(event=event),
        },
    )
