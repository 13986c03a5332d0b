"""Web pages of the events domain (namespace "events", mounted at /events/)."""

from django.urls import URLPattern, path

from escp4i.web import views_events as v

app_name = "events"

urlpatterns: list[URLPattern] = [
    path("", v.event_list, name="event-list"),
    path("new/", v.event_create, name="event-create"),
    path("calendar/<str:token>.ics", v.calendar_feed, name="calendar-feed"),
    path("requests/<int:request_id>/<str:action>/", v.request_action, name="request-action"),
    path("meetings/<int:meeting_id>/feedback/", v.meeting_feedback, name="meeting-feedback"),
    path("meetings/<int:meeting_id>/<str:action>/", v.meeting_action, name="meeting-action"),
    path("<slug:slug>/", v.event_detail, name="event-detail"),
    path("<slug:slug>/register/", v.registration_create, name="registration-create"),
    path("<slug:slug>/profile/", v.registration_edit, name="registration-edit"),
    path("<slug:slug>/participants/", v.participant_list, name="participant-list"),
    path(
        "<slug:slug>/participants/<int:registration_id>/",
        v.participant_detail,
        name="participant-detail",
    ),
    path(
        "<slug:slug>/participants/<int:registration_id>/request/",
        v.request_create,
        name="request-create",
    ),
    path("<slug:slug>/requests/", v.request_list, name="request-list"),
    path("<slug:slug>/agenda/", v.agenda, name="agenda"),
    path("<slug:slug>/manage/", v.event_manage, name="event-manage"),
    path("<slug:slug>/manage/sessions/", v.session_add, name="session-add"),
    path("<slug:slug>/manage/tables/", v.tables_set, name="tables-set"),
    path(
        "<slug:slug>/manage/registrations/<int:registration_id>/<str:action>/",
        v.registration_action,
        name="registration-action",
    ),
    path("<slug:slug>/manage/runs/", v.run_start, name="run-start"),
    path("<slug:slug>/manage/runs/<int:run_id>/", v.run_detail, name="run-detail"),
    path("<slug:slug>/manage/publish/", v.schedule_publish, name="schedule-publish"),
    path("<slug:slug>/manage/grid/", v.grid, name="grid"),
    path("<slug:slug>/manage/export.<str:fmt>", v.export, name="export"),
    path("<slug:slug>/manage/analytics/", v.analytics, name="analytics"),
]
