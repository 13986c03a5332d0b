from django.contrib import admin

from escp4i.accounts.admin_site import OfficerOnlyAdmin, OfficerOnlyInline
from escp4i.events.models import (
    Event,
    EventSession,
    Meeting,
    MeetingBooking,
    MeetingRequest,
    ParticipantType,
    Registration,
    ScheduleRun,
    Table,
)


class SessionInline(OfficerOnlyInline):
    model = EventSession
    extra = 0


class TableInline(OfficerOnlyInline):
    model = Table
    extra = 0


class ParticipantTypeInline(OfficerOnlyInline):
    model = ParticipantType
    extra = 0


@admin.register(Event)
class EventAdmin(OfficerOnlyAdmin):
    list_display = ["name", "city", "country", "start_date", "scheduling_mode", "is_synthetic"]
    search_fields = ["name", "city"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [SessionInline, TableInline, ParticipantTypeInline]


@admin.register(Registration)
class RegistrationAdmin(OfficerOnlyAdmin):
    list_display = ["organisation", "event", "participant_type", "status", "is_synthetic"]
    list_filter = ["status", "event"]
    raw_id_fields = ["user", "organisation"]


@admin.register(MeetingRequest)
class MeetingRequestAdmin(OfficerOnlyAdmin):
    list_display = ["pk", "event", "requester", "recipient", "status", "priority"]
    list_filter = ["status"]
    raw_id_fields = ["requester", "recipient"]


class BookingInline(OfficerOnlyInline):
    model = MeetingBooking
    extra = 0
    raw_id_fields = ["registration"]


@admin.register(Meeting)
class MeetingAdmin(OfficerOnlyAdmin):
    list_display = ["pk", "event", "slot", "table", "status", "locked", "sequence"]
    list_filter = ["status", "locked"]
    inlines = [BookingInline]


@admin.register(ScheduleRun)
class ScheduleRunAdmin(OfficerOnlyAdmin):
    list_display = ["pk", "event", "status", "best_objective", "bound", "created_at"]
    list_filter = ["status"]
