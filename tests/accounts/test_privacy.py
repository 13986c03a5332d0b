"""GDPR: every model referencing users has a personal-data hook; the JSON export holds what the
person left everywhere; account deletion leaves none of their personal data in any table (every
text column of every model is scanned) while organisation and programme records stay."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.test import Client

from escp4i.accounts import services as account_services
from escp4i.accounts.models import ApiToken, ProfileVisibility, Role, RoleGrant, User
from escp4i.accounts.services import role_grant
from escp4i.calls import services as calls_services
from escp4i.calls.models import EvaluatorAssignment, Score
from escp4i.collaboration import services as collab_services
from escp4i.collaboration.markup import quote_markdown, render_markdown
from escp4i.collaboration.models import (
    ForumPost,
    ForumSpace,
    ForumSubscription,
    ForumThread,
    ForumThreadRead,
    PartnerSearch,
    PartnerSearchComment,
    PartnerSearchFollow,
    PartnerSearchInterest,
    PartnerSearchKind,
    PartnerSearchOutcome,
)
from escp4i.collaboration.services import forum_spaces_sync
from escp4i.core.errors import DomainError, PermissionDenied
from escp4i.core.models import AuditEntry, ImportRun
from escp4i.core.privacy import ERASED, personal_data_hooks
from escp4i.events import services as events_services
from escp4i.events.models import (
    Event,
    Feedback,
    Meeting,
    MeetingStatus,
    OpportunityKind,
    ParticipantKind,
    Registration,
    RegistrationStatus,
)
from escp4i.labels import services as labels_services
from escp4i.labels.models import CharterSignature
from escp4i.labels.workflow import LabelState
from escp4i.notifications import services as notification_services
from escp4i.notifications.models import DigestBatch, Notification
from escp4i.registry.models import ClusterOrganisation
from escp4i.registry.services import registry_import
from tests.conftest import PASSWORD
from tests.labels.conftest import reach

FIRST, LAST = "Zephyrine", "Quillfeather"
USERNAME = "zquillfeather"
EMAIL = "zephyrine.quillfeather@example.org"
PHRASE = "marmalade lighthouse"
IP = "203.0.113.77"
NEEDLES = [FIRST, LAST, USERNAME, EMAIL, PHRASE, IP]


def test_every_model_referencing_users_has_a_personal_data_hook():
    """A model added later that points at users fails here until its app's personal_data
    module lists it (docs/privacy.md)."""
    covered = {label for hook in personal_data_hooks() for label in hook.models}
    user_model = get_user_model()
    referencing = {
        model._meta.label
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if (field.is_relation and not field.auto_created and field.related_model is user_model)
        or model is user_model
    }
    assert referencing - covered == set()
    assert {h.app_label for h in personal_data_hooks()} >= {
        "core",
        "accounts",
        "labels",
        "calls",
        "events",
        "notifications",
        "collaboration",
    }


@pytest.fixture
def subject(
    world,
    charter,
    officer,
    today,
    make_event,
    make_participant,
    open_call,
    applicant,
    partner_ids,
    now,
    django_capture_on_commit_callbacks,
):
    """One person who did a bit of everything, through the real services."""
    user = User.objects.create_user(
        username=USERNAME,
        email=EMAIL,
        password=PASSWORD,
        first_name=FIRST,
        last_name=LAST,
        organisation=world.orgs[0],
    )
    role_grant(user=user, role=Role.CLUSTER_MANAGER, actor=officer)
    role_grant(user=user, role=Role.PARTICIPANT, actor=officer)
    account_services.api_token_create(user=user, name=f"{PHRASE} laptop")
    account_services.profile_update(
        user=user, first_name=FIRST, last_name=LAST, profile_visibility="participants"
    )
    notification_services.notification_preferences_set(
        user=user, values={"labels": "daily"}, actor=user
    )
    # Events: a past event with a held meeting and feedback, a future one with a meeting.
    past = make_event(name="Past fair")
    mine = events_services.registration_create(
        event=past,
        user=user,
        organisation=world.orgs[0],
        participant_kind=ParticipantKind.EU_CLUSTER,
        profile=f"We build {PHRASE} systems.",
    )
    events_services.opportunity_add(
        registration=mine,
        actor=user,
        kind=OpportunityKind.BUSINESS_OFFER,
        title=f"{PHRASE} kits",
        description=f"Ask {FIRST} about it",
    )
    partner = make_participant(past, country="US")
    with django_capture_on_commit_callbacks(execute=True):
        request = events_services.meeting_request_send(
            requester=mine, recipient=partner, actor=user, message=f"Let us talk {PHRASE}."
        )
    meeting = events_services.meeting_request_accept(request=request, actor=partner.user)
    events_services.feedback_submit(
        meeting=meeting, actor=user, rating=5, outcome="follow_up", comment=f"Great {PHRASE} chat"
    )
    asker = make_participant(past, country="CA")
    incoming = events_services.meeting_request_send(
        requester=asker, recipient=mine, actor=asker.user, message="Hello"
    )
    events_services.meeting_request_decline(
        request=incoming, actor=user, reason=f"No {PHRASE} budget, {FIRST}"
    )
    Event.objects.filter(pk=past.pk).update(
        start_date=today - dt.timedelta(days=30), end_date=today - dt.timedelta(days=30)
    )
    future = make_event(name="Future fair")
    upcoming = events_services.registration_create(
        event=future,
        user=user,
        organisation=world.orgs[0],
        participant_kind=ParticipantKind.EU_CLUSTER,
    )
    other = make_participant(future, country="JP")
    events_services.meeting_request_accept(
        request=events_services.meeting_request_send(
            requester=other, recipient=upcoming, actor=other.user, message="Meet?"
        ),
        actor=user,
    )
    # Labels: they sign the charter for their organisation.
    label = reach(LabelState.CHARTER_OPEN, world, officer, today)
    labels_services.label_charter_sign(
        label=label,
        organisation=world.orgs[0],
        actor=user,
        representative_name=f"{FIRST} {LAST}",
        representative_title=f"Director of {PHRASE}",
        text_sha256=label.charter_version.sha256,
        ip_address=IP,
    )
    # Calls: they evaluate a proposal.
    proposal = calls_services.proposal_create(
        actor=applicant,
        call=open_call,
        strand=open_call.strands.get(code="1"),
        acronym="ALPHA",
        title="Alpha partnership",
        requested_grant=Decimal("150000"),
        partner_ids=partner_ids,
        now=now,
    )
    calls_services.proposal_submit(actor=applicant, proposal=proposal, now=now)
    calls_services.call_evaluation_start(
        actor=officer, call=open_call, now=open_call.deadline + dt.timedelta(hours=1)
    )
    calls_services.proposal_eligibility_decide(actor=officer, proposal=proposal, eligible=True)
    assignment = calls_services.evaluator_assign(actor=officer, proposal=proposal, evaluator=user)
    calls_services.evaluator_coi_declare(
        actor=user, assignment=assignment, has_conflict=False, note=f"{FIRST}: no {PHRASE} ties"
    )
    criteria = {c.code: c.pk for c in open_call.criteria.all()}
    calls_services.evaluation_scores_submit(
        actor=user,
        assignment=assignment,
        scores={
            criteria["relevance"]: (Decimal(4), "solid"),
            criteria["impact"]: (Decimal(3), "ok"),
        },
    )
    # Collaboration: a partner search of their own, interest (private message), a comment,
    # a thread and a reply (name and e-mail inside), a subscription, a read marker; an officer
    # hides their reply, and as an officer for a while they lock a thread and hide a post.
    forum_spaces_sync()
    programme = ForumSpace.objects.get(slug="programme")
    other = world.reps[1]  # acts for Beta Cluster
    own_search = collab_services.partner_search_create(
        actor=user,
        kind=PartnerSearchKind.MARKET_ENTRY,
        title=f"Partners for {FIRST}'s cluster",
        description=f"Write to {EMAIL}.",
        deadline=today + dt.timedelta(days=30),
    )
    collab_services.partner_search_comment_add(
        search=own_search, actor=other, body=f"Hello {FIRST} {LAST}, we are interested."
    )
    theirs = collab_services.partner_search_create(
        actor=other,
        kind=PartnerSearchKind.PROJECT_CONSORTIUM,
        title="Consortium for smart textiles",
        description="Partners for a textile project.",
        deadline=today + dt.timedelta(days=30),
    )
    with django_capture_on_commit_callbacks(execute=True):
        collab_services.partner_interest_express(
            search=theirs, actor=user, message=f"Between us: our {PHRASE} plan."
        )
        collab_services.partner_search_comment_add(
            search=theirs, actor=user, body=f"**{FIRST} {LAST}** here: mail {EMAIL}"
        )
    collab_services.partner_search_follow(search=theirs, actor=user)
    collab_services.forum_thread_create(
        space=programme,
        actor=user,
        title=f"Hello from {FIRST} {LAST}",
        body=f"I am {FIRST} {LAST} ({EMAIL}). Ask {USERNAME}!",
    )
    fair = collab_services.forum_thread_create(
        space=programme, actor=other, title="Trade fair in Lyon", body="Who comes?"
    )
    collab_services.forum_subscribe(actor=user, space=programme)
    with django_capture_on_commit_callbacks(execute=True):
        reply = collab_services.forum_post_create(
            thread=fair, actor=user, body=f"Me! {FIRST} {LAST}, {EMAIL}"
        )
    reply = collab_services.forum_post_edit(
        post=reply, actor=user, body=f"Me too! _{FIRST} {LAST}_, <{EMAIL}>"
    )
    collab_services.forum_thread_mark_read(thread=fair, actor=user)
    quote = collab_services.forum_post_create(
        thread=fair,
        actor=other,
        body=quote_markdown(reply.body, author=world.orgs[0].name) + "See you there.",
    )
    collab_services.forum_post_hide(post=reply, actor=officer, reason="Contact details")
    role_grant(user=user, role=Role.PROGRAMME_OFFICER, actor=officer)
    collab_services.forum_post_hide(post=quote, actor=user, reason=f"Quotes {FIRST}")
    collab_services.forum_thread_lock(thread=fair, actor=user, reason="Fair is over")
    registry_import(
        kind="organisations",
        stream=io.BytesIO(b"name,country\nImported Cluster,NL\n"),
        fmt="csv",
        filename=f"{USERNAME}-clusters.csv",
        actor=user,
    )
    account_services.role_revoke(user=user, role=Role.PROGRAMME_OFFICER, actor=officer)
    collab_services.partner_search_close(
        search=own_search,
        actor=user,
        outcome=PartnerSearchOutcome.FOUND_PARTNERS,
        note=f"Found, thanks. {LAST}",
    )
    # Notifications, a digest, an admin log entry about them, a logged-in session.
    notification_services.notification_send(
        user=user, kind="label_update", title="Label news", body=f"Dear {FIRST}"
    )
    notification_services.digest_send(period="daily")
    LogEntry.objects.create(
        user=officer,
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(user.pk),
        object_repr=USERNAME,
        action_flag=CHANGE,
        change_message=json.dumps([{"changed": {"fields": ["Email address"]}}]),
    )
    client = Client()
    assert client.login(username=USERNAME, password=PASSWORD)
    return user


def _text_columns(model):
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(
            f,
            (models.CharField, models.TextField, models.JSONField, models.GenericIPAddressField),
        )
    ]


def _leftovers(needles):
    """(model, field, value) of every text cell, in every table, holding one of ``needles``."""
    found = []
    lowered = [n.lower() for n in needles]
    for model in apps.get_models():
        columns = _text_columns(model)
        if not columns:
            continue
        for row in model._base_manager.values_list(*[c.attname for c in columns]):
            for column, value in zip(columns, row, strict=True):
                if value is None:
                    continue
                text = value if isinstance(value, str) else json.dumps(value, cls=DjangoJSONEncoder)
                if any(n in text.lower() for n in lowered):
                    found.append((model._meta.label, column.name, text[:120]))
    return found


def test_the_subject_is_everywhere_before_deletion(subject):
    """The scan finds the person in many tables: it would catch a missing erase hook."""
    tables = {model for model, _field, _value in _leftovers(NEEDLES)}
    assert tables >= {
        "accounts.User",
        "accounts.ApiToken",
        "events.Registration",
        "events.Opportunity",
        "events.MeetingRequest",
        "events.Feedback",
        "labels.CharterSignature",
        "labels.LabelEvent",
        "calls.EvaluatorAssignment",
        "notifications.Notification",
        "core.AuditEntry",
        "admin.LogEntry",
        "core.ImportRun",
        "collaboration.PartnerSearch",
        "collaboration.PartnerSearchInterest",
        "collaboration.PartnerSearchComment",
        "collaboration.ForumThread",
        "collaboration.ForumPost",
    }


def test_account_deletion_leaves_no_personal_data_in_any_table(subject, world, officer):
    pk = subject.pk
    account_services.account_delete(user=subject, actor=subject, password=PASSWORD)
    assert _leftovers(NEEDLES) == []
    # the tombstone
    tombstone = User.objects.get(pk=pk)
    assert tombstone.is_deleted and not tombstone.is_active
    assert tombstone.email is None and not tombstone.has_usable_password()
    assert tombstone.display_name == "deleted user"
    assert not RoleGrant.objects.filter(user_id=pk).exists()
    assert not ApiToken.objects.filter(user_id=pk, revoked_at__isnull=True).exists()
    assert not Notification.objects.filter(user_id=pk).exists()
    assert not DigestBatch.objects.filter(user_id=pk).exists()
    assert not [s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(pk)]
    assert not Client().login(username=USERNAME, password=PASSWORD)
    # organisation and programme records stay
    assert ClusterOrganisation.objects.filter(pk=world.orgs[0].pk).exists()
    signature = CharterSignature.objects.get(signed_by_id=pk)
    assert signature.representative_name == ERASED and signature.ip_address is None
    past, future = (
        Registration.objects.get(user_id=pk, event__name=n) for n in ("Past fair", "Future fair")
    )
    assert past.status == RegistrationStatus.APPROVED and past.profile == ""
    assert Feedback.objects.get(registration=past).rating == 5  # statistics keep the rating
    assert future.status == RegistrationStatus.CANCELLED
    assert not Meeting.objects.filter(
        bookings__registration=future, status=MeetingStatus.SCHEDULED
    ).exists()
    assessment = EvaluatorAssignment.objects.get(evaluator_id=pk)
    assert assessment.coi_note == ERASED and assessment.has_conflict is False
    assert Score.objects.filter(assignment=assessment, comment="solid").exists()
    # collaboration: the organisation's request and interest stay, authored content is
    # anonymised (HTML rendered again), what was only about the person is gone
    own_search = PartnerSearch.objects.get(author_id=pk)
    assert own_search.organisation == world.orgs[0] and own_search.author_name == "deleted user"
    assert own_search.description == "Write to [deleted user]."
    assert (
        own_search.closed_by_id == pk and own_search.outcome_note == "Found, thanks. [deleted user]"
    )
    interest = PartnerSearchInterest.objects.get(user_id=pk)
    assert interest.message == ERASED and interest.is_active
    assert interest.organisation == world.orgs[0]
    assert not PartnerSearchFollow.objects.filter(user_id=pk).exists()
    assert not ForumSubscription.objects.filter(user_id=pk).exists()
    assert not ForumThreadRead.objects.filter(user_id=pk).exists()
    thread = ForumThread.objects.get(author_id=pk)
    assert thread.title == "Hello from [deleted user]"
    [opening] = thread.posts.all()
    assert opening.body == r"I am \[deleted user\] (\[deleted user\]). Ask \[deleted user\]!"
    assert opening.body_html == "<p>I am [deleted user] ([deleted user]). Ask [deleted user]!</p>"
    reply = ForumPost.objects.get(author_id=pk, thread__title="Trade fair in Lyon")
    assert reply.hidden_by == officer and reply.hidden_reason == "Contact details"
    assert reply.body_html == render_markdown(reply.body) and "[deleted user]" in reply.body_html
    quote = ForumPost.objects.get(hidden_by_id=pk)  # a post they hid as a moderator
    assert quote.author == world.reps[1] and quote.hidden_reason == "Quotes [deleted user]"
    assert quote.body_html == render_markdown(quote.body) and quote.thread.locked_by_id == pk
    comment = PartnerSearchComment.objects.get(author_id=pk)
    assert comment.body_html == render_markdown(comment.body)
    with pytest.raises(PermissionDenied):  # nobody acts as the tombstone
        collab_services.forum_post_edit(post=opening, actor=tombstone, body="I am back")
    run = ImportRun.objects.get(actor_id=pk)  # the programme's record of the import stays
    assert run.filename == "[erased]-clusters.csv" and run.status == "succeeded"
    entry = AuditEntry.objects.filter(action="account.delete").get()
    assert entry.target_pk == str(pk) and entry.data["by"] == "self"
    with pytest.raises(DomainError):  # already deleted
        account_services.account_delete(user=tombstone, actor=None)


def test_deletion_needs_the_password_or_an_officer(subject, officer, user):
    with pytest.raises(DomainError):
        account_services.account_delete(user=subject, actor=subject, password="wrong password")
    with pytest.raises(PermissionDenied):
        account_services.account_delete(user=subject, actor=user)
    subject.refresh_from_db()
    assert not subject.is_deleted and subject.email == EMAIL
    account_services.account_delete(user=subject, actor=officer)
    subject.refresh_from_db()
    assert subject.is_deleted
    assert AuditEntry.objects.get(action="account.delete").actor == officer


def test_export_holds_everything_personal_and_no_secret(subject):
    client = Client()
    client.force_login(subject)
    response = client.get("/account/my-data.json")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    sections = data["sections"]
    assert sections["accounts"]["profile"]["email"] == EMAIL
    assert {r["role"] for r in sections["accounts"]["roles"]} == {"cluster_manager", "participant"}
    [token] = sections["accounts"]["api_tokens"]
    assert token["name"] == f"{PHRASE} laptop" and "digest" not in token
    digest = ApiToken.objects.get(user=subject).digest
    assert digest not in response.content.decode()
    assert "pbkdf2" not in response.content.decode() and "md5$" not in response.content.decode()
    past = next(r for r in sections["events"]["registrations"] if r["event"] == "Past fair")
    assert past["profile"] == f"We build {PHRASE} systems."
    assert past["opportunities"][0]["title"] == f"{PHRASE} kits"
    assert past["requests_sent"][0]["message"] == f"Let us talk {PHRASE}."
    assert past["feedback"][0]["comment"] == f"Great {PHRASE} chat"
    [signature] = sections["labels"]["charter_signatures"]
    assert signature["representative_name"] == f"{FIRST} {LAST}" and signature["ip_address"] == IP
    [evaluation] = sections["calls"]["evaluations"]
    assert evaluation["coi_note"].endswith("ties") and len(evaluation["scores"]) == 2
    notes = sections["notifications"]["notifications"]
    assert any(n["body"] == f"Dear {FIRST}" for n in notes)
    assert sections["notifications"]["email_preferences"][0]["email"] == "daily"
    collab = sections["collaboration"]
    [own_search] = collab["partner_searches"]
    assert own_search["description"] == f"Write to {EMAIL}." and own_search["status"] == "closed"
    [interest] = collab["interests"]
    assert interest["message"] == f"Between us: our {PHRASE} plan."
    assert interest["search__title"] == "Consortium for smart textiles"
    assert {f["search__title"] for f in collab["follows"]} == {
        own_search["title"],
        "Consortium for smart textiles",
    }
    [comment] = collab["comments"]
    assert comment["body"] == f"**{FIRST} {LAST}** here: mail {EMAIL}"
    assert [t["title"] for t in collab["forum_threads"]] == [f"Hello from {FIRST} {LAST}"]
    posts = {p["thread__title"]: p for p in collab["forum_posts"]}
    assert posts["Trade fair in Lyon"]["body"] == f"Me too! _{FIRST} {LAST}_, <{EMAIL}>"
    assert posts["Trade fair in Lyon"]["hidden_reason"] == "Contact details"
    assert posts["Trade fair in Lyon"]["edited_at"] is not None
    assert {(s["space__slug"], s["thread__title"]) for s in collab["forum_subscriptions"]} == {
        ("programme", None),
        (None, f"Hello from {FIRST} {LAST}"),
        (None, "Trade fair in Lyon"),
    }
    assert [r["thread__title"] for r in collab["forum_read_markers"]] == ["Trade fair in Lyon"]
    moderation = {(a["action"], a["what"]) for a in collab["moderation_actions"]}
    assert moderation == {
        ("hide", "forumpost"),
        ("lock", "forumthread"),
        ("close", "partnersearch"),
    }
    actions = {e["action"] for e in sections["core"]["actions_by_you"]}
    assert {"api_token.create", "account.visibility", "event.request_decline"} <= actions
    [run] = sections["core"]["imports_by_you"]
    assert run["filename"] == f"{USERNAME}-clusters.csv" and run["kind"] == "registry.organisations"
    about = {e["action"] for e in sections["core"]["entries_about_you"]}
    assert "role.grant" in about
    assert AuditEntry.objects.filter(action="account.export", actor=subject).exists()


def test_account_pages(client, user):
    assert client.get("/account/").status_code == 302  # login required
    client.force_login(user)
    page = client.get("/account/").content.decode()
    assert "Download my data (JSON)" in page and "Delete my account" in page
    response = client.post(
        "/account/",
        {"first_name": "Ada", "last_name": "Lovelace", "profile_visibility": "public"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.get_full_name(), user.profile_visibility) == ("Ada Lovelace", "public")
    consent = AuditEntry.objects.get(action="account.visibility")
    assert consent.data == {"from": "private", "to": "public"}
    bad = client.post("/account/delete/", {"password": "not it", "confirm": "on"})
    assert bad.status_code == 200 and "The password is not correct." in bad.content.decode()
    unconfirmed = client.post("/account/delete/", {"password": PASSWORD})
    assert unconfirmed.status_code == 200
    user.refresh_from_db()
    assert not user.is_deleted
    done = client.post("/account/delete/", {"password": PASSWORD, "confirm": "on"}, follow=True)
    assert "Your account is deleted" in done.content.decode()
    user.refresh_from_db()
    assert user.is_deleted
    assert client.get("/account/").status_code == 302  # logged out


def test_privacy_page_is_public_and_linked_in_the_footer(client, db):
    page = client.get("/privacy/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Your rights and how to use them" in html and "How long" in html
    assert 'href="/privacy/"' in client.get("/").content.decode()


# --- profile visibility on the participant pages -----------------------------------------------


@pytest.mark.parametrize(
    ("visibility", "co_participant_sees", "outsider_sees"),
    [
        (ProfileVisibility.PRIVATE, False, False),
        (ProfileVisibility.PARTICIPANTS, True, False),
        (ProfileVisibility.PUBLIC, True, True),
    ],
)
def test_directory_shows_contacts_only_with_consent(
    client,
    make_event,
    make_participant,
    organiser,
    user,
    visibility,
    co_participant_sees,
    outsider_sees,
):
    event = make_event()
    person = make_participant(event, country="FR")
    person.user.first_name, person.user.last_name = "Grace", "Hopper"
    person.user.profile_visibility = visibility
    person.user.save()
    viewer = make_participant(event, country="DE")

    def sees(who, *, in_directory=True) -> bool:
        client.force_login(who)
        detail = client.get(f"/events/{event.slug}/participants/{person.pk}/").content.decode()
        assert ("Grace Hopper" in detail) == (person.user.email in detail)
        if in_directory:
            listing = client.get(f"/events/{event.slug}/participants/").content.decode()
            assert ("Grace Hopper" in listing) == ("Grace Hopper" in detail)
        return "Grace Hopper" in detail

    assert sees(viewer.user) is co_participant_sees
    assert sees(user) is outsider_sees
    assert sees(organiser) is True  # the organiser always sees who registered
    assert sees(person.user, in_directory=False) is True  # the directory lists the others


def test_delete_account_command_and_admin_action(client, officer, user):
    from io import StringIO

    from django.core.management import CommandError, call_command

    out = StringIO()
    call_command("delete_account", user.username, "--dry-run", stdout=out)
    assert "would delete user" in out.getvalue()
    user.refresh_from_db()
    assert not user.is_deleted
    call_command("delete_account", user.username, stdout=out)
    user.refresh_from_db()
    assert user.is_deleted and user.email is None
    with pytest.raises(CommandError):
        call_command("delete_account", user.username)  # the username no longer exists
    other = User.objects.create_user(username="to-erase", email="erase@example.org")
    client.force_login(officer)
    response = client.post(
        "/admin/accounts/user/",
        {"action": "erase_accounts", "_selected_action": [other.pk]},
        follow=True,
    )
    assert "1 account(s) deleted and erased." in response.content.decode()
    other.refresh_from_db()
    assert other.is_deleted


def test_admin_offers_erasure_not_hard_deletion(client, officer, user):
    client.force_login(officer)
    page = client.get("/admin/accounts/user/").content.decode()
    assert "erase_accounts" in page and "delete_selected" not in page
    assert client.get(f"/admin/accounts/user/{user.pk}/delete/").status_code == 403
