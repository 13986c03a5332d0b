"""Events services (writes). Every function here is keyword-only, atomic, audited; e-mail and
in-app notifications go out after commit. Modules: ``setup`` (event, sessions, tables, caps),
``registration`` (registrations, opportunities, validation, check-in), ``meetings`` (requests and
meetings, self-schedule booking), ``schedule`` (optimiser runs, publication), ``outcomes``
(feedback, follow-up reminders)."""

from escp4i.events.services.meetings import (
    meeting_cancel,
    meeting_lock,
    meeting_mark_held,
    meeting_mark_no_show,
    meeting_place,
    meeting_place_earliest,
    meeting_request_accept,
    meeting_request_cancel,
    meeting_request_decline,
    meeting_request_send,
    meeting_requests_expire,
    meeting_walk_in_create,
)
from escp4i.events.services.outcomes import feedback_submit, follow_up_reminders_send
from escp4i.events.services.registration import (
    opportunity_add,
    opportunity_delete,
    registration_check_in,
    registration_create,
    registration_update,
    registration_validate,
)
from escp4i.events.services.schedule import (
    event_schedule_generate,
    event_schedule_publish,
    schedule_run_execute,
    schedule_run_fail,
    schedule_run_start,
    schedule_runs_fail_stale,
)
from escp4i.events.services.setup import (
    event_create,
    event_session_add,
    event_tables_set,
    participant_type_cap_set,
)

__all__ = [
    "event_create",
    "event_schedule_generate",
    "event_schedule_publish",
    "event_session_add",
    "event_tables_set",
    "feedback_submit",
    "follow_up_reminders_send",
    "meeting_cancel",
    "meeting_lock",
    "meeting_mark_held",
    "meeting_mark_no_show",
    "meeting_place",
    "meeting_place_earliest",
    "meeting_request_accept",
    "meeting_request_cancel",
    "meeting_request_decline",
    "meeting_request_send",
    "meeting_requests_expire",
    "meeting_walk_in_create",
    "opportunity_add",
    "opportunity_delete",
    "participant_type_cap_set",
    "registration_check_in",
    "registration_create",
    "registration_update",
    "registration_validate",
    "schedule_run_execute",
    "schedule_run_fail",
    "schedule_run_start",
    "schedule_runs_fail_stale",
]
