"""Partner-search services: validation, permissions (success and failure on one setup),
interests, following, comments, closing, moderation, notifications and audit rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from escp4i.collaboration import services
from escp4i.collaboration.models import PartnerSearchInterest, PartnerSearchStatus
from escp4i.core.errors import Conflict, PermissionDenied
from escp4i.core.models import AuditEntry
from escp4i.notifications.models import Notification, NotificationKind

from .conftest import in_days


def _kinds(user) -> list[str]:
    return list(Notification.objects.filter(user=user).values_list("kind", flat=True))


# --- create and validate -------------------------------------------------------------------


def test_create_resolves_codes_and_follows(world, make_search):
    search = make_search(countries_sought=["de", " it "], target_markets=["jp", "ASEAN"])
    assert search.organisation == world.org_a and search.author == world.author
    assert sorted(c.code for c in search.countries_sought.all()) == ["DE", "IT"]
    assert [c.code for c in search.target_countries.all()] == ["JP"]
    assert [r.slug for r in search.target_regions.all()] == ["asean"]
    assert search.follows.filter(user=world.author).exists()
    assert search.display_status == "open"
    assert AuditEntry.objects.filter(action="partner_search.create", target_pk=str(search.pk))


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"deadline": dt.date(2020, 1, 1)}, "deadline", "The deadline must be in the future."),
        ({"deadline": "today"}, "deadline", "The deadline must be in the future."),
        ({"deadline": in_days(800)}, "deadline", "The deadline must be within two years."),
        (
            {"sectors": [], "description": "  "},
            "__all__",
            "Give at least one sector or a description.",
        ),
        ({"countries_sought": ["DE", "XX", "Germany"]}, "countries_sought", "XX, GERMANY"),
        ({"target_markets": ["middle-earth"]}, "target_markets", "MIDDLE-EARTH"),
        ({"sectors": ["astrology"]}, "sectors", "Unknown sectors: astrology"),
        ({"kind": "dating"}, "kind", "Choose a kind of partner search."),
        ({"title": " "}, "title", "Give the request a title."),
    ],
)
def test_create_rejects_bad_input_with_field_errors(world, make_search, overrides, field, message):
    from django.utils import timezone

    if overrides.get("deadline") == "today":
        overrides["deadline"] = timezone.localdate()
    with pytest.raises(ValidationError) as info:
        make_search(**overrides)
    assert field in info.value.message_dict
    assert any(message in m for m in info.value.message_dict[field])
    assert not world.org_a.partner_searches.exists()


def test_description_alone_or_sectors_alone_are_enough(make_search):
    assert make_search(sectors=[], description="Only words.").pk
    assert make_search(description="").pk


def test_create_needs_an_organisation(world, make_search):
    with pytest.raises(PermissionDenied):
        make_search(actor=world.loner)


# --- edit and close: only the posting organisation ---------------------------------------


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("author", True),
        ("colleague", True),
        ("other", False),
        ("officer", False),
        ("loner", False),
    ],
)
def test_only_posting_organisation_edits(world, make_search, who, allowed):
    search = make_search()
    world.other.partner_search_follows.create(search=search)
    actor = getattr(world, who)
    if allowed:
        services.partner_search_update(search=search, actor=actor, title="New title")
        search.refresh_from_db()
        assert search.title == "New title"
        assert _kinds(world.other) == [NotificationKind.PARTNER_SEARCH_UPDATED]
    else:
        with pytest.raises(PermissionDenied):
            services.partner_search_update(search=search, actor=actor, title="New title")
        search.refresh_from_db()
        assert search.title == "Partners for smart packaging in Japan"
        assert _kinds(world.other) == []


def test_update_validates_again_and_reports_changed_fields(world, make_search):
    search = make_search()
    world.third.partner_search_follows.create(search=search)
    with pytest.raises(ValidationError):
        services.partner_search_update(search=search, actor=world.author, deadline=in_days(-1))
    services.partner_search_update(
        search=search, actor=world.author, deadline=in_days(60), target_markets=["US"]
    )
    note = Notification.objects.get(user=world.third)
    assert "deadline" in note.body and "target markets" in note.body
    # Nothing changed: no notification, no audit row.
    services.partner_search_update(search=search, actor=world.author, title=search.title)
    assert Notification.objects.filter(user=world.third).count() == 1
    assert AuditEntry.objects.filter(action="partner_search.update").count() == 1


def test_expired_request_needs_a_new_deadline(world, make_search):
    search = make_search()
    search.deadline = in_days(-2)
    search.save()
    assert search.display_status == "expired"
    with pytest.raises(ValidationError):
        services.partner_search_update(search=search, actor=world.author, title="Still here")
    services.partner_search_update(search=search, actor=world.author, deadline=in_days(10))
    search.refresh_from_db()
    assert search.display_status == "open"


@pytest.mark.parametrize(("who", "allowed"), [("colleague", True), ("other", False)])
def test_close_with_outcome_notifies_followers_and_interested(world, make_search, who, allowed):
    search = make_search()
    services.partner_interest_express(search=search, actor=world.other, message="We are in.")
    Notification.objects.all().delete()
    actor = getattr(world, who)
    if not allowed:
        with pytest.raises(PermissionDenied):
            services.partner_search_close(search=search, actor=actor, outcome="found_partners")
        search.refresh_from_db()
        assert search.status == PartnerSearchStatus.OPEN
        return
    services.partner_search_close(
        search=search, actor=actor, outcome="found_partners", note="Beta joins us."
    )
    search.refresh_from_db()
    assert search.status == PartnerSearchStatus.CLOSED and search.outcome == "found_partners"
    assert search.closed_by == world.colleague and search.closed_at is not None
    assert _kinds(world.other) == [NotificationKind.PARTNER_SEARCH_CLOSED]
    assert _kinds(world.author) == [NotificationKind.PARTNER_SEARCH_CLOSED]
    entry = AuditEntry.objects.get(action="partner_search.close")
    assert entry.data == {"outcome": "found_partners", "note": "Beta joins us."}


def test_closed_request_is_read_only(world, make_search):
    search = make_search()
    with pytest.raises(ValidationError):
        services.partner_search_close(search=search, actor=world.author, outcome="bored")
    services.partner_search_close(search=search, actor=world.author, outcome="withdrawn")
    for attempt in (
        lambda: services.partner_search_close(
            search=search, actor=world.author, outcome="withdrawn"
        ),
        lambda: services.partner_search_update(search=search, actor=world.author, title="x"),
        lambda: services.partner_interest_express(search=search, actor=world.other, message="x"),
        lambda: services.partner_search_comment_add(search=search, actor=world.other, body="x"),
    ):
        with pytest.raises(Conflict):
            attempt()


# --- interest --------------------------------------------------------------------------------


def test_interest_notifies_author_once_per_organisation_and_can_be_withdrawn(world, make_search):
    search = make_search()
    interest = services.partner_interest_express(
        search=search, actor=world.other, message="  We know Japanese retailers.  "
    )
    assert interest.message == "We know Japanese retailers."
    note = Notification.objects.get(user=world.author)
    assert note.kind == NotificationKind.PARTNER_INTEREST
    assert "Beta Food Valley" in note.title and note.url.endswith(f"/{search.pk}/")
    assert search.follows.filter(user=world.other).exists()
    # A colleague of the same organisation cannot express it a second time.
    colleague_b = type(world.other).objects.create_user(
        username="beta2", email="b2@example.org", organisation=world.org_b
    )
    with pytest.raises(Conflict):
        services.partner_interest_express(search=search, actor=colleague_b, message="Again")
    # Only the interested organisation withdraws it.
    with pytest.raises(PermissionDenied):
        services.partner_interest_withdraw(interest=interest, actor=world.author)
    services.partner_interest_withdraw(interest=interest, actor=colleague_b)
    with pytest.raises(Conflict):
        services.partner_interest_withdraw(interest=interest, actor=world.other)
    # ... and may express it again: the same row comes back.
    again = services.partner_interest_express(search=search, actor=world.other, message="Back")
    assert again.pk == interest.pk and again.is_active
    assert PartnerSearchInterest.objects.count() == 1


@pytest.mark.parametrize(
    ("who", "error"),
    [("third", None), ("colleague", PermissionDenied), ("loner", PermissionDenied)],
)
def test_who_may_express_interest(world, make_search, who, error):
    search = make_search()
    actor = getattr(world, who)
    if error is None:
        services.partner_interest_express(search=search, actor=actor, message="Hello")
        assert search.interests.count() == 1
    else:
        with pytest.raises(error):
            services.partner_interest_express(search=search, actor=actor, message="Hello")
        assert search.interests.count() == 0


def test_interest_needs_a_message_and_an_unexpired_request(world, make_search):
    search = make_search()
    with pytest.raises(ValidationError):
        services.partner_interest_express(search=search, actor=world.other, message=" ")
    search.deadline = in_days(-1)
    search.save()
    with pytest.raises(Conflict, match="deadline"):
        services.partner_interest_express(search=search, actor=world.other, message="Hi")


# --- follow and comment --------------------------------------------------------------------


def test_follow_unfollow_and_comment_notifications(world, make_search):
    search = make_search()
    services.partner_search_follow(search=search, actor=world.third)
    services.partner_search_follow(search=search, actor=world.third)  # idempotent
    assert search.follows.filter(user=world.third).count() == 1
    comment = services.partner_search_comment_add(
        search=search, actor=world.other, body="Is **Korea** in scope?"
    )
    assert "<strong>Korea</strong>" in comment.body_html
    assert _kinds(world.third) == [NotificationKind.PARTNER_SEARCH_COMMENTED]
    assert _kinds(world.author) == [NotificationKind.PARTNER_SEARCH_COMMENTED]
    assert _kinds(world.other) == []  # the commenter, now a follower
    assert services.partner_search_unfollow(search=search, actor=world.third)
    assert not services.partner_search_unfollow(search=search, actor=world.third)
    services.partner_search_comment_add(search=search, actor=world.author, body="Yes.")
    assert _kinds(world.third) == [NotificationKind.PARTNER_SEARCH_COMMENTED]
    assert _kinds(world.other) == [NotificationKind.PARTNER_SEARCH_COMMENTED]


# --- moderation ----------------------------------------------------------------------------


@pytest.mark.parametrize(("who", "allowed"), [("officer", True), ("author", False)])
def test_hide_needs_officer_and_reason_kept_in_audit(world, make_search, who, allowed):
    search = make_search()
    actor = getattr(world, who)
    if not allowed:
        with pytest.raises(PermissionDenied):
            services.partner_search_hide(search=search, actor=actor, reason="Spam")
        search.refresh_from_db()
        assert not search.is_hidden
        return
    with pytest.raises(ValidationError):
        services.partner_search_hide(search=search, actor=actor, reason="  ")
    services.partner_search_hide(search=search, actor=actor, reason="Advertising")
    search.refresh_from_db()
    assert search.is_hidden and search.hidden_reason == "Advertising"
    entry = AuditEntry.objects.get(action="partner_search.hide")
    assert entry.data == {"reason": "Advertising"} and entry.actor == world.officer
    assert _kinds(world.author) == [NotificationKind.CONTENT_MODERATED]
    with pytest.raises(Conflict):
        services.partner_interest_express(search=search, actor=world.other, message="x")
    services.partner_search_unhide(search=search, actor=actor)
    search.refresh_from_db()
    assert not search.is_hidden
    assert AuditEntry.objects.get(action="partner_search.unhide").data == {
        "previous_reason": "Advertising"
    }


def test_comment_hide_and_unhide(world, make_search):
    search = make_search()
    comment = services.partner_search_comment_add(search=search, actor=world.other, body="Buy!")
    with pytest.raises(PermissionDenied):
        services.partner_search_comment_hide(comment=comment, actor=world.author, reason="x")
    services.partner_search_comment_hide(comment=comment, actor=world.officer, reason="Spam")
    assert AuditEntry.objects.get(action="partner_search_comment.hide").data == {"reason": "Spam"}
    assert NotificationKind.CONTENT_MODERATED in _kinds(world.other)
    with pytest.raises(Conflict):
        services.partner_search_comment_hide(comment=comment, actor=world.officer, reason="x")
    services.partner_search_comment_unhide(comment=comment, actor=world.officer)
    comment.refresh_from_db()
    assert not comment.is_hidden


def test_list_orders_open_then_expired_then_closed(world, make_search):
    from escp4i.collaboration import selectors
    from escp4i.collaboration.models import PartnerSearch

    closed = make_search(title="Closed")
    services.partner_search_close(search=closed, actor=world.author, outcome="withdrawn")
    expired = make_search(title="Expired")
    PartnerSearch.objects.filter(pk=expired.pk).update(deadline=in_days(-1))
    make_search(title="Open old")
    make_search(title="Open new")
    titles = [s.title for s in selectors.partner_search_list(actor=world.third)]
    assert titles == ["Open new", "Open old", "Expired", "Closed"]
