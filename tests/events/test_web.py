"""Pages through the Django client: set-up, registration, directory (htmx), requests, agenda,
grid, optimiser run with its htmx status fragment, exports; query ceilings on the list pages."""

import csv
import io

from openpyxl import load_workbook

from escp4i.events import services
from escp4i.events.models import Event, MeetingRequest, Registration, SchedulingMode


def _accepted(a, b):
    return services.meeting_request_accept(
        request=services.meeting_request_send(requester=a, recipient=b, actor=None), actor=None
    )


def test_organiser_creates_event_and_session(client, organiser, registry_data):
    client.force_login(organiser)
    response = client.post(
        "/events/new/",
        {
            "name": "EU-Taiwan ICT Matchmaking",
            "city": "Taipei",
            "country": "TW",
            "timezone": "Asia/Taipei",
            "start_date": "2030-05-30",
            "end_date": "2030-06-01",
            "tables": "A, B, C",
            "participant_kinds": ["eu_cluster", "third_country"],
            "participant_caps": "third_country=20",
            "request_mode": "opt_in",
            "scheduling_mode": "optimiser",
            "open_request_cap": 10,
            "request_expiry_hours": 48,
            "follow_up_delay_days": 14,
        },
    )
    event = Event.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/events/{event.slug}/manage/"
    assert [t.name for t in event.tables.all()] == ["A", "B", "C"]
    assert event.participant_types.get(kind="third_country").cap == 20
    client.post(
        f"/events/{event.slug}/manage/sessions/",
        {
            "date": "2030-05-31",
            "start_time": "09:00",
            "end_time": "11:00",
            "slot_minutes": 20,
            "breaks": "10:00-10:20",
        },
    )
    assert event.slots.count() == 5


def test_plain_user_cannot_create_or_manage(client, user, make_event):
    event = make_event()
    client.force_login(user)
    assert client.get("/events/new/").status_code == 404
    assert client.get(f"/events/{event.slug}/manage/").status_code == 403


def test_register_with_new_organisation(client, participant, make_event):
    event = make_event()
    client.force_login(participant)
    response = client.post(
        f"/events/{event.slug}/register/",
        {
            "new_organisation_name": "Hannover Robotics",
            "new_organisation_country": "DE",
            "participant_kind": "sme",
            "max_meetings": 6,
            "profile": "Robots",
        },
    )
    assert response.status_code == 302
    registration = Registration.objects.get(user=participant)
    assert registration.organisation.name == "Hannover Robotics"
    page = client.get(f"/events/{event.slug}/profile/")
    assert b"Add an opportunity" in page.content
    client.post(
        f"/events/{event.slug}/profile/",
        {"form": "opportunity", "kind": "business_offer", "title": "Grippers"},
    )
    assert registration.opportunities.get().title == "Grippers"


def test_directory_htmx_and_query_ceiling(
    client, make_event, make_participant, django_assert_max_num_queries
):
    event = make_event()
    me = make_participant(event, country="DE")
    for i in range(12):
        p = make_participant(event, country="US" if i % 2 else "FR")
        services.opportunity_add(
            registration=p, actor=None, kind="business_offer", title=f"Offer {i}"
        )
    client.force_login(me.user)
    with django_assert_max_num_queries(20):
        page = client.get(f"/events/{event.slug}/participants/")
    assert page.status_code == 200
    assert b"12 participants" in page.content
    fragment = client.get(
        f"/events/{event.slug}/participants/?country=US", headers={"HX-Request": "true"}
    )
    assert b"6 participants" in fragment.content
    assert b"<html" not in fragment.content


def test_request_page_shows_exact_reason(client, make_event, make_participant):
    event = make_event()
    a, b = make_participant(event), make_participant(event)
    b.max_meetings = 1
    b.save()
    _accepted(make_participant(event), b)
    client.force_login(a.user)
    page = client.get(f"/events/{event.slug}/participants/{b.pk}/")
    assert "Their meeting limit is reached." in page.content.decode()


def test_request_accept_via_pages_and_agenda_ceiling(
    client, make_event, make_participant, django_assert_max_num_queries
):
    event = make_event()
    a, b = make_participant(event), make_participant(event)
    for _ in range(5):
        _accepted(a, make_participant(event))
    client.force_login(a.user)
    client.post(
        f"/events/{event.slug}/participants/{b.pk}/request/", {"message": "Hi", "priority": 2}
    )
    request = MeetingRequest.objects.get(requester=a, recipient=b)
    client.force_login(b.user)
    response = client.post(f"/events/requests/{request.pk}/accept/")
    assert response.status_code == 302
    client.force_login(a.user)
    with django_assert_max_num_queries(12):
        agenda = client.get(f"/events/{event.slug}/agenda/")
    assert agenda.content.decode().count("<tr>") == 7  # header + 6 meetings
    assert b.organisation.name in agenda.content.decode()
    assert f"/events/calendar/{a.ical_token}.ics" in agenda.content.decode()


