"""One small world with a user for every role, and for each role a twin that holds the same role
for *another* object, built through the real services (shared by the authorisation matrix and the
schemathesis run).

Objects ("A" belongs to the principals under test, "B" to their twins):

* partnerships A and B, each with two member organisations; the coordinator of A acts for A's
  first member, the cluster manager for A's second (the twins likewise for B);
* labels: A and B with the charter open (the manager may sign for A2), C awarded;
* calls: one open (draft proposals PR_A by the manager and PR_B by the twin, an attachment on
  PR_A), one under evaluation (PR_E by the manager, eligible, assigned to the evaluator), one
  draft (officers only);
* events: A by the organiser (participant and a peer approved, a pending request from the peer
  to the participant, a booked meeting between them, an optimiser-run row), B by the twin
  organiser with the twin participant; a notification for the participant;
* partner search: one by the manager for A2 (the twin manager's B2 expressed interest, the
  coordinator commented), one by the twin manager for B2 that an officer hid;
* forum (spaces generated from the registry): a thread by the coordinator in the programme
  space, a thread by the manager in partnership A's space (members only), a thread by the
  coordinator in the programme space that an officer hid.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from escp4i.accounts.models import Role, User
from escp4i.accounts.services import api_token_create, role_grant
from escp4i.calls import services as calls
from escp4i.calls.models import Call, EvaluatorAssignment, Proposal, ProposalAttachment
from escp4i.collaboration import services as collaboration
from escp4i.collaboration.models import (
    ForumPost,
    ForumSpace,
    ForumThread,
    PartnerSearch,
    PartnerSearchComment,
    PartnerSearchInterest,
    SupportService,
)
from escp4i.events import services as events
from escp4i.events.models import (
    Event,
    Meeting,
    MeetingRequest,
    ParticipantKind,
    Registration,
    ScheduleRun,
)
from escp4i.labels import services as labels
from escp4i.labels.models import CharterVersion, Label
from escp4i.notifications.models import Notification
from escp4i.notifications.services import notification_send
from escp4i.notifications.tokens import unsubscribe_token
from escp4i.registry.models import (
    ClusterOrganisation,
    Country,
    Generation,
    Membership,
    MembershipRole,
    Partnership,
    PartnershipCategory,
)

PASSWORD = "correct-horse-battery-staple"
D = Decimal

# Principals: every role, a twin per scoped role, a logged-in user without a role, anonymous.
ANONYMOUS = "anonymous"
NO_ROLE = "no_role"
OFFICER = "officer"
COORDINATOR = "coordinator"
COORDINATOR_OTHER = "coordinator_other"
MANAGER = "manager"
MANAGER_OTHER = "manager_other"
PARTICIPANT = "participant"
PARTICIPANT_OTHER = "participant_other"
ORGANISER = "organiser"
ORGANISER_OTHER = "organiser_other"
EVALUATOR = "evaluator"  # no role: assigned to one proposal (a capability, not a role)

PRINCIPALS = (
    ANONYMOUS,
    NO_ROLE,
    OFFICER,
    COORDINATOR,
    COORDINATOR_OTHER,
    MANAGER,
    MANAGER_OTHER,
    PARTICIPANT,
    PARTICIPANT_OTHER,
    ORGANISER,
    ORGANISER_OTHER,
    EVALUATOR,
)

# An id no row has (object-level checks compare "not yours" with "does not exist").
MISSING_ID = 987654321
MISSING_SLUG = "no-such-object"


@dataclass
class World:
    users: dict[str, User] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    clients: dict[str, Client] = field(default_factory=dict)
    partnership_a: Partnership = None  # type: ignore[assignment]
    partnership_b: Partnership = None  # type: ignore[assignment]
    org_a1: ClusterOrganisation = None  # type: ignore[assignment]
    org_a2: ClusterOrganisation = None  # type: ignore[assignment]
    org_b2: ClusterOrganisation = None  # type: ignore[assignment]
    charter: CharterVersion = None  # type: ignore[assignment]
    label_a: Label = None  # type: ignore[assignment]
    label_b: Label = None  # type: ignore[assignment]
    label_awarded: Label = None  # type: ignore[assignment]
    call_open: Call = None  # type: ignore[assignment]
    call_eval: Call = None  # type: ignore[assignment]
    call_draft: Call = None  # type: ignore[assignment]
    proposal_a: Proposal = None  # type: ignore[assignment]
    proposal_b: Proposal = None  # type: ignore[assignment]
    proposal_e: Proposal = None  # type: ignore[assignment]
    attachment: ProposalAttachment = None  # type: ignore[assignment]
    assignment: EvaluatorAssignment = None  # type: ignore[assignment]
    event_a: Event = None  # type: ignore[assignment]
    event_b: Event = None  # type: ignore[assignment]
    registration: Registration = None  # type: ignore[assignment]
    peer_registration: Registration = None  # type: ignore[assignment]
    request: MeetingRequest = None  # type: ignore[assignment]
    meeting: Meeting = None  # type: ignore[assignment]
    run: ScheduleRun = None  # type: ignore[assignment]
    notification: Notification = None  # type: ignore[assignment]
    unsubscribe_token: str = ""
    search: PartnerSearch = None  # type: ignore[assignment]
    search_hidden: PartnerSearch = None  # type: ignore[assignment]
    interest: PartnerSearchInterest = None  # type: ignore[assignment]
    comment: PartnerSearchComment = None  # type: ignore[assignment]
    space_programme: ForumSpace = None  # type: ignore[assignment]
    space_a: ForumSpace = None  # type: ignore[assignment]
    thread: ForumThread = None  # type: ignore[assignment]
    thread_a: ForumThread = None  # type: ignore[assignment]
    thread_hidden: ForumThread = None  # type: ignore[assignment]
    post: ForumPost = None  # type: ignore[assignment]
    post_a: ForumPost = None  # type: ignore[assignment]
    extra: dict[str, Any] = field(default_factory=dict)


def _user(username: str, *roles: str, organisation=None, partnership=None) -> User:
    user = User.objects.create_user(
        username=username,
        email=f"{username}@example.org",
        password=PASSWORD,
        organisation=organisation,
    )
    for role in roles:
        scope = partnership if role == Role.PARTNERSHIP_COORDINATOR else None
        role_grant(user=user, role=role, partnership=scope)
    return user


def _organisation(slug: str, country: str) -> ClusterOrganisation:
    return ClusterOrganisation.objects.create(
        name=f"Matrix {slug.upper()}", slug=f"matrix-{slug}", country_id=country
    )


def _partnership(code: str, orgs: list[ClusterOrganisation], today: dt.date) -> Partnership:
    partnership = Partnership.objects.create(
        acronym=f"MATRIX{code}",
        slug=f"matrix-{code.lower()}",
        name=f"Matrix partnership {code}",
        category=PartnershipCategory.STRAND1,
        start_date=today - dt.timedelta(days=30),
        end_date=today + dt.timedelta(days=700),
    )
    for i, org in enumerate(orgs):
        role = MembershipRole.COORDINATOR if i == 0 else MembershipRole.PARTNER
        Membership.objects.create(partnership=partnership, organisation=org, role=role)
    return partnership


def _call(officer: User, identifier: str, now: dt.datetime, *, publish: bool = True) -> Call:
    call = calls.call_create(
        actor=officer,
        identifier=identifier,
        title=f"Call {identifier}",
        budget=D("500000"),
        opens_at=now - dt.timedelta(days=2),
        deadline=now + dt.timedelta(days=1),
    )
    calls.strand_add(
        actor=officer, call=call, code="1", title="Preparation", places=2, max_grant=D("200000")
    )
    calls.criterion_add(actor=officer, call=call, code="relevance", title="Relevance")
    return calls.call_publish(actor=officer, call=call) if publish else call


def _proposal(user: User, call: Call, acronym: str, partner_ids: list[int]) -> Proposal:
    return calls.proposal_create(
        actor=user,
        call=call,
        strand=call.strands.get(code="1"),
        acronym=acronym,
        title=f"Proposal {acronym}",
        requested_grant=D("100000"),
        partner_ids=partner_ids,
    )


def _event(organiser: User, name: str, day: dt.date) -> Event:
    event = events.event_create(
        actor=organiser,
        name=name,
        city="Hannover",
        country=Country.objects.get(pk="DE"),
        start_date=day,
        end_date=day,
        timezone_name="Europe/Berlin",
        tables=2,
    )
    events.event_session_add(
        event=event,
        actor=organiser,
        date=day,
        start_time=dt.time(9, 0),
        end_time=dt.time(11, 0),
        slot_minutes=30,
        breaks=[],
        name="Morning",
    )
    return event


def _register(event: Event, user: User, organisation: ClusterOrganisation) -> Registration:
    return events.registration_create(
        event=event,
        user=user,
        organisation=organisation,
        participant_kind=ParticipantKind.EU_CLUSTER,
    )


def build_world() -> World:
    w = World()
    now = timezone.now()
    today = timezone.localdate()

    # --- registry and principals ------------------------------------------------------------
    w.org_a1, w.org_a2 = _organisation("a1", "DE"), _organisation("a2", "FR")
    org_b1, w.org_b2 = _organisation("b1", "SI"), _organisation("b2", "SE")
    generation = Generation.objects.get_or_create(code="2016", defaults={"name": "2016"})[0]
    w.partnership_a = _partnership("A", [w.org_a1, w.org_a2], today)
    w.partnership_b = _partnership("B", [org_b1, w.org_b2], today)
    Partnership.objects.filter(pk=w.partnership_a.pk).update(generation=generation)

    u = w.users
    u[NO_ROLE] = _user("m-norole")
    u[OFFICER] = _user("m-officer", Role.PROGRAMME_OFFICER)
    u[COORDINATOR] = _user(
        "m-coord",
        Role.PARTNERSHIP_COORDINATOR,
        organisation=w.org_a1,
        partnership=w.partnership_a,
    )
    u[COORDINATOR_OTHER] = _user(
        "m-coord-b",
        Role.PARTNERSHIP_COORDINATOR,
        organisation=org_b1,
        partnership=w.partnership_b,
    )
    u[MANAGER] = _user("m-manager", Role.CLUSTER_MANAGER, organisation=w.org_a2)
    u[MANAGER_OTHER] = _user("m-manager-b", Role.CLUSTER_MANAGER, organisation=w.org_b2)
    u[PARTICIPANT] = _user("m-participant", Role.PARTICIPANT)
    u[PARTICIPANT_OTHER] = _user("m-participant-b", Role.PARTICIPANT)
    u[ORGANISER] = _user("m-organiser", Role.EVENT_ORGANISER)
    u[ORGANISER_OTHER] = _user("m-organiser-b", Role.EVENT_ORGANISER)
    u[EVALUATOR] = _user("m-evaluator")
    officer = u[OFFICER]

    # --- labels -------------------------------------------------------------------------------
    w.charter = labels.charter_version_publish(
        version="matrix-1", title="Charter", text="We cooperate.", actor=None
    )
    w.label_a = labels.label_charter_open(
        label=labels.label_propose(partnership=w.partnership_a, actor=officer), actor=officer
    )
    w.label_b = labels.label_charter_open(
        label=labels.label_propose(partnership=w.partnership_b, actor=officer), actor=officer
    )
    org_c = _organisation("c1", "IT")
    partnership_c = _partnership("C", [org_c], today)
    rep_c = _user("m-rep-c", Role.CLUSTER_MANAGER, organisation=org_c)
    label_c = labels.label_charter_open(
        label=labels.label_propose(partnership=partnership_c, actor=officer), actor=officer
    )
    labels.label_charter_sign(
        label=label_c,
        organisation=org_c,
        actor=rep_c,
        representative_name="Rep C",
        representative_title="Director",
        text_sha256=w.charter.sha256,
    )
    w.label_awarded = labels.label_award(label=Label.objects.get(pk=label_c.pk), actor=officer)

    # --- calls --------------------------------------------------------------------------------
    partner_z = [_organisation("z1", "PL").pk, _organisation("z2", "PT").pk]
    w.call_open = _call(officer, "MATRIX-OPEN", now)
    w.call_eval = _call(officer, "MATRIX-EVAL", now)
    w.call_draft = _call(officer, "MATRIX-DRAFT", now, publish=False)
    w.proposal_a = _proposal(u[MANAGER], w.call_open, "PRA", partner_z)
    w.proposal_b = _proposal(u[MANAGER_OTHER], w.call_open, "PRB", partner_z)
    w.attachment = calls.proposal_attachment_add(
        actor=u[MANAGER],
        proposal=w.proposal_a,
        title="Work plan",
        file=SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n%matrix\n", "application/pdf"),
    )
    w.proposal_e = _proposal(u[MANAGER], w.call_eval, "PRE", partner_z)
    calls.proposal_submit(actor=u[MANAGER], proposal=w.proposal_e)
    calls.call_evaluation_start(
        actor=officer, call=w.call_eval, now=w.call_eval.deadline + dt.timedelta(seconds=1)
    )
    w.proposal_e.refresh_from_db()
    calls.proposal_eligibility_decide(
        actor=officer, proposal=w.proposal_e, eligible=True, note="Checked by hand."
    )
    w.proposal_e.refresh_from_db()
    w.assignment = calls.evaluator_assign(
        actor=officer, proposal=w.proposal_e, evaluator=u[EVALUATOR]
    )

    # --- events -------------------------------------------------------------------------------
    day = today + dt.timedelta(days=60)
    w.event_a = _event(u[ORGANISER], "Matrix event A", day)
    w.event_b = _event(u[ORGANISER_OTHER], "Matrix event B", day)
    peer = _user("m-peer", Role.PARTICIPANT)
    w.registration = _register(w.event_a, u[PARTICIPANT], _organisation("x1", "ES"))
    w.peer_registration = _register(w.event_a, peer, _organisation("x2", "AT"))
    _register(w.event_b, u[PARTICIPANT_OTHER], _organisation("x3", "BE"))
    booked = events.meeting_request_send(
        requester=w.registration, recipient=w.peer_registration, actor=u[PARTICIPANT]
    )
    w.meeting = events.meeting_request_accept(request=booked, actor=peer)
    peer2 = _user("m-peer2", Role.PARTICIPANT)
    peer2_registration = _register(w.event_a, peer2, _organisation("x4", "NL"))
    w.request = events.meeting_request_send(
        requester=peer2_registration, recipient=w.registration, actor=peer2, message="Meet?"
    )
    events.opportunity_add(
        registration=w.registration, actor=u[PARTICIPANT], kind="business_offer", title="Offer"
    )
    free = _user("m-peer3", Role.PARTICIPANT)  # approved, no request with anyone yet
    w.extra["free_registration"] = _register(w.event_a, free, _organisation("x5", "DK"))
    w.run = ScheduleRun.objects.create(event=w.event_a, created_by=u[ORGANISER])
    w.notification = notification_send(
        user=u[PARTICIPANT], kind="other", title="A note", url="/events/"
    )

    w.unsubscribe_token = unsubscribe_token(
        user_id=u[PARTICIPANT].pk, categories=["events", "collaboration"]
    )

    w.extra["service"] = SupportService.objects.create(
        slug="matrix-service", name="Matrix help desk", description="Helps."
    )

    # --- partner search and forum ---------------------------------------------------------------
    def search(user: User, title: str) -> PartnerSearch:
        return collaboration.partner_search_create(
            actor=user,
            kind="market_entry",
            title=title,
            description="Clusters with packaging SMEs.",
            countries_sought=["DE"],
            target_markets=["JP"],
            deadline=today + dt.timedelta(days=90),
        )

    w.search = search(u[MANAGER], "Matrix partners for Japan")
    w.interest = collaboration.partner_interest_express(
        search=w.search, actor=u[MANAGER_OTHER], message="We are interested."
    )
    w.comment = collaboration.partner_search_comment_add(
        search=w.search, actor=u[COORDINATOR], body="Count us in."
    )
    w.search_hidden = collaboration.partner_search_hide(
        search=search(u[MANAGER_OTHER], "Matrix hidden request"), actor=officer, reason="Spam"
    )
    collaboration.forum_spaces_sync()
    w.space_programme = ForumSpace.objects.get(slug=collaboration.PROGRAMME_SLUG)
    w.space_a = ForumSpace.objects.get(partnership=w.partnership_a)
    w.thread = collaboration.forum_thread_create(
        space=w.space_programme, actor=u[COORDINATOR], title="Matrix thread", body="Hello all."
    )
    w.thread_a = collaboration.forum_thread_create(
        space=w.space_a, actor=u[MANAGER], title="Members only", body="Partnership A inside."
    )
    w.post = w.thread.posts.get()
    w.post_a = w.thread_a.posts.get()
    w.thread_hidden = collaboration.forum_thread_hide(
        thread=collaboration.forum_thread_create(
            space=w.space_programme, actor=u[COORDINATOR], title="Hidden", body="Off topic."
        ),
        actor=officer,
        reason="Off topic",
    )

    # --- tokens and logged-in clients -----------------------------------------------------------
    for name in PRINCIPALS:
        client = Client()
        if name != ANONYMOUS:
            client.force_login(u[name])
            w.tokens[name] = api_token_create(user=u[name], name="matrix")[1]
        w.clients[name] = client
    return w
