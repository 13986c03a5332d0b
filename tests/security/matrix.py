"""The authorisation matrix: for every web page and API operation, what each principal gets.

A row names an endpoint (a URL name of the web URLconf, or ``METHOD /api/v1/path`` of the API
schema), the method, the object it is tried on (``args``: URL kwargs or path parameters built
from the world of tests/security/world.py) and the expected outcome for every principal:

* ``OK``: access granted (2xx, a redirect other than to the login page, or a 400/409/422 that
  the domain rules give after the access check passed),
* ``LOGIN``: redirected to the login page (web) / ``UNAUTHENTICATED``: 401 (API),
* ``FORBIDDEN``: 403, ``NOT_FOUND``: 404.

Designed denials: registry rows, labels, events, published calls, partner searches (with their
comments) and the forum's open spaces are public (the forum to signed-in users), so a principal
who may not change one gets 403 (hiding it would protect nothing). Proposals, evaluator
assignments, registrations, meeting requests, meetings, optimiser runs, notifications, draft
calls, interests in a partner search (the two organisations and officers), hidden requests,
threads and posts (officers and their authors or organisation), and partnership forum spaces
with their threads and posts (members, coordinators and officers) are private: a principal who
may not see one gets 404, exactly as for an id that does not exist (``private=True`` rows check
this against ``missing``; only the principals in ``sees`` may get a 403, because they can see
the object but not act on it). Pages about one's own registration in an event (profile,
requests, agenda) answer 404 "you are not registered" to everyone else: there is no id in them
to guess. Unsubscribe links work without a login: their signed token is the credential.

test_authorisation_matrix.py fails when an endpoint of the URLconf or the API schema has no row:
classify new endpoints here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.security.world import (
    ANONYMOUS,
    COORDINATOR,
    COORDINATOR_OTHER,
    EVALUATOR,
    MANAGER,
    MANAGER_OTHER,
    MISSING_ID,
    MISSING_SLUG,
    NO_ROLE,
    OFFICER,
    ORGANISER,
    ORGANISER_OTHER,
    PARTICIPANT,
    PRINCIPALS,
    World,
)

OK = "ok"
LOGIN = "login"
UNAUTHENTICATED = "401"
FORBIDDEN = "403"
NOT_FOUND = "404"

Build = Callable[[World], dict[str, Any]]


@dataclass(frozen=True)
class Row:
    endpoint: str
    method: str
    expect: dict[str, str]
    args: Build = lambda w: {}  # URL kwargs / path parameters
    data: Build | None = None  # form data (web) or JSON body (API); files go in as uploads
    missing: Build | None = None  # the same args with a nonexistent object
    private: bool = False
    sees: frozenset[str] = field(default_factory=frozenset)
    multipart: bool = False  # API: send ``data`` as a multipart form
    missing_outcome: str = NOT_FOUND  # what a logged-in principal gets for ``missing``
    note: str = ""

    @property
    def label(self) -> str:
        suffix = f" [{self.note}]" if self.note else ""
        return f"{self.method} {self.endpoint}{suffix}"


def everyone() -> dict[str, str]:
    return dict.fromkeys(PRINCIPALS, OK)


def logged_in(anonymous: str = LOGIN) -> dict[str, str]:
    return {**everyone(), ANONYMOUS: anonymous}


def only(
    *allowed: str, denied: str = FORBIDDEN, anonymous: str = LOGIN, **others: str
) -> dict[str, str]:
    expect = {p: (OK if p in allowed else denied) for p in PRINCIPALS}
    expect[ANONYMOUS] = anonymous
    expect.update(others)
    return expect


def api_only(*allowed: str, denied: str = FORBIDDEN, **others: str) -> dict[str, str]:
    return only(*allowed, denied=denied, anonymous=UNAUTHENTICATED, **others)


def api_token() -> dict[str, str]:
    return logged_in(anonymous=UNAUTHENTICATED)


def _pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n%matrix\n", "application/pdf")


def _csv() -> SimpleUploadedFile:
    return SimpleUploadedFile("partnerships.csv", b"acronym,name\n", "text/csv")


# --- shorthands for the objects of the world ---------------------------------------------------

P_A: Build = lambda w: {"slug": w.partnership_a.slug}  # noqa: E731
ORG_A2: Build = lambda w: {"slug": w.org_a2.slug}  # noqa: E731
LABEL_A: Build = lambda w: {"public_id": w.label_a.public_id}  # noqa: E731
CALL_OPEN: Build = lambda w: {"call_id": w.call_open.pk}  # noqa: E731
CALL_EVAL: Build = lambda w: {"call_id": w.call_eval.pk}  # noqa: E731
CALL_DRAFT: Build = lambda w: {"call_id": w.call_draft.pk}  # noqa: E731
PR_A: Build = lambda w: {"proposal_id": w.proposal_a.pk}  # noqa: E731
PR_E: Build = lambda w: {"proposal_id": w.proposal_e.pk}  # noqa: E731
ASSIGNMENT: Build = lambda w: {"assignment_id": w.assignment.pk}  # noqa: E731
EVENT_A: Build = lambda w: {"slug": w.event_a.slug}  # noqa: E731
REQUEST: Build = lambda w: {"request_id": w.request.pk}  # noqa: E731
MEETING: Build = lambda w: {"meeting_id": w.meeting.pk}  # noqa: E731

SEARCH: Build = lambda w: {"search_id": w.search.pk}  # noqa: E731
SEARCH_HIDDEN: Build = lambda w: {"search_id": w.search_hidden.pk}  # noqa: E731
INTEREST: Build = lambda w: {"interest_id": w.interest.pk}  # noqa: E731
COMMENT: Build = lambda w: {"comment_id": w.comment.pk}  # noqa: E731
SPACE: Build = lambda w: {"slug": w.space_programme.slug}  # noqa: E731
SPACE_A: Build = lambda w: {"slug": w.space_a.slug}  # noqa: E731
THREAD: Build = lambda w: {"thread_id": w.thread.pk}  # noqa: E731
THREAD_A: Build = lambda w: {"thread_id": w.thread_a.pk}  # noqa: E731
THREAD_HIDDEN: Build = lambda w: {"thread_id": w.thread_hidden.pk}  # noqa: E731
POST: Build = lambda w: {"post_id": w.post.pk}  # noqa: E731
POST_A: Build = lambda w: {"post_id": w.post_a.pk}  # noqa: E731

NO_SLUG: Build = lambda w: {"slug": MISSING_SLUG}  # noqa: E731
NO_PUBLIC_ID: Build = lambda w: {"public_id": MISSING_SLUG}  # noqa: E731
NO_CALL: Build = lambda w: {"call_id": MISSING_ID}  # noqa: E731
NO_PROPOSAL: Build = lambda w: {"proposal_id": MISSING_ID}  # noqa: E731
NO_ASSIGNMENT: Build = lambda w: {"assignment_id": MISSING_ID}  # noqa: E731
NO_REQUEST: Build = lambda w: {"request_id": MISSING_ID}  # noqa: E731
NO_MEETING: Build = lambda w: {"meeting_id": MISSING_ID}  # noqa: E731
NO_SEARCH: Build = lambda w: {"search_id": MISSING_ID}  # noqa: E731
NO_INTEREST: Build = lambda w: {"interest_id": MISSING_ID}  # noqa: E731
NO_COMMENT: Build = lambda w: {"comment_id": MISSING_ID}  # noqa: E731
NO_THREAD: Build = lambda w: {"thread_id": MISSING_ID}  # noqa: E731
NO_POST: Build = lambda w: {"post_id": MISSING_ID}  # noqa: E731

OFFICER_SEES_PROPOSAL = frozenset({OFFICER})
PR_E_SEEN_BY = frozenset({MANAGER, EVALUATOR})
EVENT_MANAGERS = (OFFICER, ORGANISER)
_MANAGERS_FORBIDDEN = dict.fromkeys(EVENT_MANAGERS, FORBIDDEN)
# Users acting for a registry organisation (coordinator: A1, manager: A2, twins: B1, B2); the
# manager's A2 posted the partner search, the twin manager's B2 expressed interest in it.
ACTING = (COORDINATOR, COORDINATOR_OTHER, MANAGER, MANAGER_OTHER)
# Who may read partnership A's forum space: officers, its coordinator, its members' users.
SPACE_A_READERS = (OFFICER, COORDINATOR, MANAGER)
INTEREST_SEEN_BY = frozenset({OFFICER, MANAGER})  # moderators and the posting organisation
HIDDEN_SEARCH_SEEN_BY = frozenset({OFFICER, MANAGER_OTHER})  # moderators and B2
_REASON: Build = lambda w: {"reason": "Matrix"}  # noqa: E731


def _web_public(name: str, args: Build = lambda w: {}) -> Row:
    return Row(name, "GET", everyone(), args)


# --- web pages ---------------------------------------------------------------------------------

WEB_ROWS: list[Row] = [
    # public pages
    _web_public("web:home"),
    _web_public("web:partnership-list"),
    _web_public("web:partnership-detail", P_A),
    _web_public("web:organisation-list"),
    _web_public("web:organisation-detail", ORG_A2),
    _web_public("web:country-list"),
    _web_public("web:country-detail", lambda w: {"code": "DE"}),
    _web_public("web:keyfigure-list"),
    _web_public("web:registry-export", lambda w: {"kind": "partnerships", "fmt": "csv"}),
    _web_public("labels:label-list"),
    _web_public("labels:charter-detail"),
    _web_public("labels:charter-version", lambda w: {"version": w.charter.version}),
    _web_public("labels:label-detail", LABEL_A),
    _web_public("labels:label-badge", LABEL_A),
    _web_public("labels:label-certificate", lambda w: {"public_id": w.label_awarded.public_id}),
    _web_public("calls:call-list"),
    _web_public("calls:call-detail", CALL_OPEN),
    _web_public("events:event-list"),
    _web_public("events:event-detail", EVENT_A),
    # the calendar feed is reached by its secret token, without a login
    _web_public("events:calendar-feed", lambda w: {"token": w.registration.ical_token}),
    _web_public("collaboration:service-list"),
    _web_public("collaboration:service-detail", lambda w: {"slug": w.extra["service"].slug}),
    _web_public("collaboration:dialogue-list"),
    _web_public("collaboration:market-list"),
    _web_public("collaboration:market-detail", lambda w: {"code": "US"}),
    _web_public("collaboration:partnership-recommendations", P_A),
    _web_public("collaboration:partnership-services", P_A),
    # accounts (django.contrib.auth) and language
    _web_public("login"),
    _web_public("set_language"),
    Row("login", "POST", everyone(), data=lambda w: {"username": "x", "password": "y"}),
    Row("logout", "POST", everyone()),
    Row("password_change", "GET", logged_in()),
    Row("password_change", "POST", logged_in()),
    Row("password_change_done", "GET", logged_in()),
    _web_public("password_reset"),
    Row("password_reset", "POST", everyone(), data=lambda w: {"email": "nobody@example.org"}),
    _web_public("password_reset_done"),
    _web_public("password_reset_confirm", lambda w: {"uidb64": "MQ", "token": "set-password"}),
    Row(
        "password_reset_confirm",
        "POST",
        everyone(),
        lambda w: {"uidb64": "MQ", "token": "set-password"},
    ),
    _web_public("password_reset_complete"),
    Row("set_language", "POST", everyone(), data=lambda w: {"language": "fr"}),
    # registry writes
    Row("web:partnership-edit", "GET", only(OFFICER, COORDINATOR), P_A, missing=NO_SLUG),
    Row("web:partnership-edit", "POST", only(OFFICER, COORDINATOR), P_A, missing=NO_SLUG),
    Row("web:organisation-edit", "GET", only(OFFICER, MANAGER), ORG_A2, missing=NO_SLUG),
    Row("web:organisation-edit", "POST", only(OFFICER, MANAGER), ORG_A2, missing=NO_SLUG),
    Row("web:registry-import", "GET", only(OFFICER)),
    Row("web:registry-import", "POST", only(OFFICER)),
    # labels: signing is offered to representatives; anyone else is sent back to the label page
    Row("labels:label-mine", "GET", logged_in()),
    Row("labels:label-sign", "GET", logged_in(), LABEL_A, missing=NO_PUBLIC_ID),
    Row("labels:label-sign", "POST", logged_in(), LABEL_A, missing=NO_PUBLIC_ID),
    Row(
        "labels:label-open",
        "POST",
        only(OFFICER, COORDINATOR, MANAGER),  # the manager acts for a member organisation
        LABEL_A,
        missing=NO_PUBLIC_ID,
    ),
    Row("labels:label-award", "POST", only(OFFICER), LABEL_A, missing=NO_PUBLIC_ID),
    Row("labels:label-revoke", "POST", only(OFFICER), LABEL_A, missing=NO_PUBLIC_ID),
    Row("labels:label-renew", "POST", only(OFFICER), LABEL_A, missing=NO_PUBLIC_ID),
    Row("labels:label-strategy", "POST", only(OFFICER, COORDINATOR), LABEL_A, missing=NO_PUBLIC_ID),
    Row("labels:label-audit", "GET", only(OFFICER, COORDINATOR), LABEL_A, missing=NO_PUBLIC_ID),
    # calls: a draft call is invisible to everyone but officers
    Row(
        "calls:call-detail",
        "GET",
        only(OFFICER, denied=NOT_FOUND, anonymous=NOT_FOUND),
        CALL_DRAFT,
        missing=NO_CALL,
        private=True,
        note="draft",
    ),
    Row("calls:proposal-create", "GET", logged_in(), CALL_OPEN, missing=NO_CALL),
    # users not acting for an organisation see the refusal on the form (422)
    Row("calls:proposal-create", "POST", logged_in(), CALL_OPEN, missing=NO_CALL),
    Row(
        "calls:proposal-create",
        "GET",
        only(OFFICER, denied=NOT_FOUND),
        CALL_DRAFT,
        missing=NO_CALL,
        private=True,
        note="draft",
    ),
    Row("calls:call-manage", "GET", only(OFFICER), CALL_OPEN, missing=NO_CALL),
    Row(
        "calls:call-manage",
        "GET",
        only(OFFICER, denied=NOT_FOUND),
        CALL_DRAFT,
        missing=NO_CALL,
        private=True,
        note="draft",
    ),
    Row("calls:call-ranking", "GET", only(OFFICER), CALL_EVAL, missing=NO_CALL),
    Row("calls:call-ranking-apply", "POST", only(OFFICER), CALL_EVAL, missing=NO_CALL),
    Row("calls:call-evaluation-start", "POST", only(OFFICER), CALL_OPEN, missing=NO_CALL),
    Row("calls:call-close", "POST", only(OFFICER), CALL_EVAL, missing=NO_CALL),
    Row("calls:proposal-mine", "GET", logged_in()),
    Row(
        "calls:proposal-detail",
        "GET",
        only(OFFICER, MANAGER, denied=NOT_FOUND),
        PR_A,
        missing=NO_PROPOSAL,
        private=True,
    ),
    Row(
        "calls:proposal-detail",
        "GET",
        # the evaluator is sent on to the assignment page
        only(OFFICER, MANAGER, EVALUATOR, denied=NOT_FOUND),
        PR_E,
        missing=NO_PROPOSAL,
        private=True,
        note="under evaluation",
    ),
    *[
        Row(
            name,
            method,
            only(MANAGER, denied=NOT_FOUND, officer=FORBIDDEN),
            PR_A,
            missing=NO_PROPOSAL,
            private=True,
            sees=OFFICER_SEES_PROPOSAL,
        )
        for name, method in [
            ("calls:proposal-edit", "GET"),
            ("calls:proposal-edit", "POST"),
            ("calls:proposal-submit", "POST"),
            ("calls:proposal-attachment-add", "POST"),
            ("calls:proposal-invitation-accept", "POST"),
        ]
    ],
    Row(
        "calls:proposal-attachment-download",
        "GET",
        only(OFFICER, MANAGER, denied=NOT_FOUND),
        lambda w: {"proposal_id": w.proposal_a.pk, "attachment_id": w.attachment.pk},
        missing=lambda w: {"proposal_id": w.proposal_a.pk, "attachment_id": MISSING_ID},
        private=True,
    ),
    Row(
        "calls:proposal-attachment-download",
        "GET",
        only(denied=NOT_FOUND),
        # an attachment of another proposal, through a proposal one may see
        lambda w: {"proposal_id": w.proposal_e.pk, "attachment_id": w.attachment.pk},
        missing=lambda w: {"proposal_id": w.proposal_e.pk, "attachment_id": MISSING_ID},
        private=True,
        note="attachment of another proposal",
    ),
    *[
        Row(
            name,
            method,
            only(OFFICER, denied=NOT_FOUND, manager=FORBIDDEN, evaluator=FORBIDDEN),
            PR_E,
            missing=NO_PROPOSAL,
            private=True,
            sees=PR_E_SEEN_BY,
        )
        for name, method in [
            ("calls:proposal-eligibility", "POST"),
            ("calls:proposal-assign", "POST"),
            ("calls:proposal-decide", "POST"),
            ("calls:proposal-consensus", "GET"),
            ("calls:proposal-consensus", "POST"),
        ]
    ],
    Row(
        "calls:assignment-detail",
        "GET",
        only(EVALUATOR, denied=NOT_FOUND),
        ASSIGNMENT,
        missing=NO_ASSIGNMENT,
        private=True,
    ),
    Row(
        "calls:assignment-detail",
        "POST",
        only(EVALUATOR, denied=NOT_FOUND),
        ASSIGNMENT,
        missing=NO_ASSIGNMENT,
        private=True,
    ),
    # events: participants
    Row("events:event-create", "GET", only(OFFICER, ORGANISER, ORGANISER_OTHER, denied=NOT_FOUND)),
    Row("events:event-create", "POST", only(OFFICER, ORGANISER, ORGANISER_OTHER, denied=NOT_FOUND)),
    Row("events:registration-create", "GET", logged_in(), EVENT_A, missing=NO_SLUG),
    Row("events:registration-create", "POST", logged_in(), EVENT_A, missing=NO_SLUG),
    Row(
        "events:registration-edit",
        "GET",
        only(PARTICIPANT, denied=NOT_FOUND),
        EVENT_A,
        missing=NO_SLUG,
    ),
    Row(
        "events:registration-edit",
        "POST",
        only(PARTICIPANT, denied=NOT_FOUND),
        EVENT_A,
        missing=NO_SLUG,
    ),
    Row("events:participant-list", "GET", logged_in(), EVENT_A, missing=NO_SLUG),
    Row(
        "events:participant-detail",
        "GET",
        logged_in(),  # approved participants are listed in the directory
        lambda w: {"slug": w.event_a.slug, "registration_id": w.peer_registration.pk},
        missing=lambda w: {"slug": w.event_a.slug, "registration_id": MISSING_ID},
    ),
    Row(
        "events:request-create",
        "POST",
        only(PARTICIPANT, denied=NOT_FOUND),
        lambda w: {"slug": w.event_a.slug, "registration_id": w.peer_registration.pk},
        missing=lambda w: {"slug": w.event_a.slug, "registration_id": MISSING_ID},
    ),
    Row(
        "events:request-list",
        "GET",
        only(PARTICIPANT, denied=NOT_FOUND),
        EVENT_A,
        missing=NO_SLUG,
    ),
    Row(
        "events:agenda",
        "GET",
        only(PARTICIPANT, denied=NOT_FOUND),
        EVENT_A,
        missing=NO_SLUG,
    ),
    *[
        Row(
            "events:request-action",
            "POST",
            expect,
            lambda w, action=action: {"request_id": w.request.pk, "action": action},
            missing=lambda w, action=action: {"request_id": MISSING_ID, "action": action},
            private=True,
            sees=frozenset({PARTICIPANT, *EVENT_MANAGERS}),
            note=action,
        )
        for action, expect in [
            # the participant received the request; the organiser sees it but may not answer
            ("accept", only(PARTICIPANT, denied=NOT_FOUND, officer=FORBIDDEN, organiser=FORBIDDEN)),
            (
                "decline",
                only(PARTICIPANT, denied=NOT_FOUND, officer=FORBIDDEN, organiser=FORBIDDEN),
            ),
            # only the requester (a peer, not a principal here) may withdraw it
            ("cancel", only(denied=NOT_FOUND, participant=FORBIDDEN, **_MANAGERS_FORBIDDEN)),
        ]
    ],
    Row(
        "events:meeting-feedback",
        "GET",
        only(PARTICIPANT, *EVENT_MANAGERS, denied=NOT_FOUND),
        MEETING,
        missing=NO_MEETING,
        private=True,
    ),
    Row(
        "events:meeting-feedback",
        "POST",
        only(PARTICIPANT, *EVENT_MANAGERS, denied=NOT_FOUND),
        MEETING,
        missing=NO_MEETING,
        private=True,
    ),
    *[
        Row(
            "events:meeting-action",
            "POST",
            expect,
            lambda w, action=action: {"meeting_id": w.meeting.pk, "action": action},
            missing=lambda w, action=action: {"meeting_id": MISSING_ID, "action": action},
            private=True,
            sees=frozenset({PARTICIPANT}),
            note=action,
        )
        for action, expect in [
            ("cancel", only(PARTICIPANT, *EVENT_MANAGERS, denied=NOT_FOUND)),
            ("lock", only(*EVENT_MANAGERS, denied=NOT_FOUND, participant=FORBIDDEN)),
            ("held", only(PARTICIPANT, *EVENT_MANAGERS, denied=NOT_FOUND)),
        ]
    ],
    # events: organisers (events are public: other organisers get 403)
    *[
        Row(name, method, only(*EVENT_MANAGERS), EVENT_A, missing=NO_SLUG)
        for name, method in [
            ("events:event-manage", "GET"),
            ("events:session-add", "POST"),
            ("events:tables-set", "POST"),
            ("events:run-start", "POST"),
            ("events:schedule-publish", "POST"),
            ("events:grid", "GET"),
            ("events:analytics", "GET"),
        ]
    ],
    Row(
        "events:registration-action",
        "POST",
        only(*EVENT_MANAGERS),
        lambda w: {
            "slug": w.event_a.slug,
            "registration_id": w.registration.pk,
            "action": "approve",
        },
        missing=lambda w: {"slug": MISSING_SLUG, "registration_id": MISSING_ID, "action": "ok"},
    ),
    Row(
        "events:run-detail",
        "GET",
        only(*EVENT_MANAGERS),
        lambda w: {"slug": w.event_a.slug, "run_id": w.run.pk},
        missing=lambda w: {"slug": w.event_a.slug, "run_id": MISSING_ID},
    ),
    Row(
        "events:export",
        "GET",
        only(*EVENT_MANAGERS),
        lambda w: {"slug": w.event_a.slug, "fmt": "csv"},
        missing=lambda w: {"slug": MISSING_SLUG, "fmt": "csv"},
    ),
    # partner search: requests are public; only the posting organisation edits and closes,
    # other organisations express interest, any signed-in user follows and comments
    _web_public("collaboration:partner-search-list"),
    _web_public("collaboration:partner-search-detail", SEARCH),
    _web_public("collaboration:partner-search-recommendations", SEARCH),
    Row(
        "collaboration:partner-search-detail",
        "GET",
        only(*HIDDEN_SEARCH_SEEN_BY, denied=NOT_FOUND, anonymous=NOT_FOUND),
        SEARCH_HIDDEN,
        missing=NO_SEARCH,
        private=True,
        note="hidden",
    ),
    Row(
        "collaboration:partner-search-recommendations",
        "GET",
        only(*HIDDEN_SEARCH_SEEN_BY, denied=NOT_FOUND, anonymous=NOT_FOUND),
        SEARCH_HIDDEN,
        missing=NO_SEARCH,
        private=True,
        note="hidden",
    ),
    # users acting for no organisation are sent back to the list with a message
    Row("collaboration:partner-search-create", "GET", logged_in()),
    Row("collaboration:partner-search-create", "POST", logged_in()),
    *[
        Row(name, method, only(MANAGER), SEARCH, missing=NO_SEARCH)
        for name in ("collaboration:partner-search-edit", "collaboration:partner-search-close")
        for method in ("GET", "POST")
    ],
    Row(
        "collaboration:partner-search-edit",
        "GET",
        only(MANAGER_OTHER, denied=NOT_FOUND, officer=FORBIDDEN),
        SEARCH_HIDDEN,
        missing=NO_SEARCH,
        private=True,
        sees=HIDDEN_SEARCH_SEEN_BY,
        note="hidden: its organisation may still edit it",
    ),
    Row(
        "collaboration:partner-search-interest",
        "POST",
        # the posting organisation and users of no organisation are refused; B2's second
        # interest is a conflict (a message on the page)
        only(COORDINATOR, COORDINATOR_OTHER, MANAGER_OTHER),
        SEARCH,
        data=lambda w: {"message": "Interested."},
        missing=NO_SEARCH,
    ),
    Row(
        "collaboration:partner-search-interest",
        "POST",
        only(denied=NOT_FOUND, officer=FORBIDDEN, manager_other=FORBIDDEN),
        SEARCH_HIDDEN,
        data=lambda w: {"message": "Interested."},
        missing=NO_SEARCH,
        private=True,
        sees=HIDDEN_SEARCH_SEEN_BY,
        note="hidden",
    ),
    Row(
        "collaboration:partner-search-interest-withdraw",
        "POST",
        only(MANAGER_OTHER, denied=NOT_FOUND, officer=FORBIDDEN, manager=FORBIDDEN),
        INTEREST,
        missing=NO_INTEREST,
        private=True,
        sees=INTEREST_SEEN_BY,
    ),
    Row("collaboration:partner-search-follow", "POST", logged_in(), SEARCH, missing=NO_SEARCH),
    Row(
        "collaboration:partner-search-comment",
        "POST",
        logged_in(),
        SEARCH,
        data=lambda w: {"body": "A comment."},
        missing=NO_SEARCH,
    ),
    Row(
        "collaboration:partner-search-moderate",
        "POST",
        only(OFFICER),
        SEARCH,
        data=_REASON,
        missing=NO_SEARCH,
    ),
    Row(
        "collaboration:partner-search-comment-moderate",
        "POST",
        only(OFFICER),
        COMMENT,
        data=_REASON,
        missing=NO_COMMENT,
    ),
    # forum: signed-in users; partnership A's space, its threads and posts only for its readers
    Row("collaboration:forum-index", "GET", logged_in()),
    Row("collaboration:forum-search", "GET", logged_in(), data=lambda w: {"q": "Matrix"}),
    *[
        row
        for name, method, data in [
            ("collaboration:forum-space", "GET", None),
            ("collaboration:forum-thread-create", "GET", None),
            ("collaboration:forum-thread-create", "POST", lambda w: {"title": "T", "body": "B"}),
            ("collaboration:forum-space-subscribe", "POST", None),
        ]
        for row in (
            Row(name, method, logged_in(), SPACE, data=data, missing=NO_SLUG),
            Row(
                name,
                method,
                only(*SPACE_A_READERS, denied=NOT_FOUND),
                SPACE_A,
                data=data,
                missing=NO_SLUG,
                private=True,
                note="partnership space",
            ),
        )
    ],
    *[
        row
        for name, method, data in [
            ("collaboration:forum-thread", "GET", None),
            ("collaboration:forum-reply", "POST", lambda w: {"body": "A reply."}),
            ("collaboration:forum-thread-subscribe", "POST", None),
        ]
        for row in (
            Row(name, method, logged_in(), THREAD, data=data, missing=NO_THREAD),
            Row(
                name,
                method,
                only(*SPACE_A_READERS, denied=NOT_FOUND),
                THREAD_A,
                data=data,
                missing=NO_THREAD,
                private=True,
                note="partnership space",
            ),
            Row(
                name,
                method,
                only(OFFICER, COORDINATOR, denied=NOT_FOUND),  # moderators and its author
                THREAD_HIDDEN,
                data=data,
                missing=NO_THREAD,
                private=True,
                note="hidden",
            ),
        )
    ],
    Row(
        "collaboration:forum-thread-moderate",
        "POST",
        only(OFFICER),
        THREAD,
        data=lambda w: {"action": "lock", "reason": "Matrix"},
        missing=NO_THREAD,
    ),
    Row(
        "collaboration:forum-thread-moderate",
        "POST",
        only(OFFICER, denied=NOT_FOUND, coordinator=FORBIDDEN, manager=FORBIDDEN),
        THREAD_A,
        data=lambda w: {"action": "lock", "reason": "Matrix"},
        missing=NO_THREAD,
        private=True,
        sees=frozenset({COORDINATOR, MANAGER}),
        note="partnership space",
    ),
    *[
        Row(
            "collaboration:forum-post-edit",
            method,
            only(COORDINATOR),  # its author; the post is visible to every signed-in user
            POST,
            data=data,
            missing=NO_POST,
        )
        for method, data in [("GET", None), ("POST", lambda w: {"body": "Edited."})]
    ],
    *[
        Row(
            "collaboration:forum-post-edit",
            method,
            only(MANAGER, denied=NOT_FOUND, officer=FORBIDDEN, coordinator=FORBIDDEN),
            POST_A,
            data=data,
            missing=NO_POST,
            private=True,
            sees=frozenset({OFFICER, COORDINATOR}),
            note="partnership space",
        )
        for method, data in [("GET", None), ("POST", lambda w: {"body": "Edited."})]
    ],
    Row(
        "collaboration:forum-post-moderate",
        "POST",
        only(OFFICER, denied=NOT_FOUND, coordinator=FORBIDDEN, manager=FORBIDDEN),
        POST_A,
        data=_REASON,
        missing=NO_POST,
        private=True,
        sees=frozenset({COORDINATOR, MANAGER}),
        note="partnership space",
    ),
    # notifications: one's own only; another user's id changes nothing, like a missing one
    Row("notifications:inbox", "GET", logged_in()),
    Row("notifications:read-all", "POST", logged_in()),
    Row(
        "notifications:read",
        "POST",
        logged_in(),
        lambda w: {"notification_id": w.notification.pk},
        missing=lambda w: {"notification_id": MISSING_ID},
        missing_outcome=OK,  # back to the inbox, changing nothing: the same as another's id
        note="no effect unless it is one's own",
    ),
    Row("notifications:preferences", "GET", logged_in()),
    Row("notifications:preferences", "POST", logged_in()),
    # the signed token in the e-mail is the credential: no login (the GET changes nothing)
    *[
        Row(
            "notifications:unsubscribe",
            method,
            everyone(),
            lambda w: {"token": w.unsubscribe_token},
        )
        for method in ("GET", "POST")
    ],
    # one's own account and personal data
    Row("account:detail", "GET", logged_in()),
    Row("account:detail", "POST", logged_in()),
    Row("account:export", "GET", logged_in()),
    Row("account:delete", "GET", logged_in()),
    Row("account:delete", "POST", logged_in()),  # the password is asked for
    _web_public("web:privacy"),
    # load balancers and monitors call these without credentials
    _web_public("ops:health"),
    _web_public("ops:health-ready"),
]

# The admin site (every URL under admin/, namespace "admin") lets only officers in; these rows
# stand for all of its pages.
ADMIN_ROWS: list[Row] = [
    Row(name, "GET", only(OFFICER, denied=LOGIN))
    for name in [
        "admin:index",
        "admin:registry_partnership_changelist",
        "admin:registry_partnership_add",
        "admin:calls_proposal_changelist",
        "admin:accounts_user_changelist",
        "admin:events_registration_changelist",
    ]
]


# --- API operations ----------------------------------------------------------------------------


def _api(method: str, path: str, expect: dict[str, str], args: Build = lambda w: {}, **kw) -> Row:
    return Row(f"{method} /api/v1{path}", method, expect, args, **kw)


def _api_public(path: str, args: Build = lambda w: {}, **kw) -> Row:
    return _api("GET", path, everyone(), args, **kw)


_SIGNATURE: Build = lambda w: {  # noqa: E731
    "organisation": w.org_a2.slug,
    "representative_name": "Rep A2",
    "representative_title": "Director",
    "text_sha256": w.charter.sha256,
}

API_ROWS: list[Row] = [
    # public reads (tokens are not needed and not looked at)
    _api_public("/partnerships"),
    _api_public("/partnerships/{slug}", P_A),
    _api_public("/organisations"),
    _api_public("/organisations/{slug}", ORG_A2),
    _api_public("/organisations/{slug}/sme-members", ORG_A2),
    _api_public("/countries"),
    _api_public("/countries/{code}", lambda w: {"code": "DE"}),
    _api_public("/generations"),
    _api_public("/export/{kind}.{fmt}", lambda w: {"kind": "partnerships", "fmt": "csv"}),
    _api_public("/export/{kind}", lambda w: {"kind": "organisations"}),
    _api_public("/key-figures"),
    _api_public("/calls"),
    _api_public("/calls/figures"),
    _api_public("/calls/{call_id}", CALL_OPEN),
    _api_public("/calls/{call_id}/budget", CALL_OPEN),
    # public reads do not authenticate: a draft call is hidden from every caller
    _api(
        "GET",
        "/calls/{call_id}",
        dict.fromkeys(PRINCIPALS, NOT_FOUND),
        CALL_DRAFT,
        missing=NO_CALL,
        private=True,
        note="draft",
    ),
    _api_public("/labels"),
    _api_public("/labels/status-counts"),
    _api_public("/labels/charter"),
    _api_public("/labels/{public_id}", LABEL_A),
    _api_public("/events"),
    _api_public("/events/{slug}", EVENT_A),
    # the caller's own things
    _api("GET", "/me", api_token()),
    _api("GET", "/calls/proposals/mine", api_token()),
    _api("GET", "/calls/assignments", api_token()),
    # registry writes
    _api(
        "PATCH",
        "/partnerships/{slug}",
        api_only(OFFICER, COORDINATOR),
        P_A,
        data=lambda w: {"notes": "Matrix"},
        missing=NO_SLUG,
    ),
    _api(
        "PATCH",
        "/organisations/{slug}",
        api_only(OFFICER, MANAGER),
        ORG_A2,
        data=lambda w: {"notes": "Matrix"},
        missing=NO_SLUG,
    ),
    _api(
        "POST",
        "/imports/{kind}",
        api_only(OFFICER),
        lambda w: {"kind": "partnerships"},
        data=lambda w: {"file": _csv()},
        multipart=True,
    ),
    # calls: set-up (officers)
    _api(
        "POST",
        "/calls",
        api_only(OFFICER),
        data=lambda w: {"identifier": "MATRIX-NEW", "title": "New call"},
    ),
    _api(
        "POST",
        "/calls/{call_id}/strands",
        api_only(OFFICER),
        CALL_OPEN,
        data=lambda w: {"code": "9", "title": "Extra", "places": 1},
        missing=NO_CALL,
    ),
    _api(
        "POST",
        "/calls/{call_id}/strands/{code}/reserved",
        api_only(OFFICER),
        lambda w: {"call_id": w.call_open.pk, "code": "1"},
        data=lambda w: {"theme": "dual-use", "places": 1},
        missing=lambda w: {"call_id": w.call_open.pk, "code": MISSING_SLUG},
    ),
    _api(
        "POST",
        "/calls/{call_id}/criteria",
        api_only(OFFICER),
        CALL_OPEN,
        data=lambda w: {"code": "impact", "title": "Impact"},
        missing=NO_CALL,
    ),
    _api(
        "POST",
        "/calls/{call_id}/publish",
        api_only(OFFICER, denied=NOT_FOUND),
        CALL_DRAFT,
        missing=NO_CALL,
        private=True,
        note="draft",
    ),
    *[
        _api("POST", path, api_only(OFFICER), args, missing=NO_CALL)
        for path, args in [
            ("/calls/{call_id}/evaluation", CALL_OPEN),
            ("/calls/{call_id}/ranking/apply", CALL_EVAL),
            ("/calls/{call_id}/close", CALL_EVAL),
        ]
    ],
    _api("GET", "/calls/{call_id}/ranking", api_only(OFFICER), CALL_EVAL, missing=NO_CALL),
    # calls: applicants (any user acting for an organisation may apply)
    _api(
        "POST",
        "/calls/{call_id}/proposals",
        api_only(COORDINATOR, COORDINATOR_OTHER, MANAGER, MANAGER_OTHER),
        CALL_OPEN,
        data=lambda w: {
            "strand": "1",
            "acronym": "NEWP",
            "title": "New proposal",
            "requested_grant": "1000",
        },
        missing=NO_CALL,
    ),
    _api(
        "GET",
        "/calls/proposals/{proposal_id}",
        api_only(OFFICER, MANAGER, denied=NOT_FOUND),
        PR_A,
        missing=NO_PROPOSAL,
        private=True,
    ),
    *[
        _api(
            method,
            path,
            api_only(MANAGER, denied=NOT_FOUND, officer=FORBIDDEN),
            PR_A,
            data=data,
            missing=NO_PROPOSAL,
            private=True,
            sees=OFFICER_SEES_PROPOSAL,
            multipart=multipart,
        )
        for method, path, data, multipart in [
            (
                "PUT",
                "/calls/proposals/{proposal_id}",
                lambda w: {"strand": "1", "title": "Edited", "requested_grant": "1000"},
                False,
            ),
            ("POST", "/calls/proposals/{proposal_id}/submit", None, False),
            ("POST", "/calls/proposals/{proposal_id}/accept-invitation", None, False),
            (
                "POST",
                "/calls/proposals/{proposal_id}/attachments",
                lambda w: {"title": "Annex", "file": _pdf()},
                True,
            ),
        ]
    ],
    # calls: evaluation and decisions (officers)
    *[
        _api(
            "POST",
            path,
            api_only(OFFICER, denied=NOT_FOUND, manager=FORBIDDEN, evaluator=FORBIDDEN),
            PR_E,
            data=data,
            missing=NO_PROPOSAL,
            private=True,
            sees=PR_E_SEEN_BY,
        )
        for path, data in [
            ("/calls/proposals/{proposal_id}/eligibility", lambda w: {"eligible": True}),
            (
                "/calls/proposals/{proposal_id}/evaluators",
                lambda w: {"evaluator_id": w.users[NO_ROLE].pk},
            ),
            ("/calls/proposals/{proposal_id}/consensus", lambda w: {"scores": []}),
            ("/calls/proposals/{proposal_id}/decision", lambda w: {"decision": "rejected"}),
        ]
    ],
    # calls: evaluators
    _api(
        "POST",
        "/calls/assignments/{assignment_id}/coi",
        api_only(EVALUATOR, denied=NOT_FOUND),
        ASSIGNMENT,
        data=lambda w: {"has_conflict": False},
        missing=NO_ASSIGNMENT,
        private=True,
    ),
    _api(
        "POST",
        "/calls/assignments/{assignment_id}/scores",
        api_only(EVALUATOR, denied=NOT_FOUND),
        ASSIGNMENT,
        data=lambda w: {"scores": []},
        missing=NO_ASSIGNMENT,
        private=True,
    ),
    # labels
    _api(
        "POST",
        "/labels/representatives",
        api_only(OFFICER, MANAGER),  # officers and the organisation's own cluster manager
        data=lambda w: {"organisation": w.org_a2.slug, "username": w.users[NO_ROLE].username},
    ),
    _api(
        "GET",
        "/labels/{public_id}/events",
        api_only(OFFICER, COORDINATOR),
        LABEL_A,
        missing=NO_PUBLIC_ID,
    ),
    _api(
        "POST",
        "/labels/{public_id}/open-charter",
        api_only(OFFICER, COORDINATOR, MANAGER),
        LABEL_A,
        data=lambda w: {},
        missing=NO_PUBLIC_ID,
    ),
    _api(
        "POST",
        "/labels/{public_id}/signatures",
        api_only(MANAGER),
        LABEL_A,
        data=_SIGNATURE,
        missing=NO_PUBLIC_ID,
    ),
    *[
        _api("POST", path, api_only(OFFICER), LABEL_A, data=data, missing=NO_PUBLIC_ID)
        for path, data in [
            ("/labels/{public_id}/award", lambda w: {}),
            ("/labels/{public_id}/revoke", lambda w: {"reason": "Matrix"}),
            (
                "/labels/{public_id}/renew",
                lambda w: {"basis": "later_call", "new_end": "2040-01-01"},
            ),
        ]
    ],
    _api(
        "POST",
        "/labels/{public_id}/strategy",
        api_only(OFFICER, COORDINATOR),
        LABEL_A,
        data=lambda w: {"text": "Our strategy."},
        missing=NO_PUBLIC_ID,
    ),
    # events
    _api("GET", "/events/{slug}/registrations", api_token(), EVENT_A, missing=NO_SLUG),
    _api(
        "POST",
        "/events/{slug}/registrations",
        api_token(),
        EVENT_A,
        data=lambda w: {
            "participant_type": "eu_cluster",
            "new_organisation_name": "Matrix newcomer",
            "new_organisation_country": "DK",
        },
        missing=NO_SLUG,
    ),
    _api("GET", "/events/{slug}/opportunities", api_token(), EVENT_A, missing=NO_SLUG),
    _api(
        "POST",
        "/events/{slug}/opportunities",
        api_only(PARTICIPANT, denied=NOT_FOUND),
        EVENT_A,
        data=lambda w: {"kind": "business_offer", "title": "We offer"},
        missing=NO_SLUG,
    ),
    _api(
        "GET",
        "/events/{slug}/requests",
        api_only(PARTICIPANT, denied=NOT_FOUND),
        EVENT_A,
        missing=NO_SLUG,
    ),
    _api(
        "POST",
        "/events/{slug}/requests",
        api_only(PARTICIPANT, denied=NOT_FOUND),
        EVENT_A,
        data=lambda w: {"recipient_id": w.peer_registration.pk},
        missing=NO_SLUG,
    ),
    *[
        _api(
            "POST",
            f"/events/requests/{{request_id}}/{action}",
            expect,
            REQUEST,
            data=data,
            missing=NO_REQUEST,
            private=True,
            sees=frozenset({PARTICIPANT, *EVENT_MANAGERS}),
        )
        for action, expect, data in [
            (
                "accept",
                api_only(PARTICIPANT, denied=NOT_FOUND, officer=FORBIDDEN, organiser=FORBIDDEN),
                None,
            ),
            (
                "decline",
                api_only(PARTICIPANT, denied=NOT_FOUND, officer=FORBIDDEN, organiser=FORBIDDEN),
                lambda w: {"reason": "Busy"},
            ),
            # only the requester (a peer, not a principal here) may withdraw it
            (
                "cancel",
                api_only(denied=NOT_FOUND, participant=FORBIDDEN, **_MANAGERS_FORBIDDEN),
                None,
            ),
        ]
    ],
    _api(
        "GET",
        "/events/{slug}/meetings",
        api_only(PARTICIPANT, *EVENT_MANAGERS, denied=NOT_FOUND),
        EVENT_A,
        missing=NO_SLUG,
    ),
    _api(
        "GET",
        "/events/{slug}/agenda",
        api_only(PARTICIPANT, denied=NOT_FOUND),
        EVENT_A,
        missing=NO_SLUG,
    ),
    _api(
        "GET",
        "/events/{slug}/agenda.ics",
        api_only(PARTICIPANT, denied=NOT_FOUND),
        EVENT_A,
        missing=NO_SLUG,
    ),
    # collaboration: partner search (public reads do not authenticate, so a hidden request is
    # hidden from every caller there; interests are read by the two organisations and officers)
    _api_public("/collaboration/partner-searches"),
    _api_public("/collaboration/partner-searches/{search_id}", SEARCH),
    _api_public("/collaboration/partner-searches/{search_id}/comments", SEARCH),
    *[
        _api(
            "GET",
            path,
            dict.fromkeys(PRINCIPALS, NOT_FOUND),
            SEARCH_HIDDEN,
            missing=NO_SEARCH,
            private=True,
            note="hidden",
        )
        for path in (
            "/collaboration/partner-searches/{search_id}",
            "/collaboration/partner-searches/{search_id}/comments",
        )
    ],
    _api(
        "POST",
        "/collaboration/partner-searches",
        api_only(*ACTING),  # for the organisation one acts for
        data=lambda w: {
            "kind": "market_entry",
            "title": "Matrix request",
            "description": "Looking for partners.",
            "deadline": (w.search.deadline).isoformat(),
        },
    ),
    _api(
        "PATCH",
        "/collaboration/partner-searches/{search_id}",
        api_only(MANAGER),
        SEARCH,
        data=lambda w: {"title": "Edited"},
        missing=NO_SEARCH,
    ),
    _api(
        "POST",
        "/collaboration/partner-searches/{search_id}/close",
        api_only(MANAGER),
        SEARCH,
        data=lambda w: {"outcome": "withdrawn"},
        missing=NO_SEARCH,
    ),
    _api(
        "PATCH",
        "/collaboration/partner-searches/{search_id}",
        api_only(MANAGER_OTHER, denied=NOT_FOUND, officer=FORBIDDEN),
        SEARCH_HIDDEN,
        data=lambda w: {"title": "Edited"},
        missing=NO_SEARCH,
        private=True,
        sees=HIDDEN_SEARCH_SEEN_BY,
        note="hidden",
    ),
    _api(
        "GET",
        "/collaboration/partner-searches/{search_id}/interests",
        api_token(),  # the posting organisation and officers get all, others their own
        SEARCH,
        missing=NO_SEARCH,
    ),
    _api(
        "GET",
        "/collaboration/partner-searches/{search_id}/interests",
        api_only(*HIDDEN_SEARCH_SEEN_BY, denied=NOT_FOUND),
        SEARCH_HIDDEN,
        missing=NO_SEARCH,
        private=True,
        note="hidden",
    ),
    _api(
        "POST",
        "/collaboration/partner-searches/{search_id}/interests",
        api_only(COORDINATOR, COORDINATOR_OTHER, MANAGER_OTHER),  # B2's second one: 409
        SEARCH,
        data=lambda w: {"message": "Interested."},
        missing=NO_SEARCH,
    ),
    _api(
        "POST",
        "/collaboration/interests/{interest_id}/withdraw",
        api_only(MANAGER_OTHER, denied=NOT_FOUND, officer=FORBIDDEN, manager=FORBIDDEN),
        INTEREST,
        missing=NO_INTEREST,
        private=True,
        sees=INTEREST_SEEN_BY,
    ),
    *[
        _api(
            method,
            "/collaboration/partner-searches/{search_id}/follow",
            api_token(),
            SEARCH,
            missing=NO_SEARCH,
        )
        for method in ("PUT", "DELETE")
    ],
    _api(
        "POST",
        "/collaboration/partner-searches/{search_id}/comments",
        api_token(),
        SEARCH,
        data=lambda w: {"body": "A comment."},
        missing=NO_SEARCH,
    ),
    # collaboration: forum (token users; partnership A's space only for its readers)
    _api("GET", "/collaboration/forum/spaces", api_token()),
    *[
        row
        for method, data in [
            ("GET", None),
            ("POST", lambda w: {"title": "Matrix", "body": "Hello."}),
        ]
        for row in (
            _api(
                method,
                "/collaboration/forum/spaces/{slug}/threads",
                api_token(),
                SPACE,
                data=data,
                missing=NO_SLUG,
            ),
            _api(
                method,
                "/collaboration/forum/spaces/{slug}/threads",
                api_only(*SPACE_A_READERS, denied=NOT_FOUND),
                SPACE_A,
                data=data,
                missing=NO_SLUG,
                private=True,
                note="partnership space",
            ),
        )
    ],
    *[
        row
        for method, data in [("GET", None), ("POST", lambda w: {"body": "A reply."})]
        for row in (
            _api(
                method,
                "/collaboration/forum/threads/{thread_id}/posts",
                api_token(),
                THREAD,
                data=data,
                missing=NO_THREAD,
            ),
            _api(
                method,
                "/collaboration/forum/threads/{thread_id}/posts",
                api_only(*SPACE_A_READERS, denied=NOT_FOUND),
                THREAD_A,
                data=data,
                missing=NO_THREAD,
                private=True,
                note="partnership space",
            ),
            _api(
                method,
                "/collaboration/forum/threads/{thread_id}/posts",
                api_only(OFFICER, COORDINATOR, denied=NOT_FOUND),
                THREAD_HIDDEN,
                data=data,
                missing=NO_THREAD,
                private=True,
                note="hidden",
            ),
        )
    ],
    _api(
        "PATCH",
        "/collaboration/forum/posts/{post_id}",
        api_only(COORDINATOR),
        POST,
        data=lambda w: {"body": "Edited."},
        missing=NO_POST,
    ),
    _api(
        "PATCH",
        "/collaboration/forum/posts/{post_id}",
        api_only(MANAGER, denied=NOT_FOUND, officer=FORBIDDEN, coordinator=FORBIDDEN),
        POST_A,
        data=lambda w: {"body": "Edited."},
        missing=NO_POST,
        private=True,
        sees=frozenset({OFFICER, COORDINATOR}),
        note="partnership space",
    ),
]