def test_optimiser_run_grid_publish_export(
    client,
    organiser,
    make_event,
    make_participant,
    django_assert_max_num_queries,
    django_capture_on_commit_callbacks,
):
    event = make_event(scheduling_mode=SchedulingMode.OPTIMISER, tables=3)
    regs = [make_participant(event) for _ in range(8)]
    for i, a in enumerate(regs):
        for b in regs[i + 1 : i + 3]:
            _accepted(a, b)
    client.force_login(organiser)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/events/{event.slug}/manage/runs/")
    run_url = response["Location"]
    fragment = client.get(run_url, headers={"HX-Request": "true"})
    assert b"Finished" in fragment.content
    assert b"hx-trigger" not in fragment.content  # polling stops when finished
    with django_assert_max_num_queries(12):
        grid = client.get(f"/events/{event.slug}/manage/grid/")
    assert grid.status_code == 200
    assert grid.content.decode().count('class="busy') == 13
    client.post(f"/events/{event.slug}/manage/publish/")
    event.refresh_from_db()
    assert event.schedule_published_at is not None
    rows = list(
        csv.reader(
            io.StringIO(client.get(f"/events/{event.slug}/manage/export.csv").content.decode())
        )
    )
    assert rows[0][0] == "meeting_uid" and len(rows) == 14
    book = load_workbook(io.BytesIO(client.get(f"/events/{event.slug}/manage/export.xlsx").content))
    assert book["meetings"].max_row == 14
    analytics = client.get(f"/events/{event.slug}/manage/analytics/")
    assert b"<svg" in analytics.content


def test_run_page_polls_while_running(client, organiser, make_event):
    from escp4i.events.models import ScheduleRun

    event = make_event(scheduling_mode=SchedulingMode.OPTIMISER)
    run = ScheduleRun.objects.create(event=event, created_by=organiser)
    client.force_login(organiser)
    page = client.get(f"/events/{event.slug}/manage/runs/{run.pk}/")
    assert b'hx-trigger="every 1s"' in page.content


def test_run_page_shows_breaks_per_participant_and_fairness(client, organiser, make_event):
    from escp4i.events.models import RunStatus, ScheduleRun

    event = make_event(scheduling_mode=SchedulingMode.OPTIMISER)
    breaks = {
        "worst": 4,
        "spread": 4,
        "fairness": 2,
        "fairness_met": False,
        "participants_with_breaks": 3,
        "most": [{"registration": 1, "who": "Cluster Nord", "breaks": 4}],
    }
    run = ScheduleRun.objects.create(
        event=event,
        created_by=organiser,
        status=RunStatus.SUCCEEDED,
        solver_status="unknown",
        result={
            "scheduled": 3,
            "fixed": 0,
            "unscheduled": [],
            "total_breaks": 6,
            "breaks": breaks,
            "relaxed": ["fairness"],
        },
    )
    client.force_login(organiser)
    page = client.get(f"/events/{event.slug}/manage/runs/{run.pk}/").content.decode()
    assert "fairness bound relaxed: no schedule meeting it found in time" in page
    assert "not met: break counts differ by 4, more than 2" in page
    assert "Cluster Nord: 4 breaks" in page and "3 participants have breaks" in page
    run.result = {
        **run.result,
        "breaks": {**breaks, "spread": 1, "fairness_met": True},
        "relaxed": [],
    }
    run.solver_status = "feasible"
    run.save()
    page = client.get(f"/events/{event.slug}/manage/runs/{run.pk}/").content.decode()
    assert "met: break counts differ by at most 2 (here 1)" in page and "not met" not in page
    assert '(<span data-testid="run-solver-status">feasible, optimality not proven</span>)' in page


def test_feedback_page(client, make_event, make_participant):
    event = make_event()
    a, b = make_participant(event), make_participant(event)
    meeting = _accepted(a, b)
    client.force_login(a.user)
    response = client.post(
        f"/events/meetings/{meeting.pk}/feedback/",
        {"rating": 5, "outcome": "agreement", "agreement_kind": "distribution", "comment": ""},
    )
    assert response.status_code == 302
    assert meeting.feedback.get().agreement_kind == "distribution"
    client.force_login(make_participant(event).user)
    assert client.get(f"/events/meetings/{meeting.pk}/feedback/").status_code == 404


def test_public_event_pages(client, make_event):
    event = make_event(source_urls=["https://example.org/source"])
    assert event.name.encode() in client.get("/events/").content
    page = client.get(f"/events/{event.slug}/")
    assert b"https://example.org/source" in page.content
