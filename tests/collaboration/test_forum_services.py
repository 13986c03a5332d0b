"""Forum services and selectors: generated spaces, permissions (partnership spaces private),
threads ordered by activity with post counts and unread markers, edit window, locking,
hiding with audit rows, subscriptions and notifications, search."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from escp4i.collaboration import selectors, services
from escp4i.collaboration.models import ForumSpace, ForumThread, SpaceKind
from escp4i.core.errors import Conflict, NotFound, PermissionDenied
from escp4i.core.models import AuditEntry
from escp4i.notifications.models import Notification, NotificationKind


def _kinds(user) -> list[str]:
    return list(Notification.objects.filter(user=user).values_list("kind", flat=True))


def test_spaces_generated_for_every_source_and_idempotent(world, spaces):
    assert spaces["programme"].kind == SpaceKind.PROGRAMME
    assert spaces["partnership-abpack"].partnership == world.partnership
    assert spaces["sector-space"].sector.slug == "space"
    assert spaces["market-jp"].country_id == "JP"  # targeted by ABPACK
    assert sum(1 for s in spaces.values() if s.kind == SpaceKind.SECTOR) == 8
    again = services.forum_spaces_sync()
    assert (again.created, again.updated, again.archived) == (0, 0, 0)
    assert again.unchanged == len(spaces)


def test_space_archived_when_its_source_goes_and_back_when_it_returns(world, spaces):
    world.partnership.target_countries.clear()
    summary = services.forum_spaces_sync()
    assert summary.archived == 1
    market = ForumSpace.objects.get(slug="market-jp")
    assert market.archived_at is not None
    with pytest.raises(Conflict, match="archived"):
        services.forum_thread_create(space=market, actor=world.author, title="t", body="b")
    world.partnership.target_countries.add("JP")
    assert services.forum_spaces_sync().updated == 1
    market.refresh_from_db()
    assert market.archived_at is None


def test_dry_run_writes_nothing(world):
    summary = services.forum_spaces_sync(dry_run=True)
    assert summary.created > 0 and not ForumSpace.objects.exists()


@pytest.mark.parametrize(
    ("who", "reads"),
    [("author", True), ("other", True), ("officer", True), ("third", False), ("loner", False)],
)
def test_partnership_space_only_for_members_and_officers(world, spaces, who, reads):
    space = spaces["partnership-abpack"]
    actor = getattr(world, who)
    readable = {s.slug for s in selectors.forum_space_list(actor=actor)}
    assert ("partnership-abpack" in readable) is reads
    assert "programme" in readable  # open spaces are for every signed-in user
    if reads:
        thread = services.forum_thread_create(
            space=space, actor=actor, title="Meeting in Tokyo", body="Who comes?"
        )
        assert selectors.access_forum_thread(actor=actor, thread_id=thread.pk) == thread
    else:
        with pytest.raises(NotFound):
            selectors.access_forum_space(actor=actor, slug=space.slug)
        with pytest.raises(NotFound):
            services.forum_thread_create(space=space, actor=actor, title="x", body="y")


def test_coordinator_grant_opens_the_partnership_space(world, spaces):
    from escp4i.accounts.models import Role
    from escp4i.accounts.services import role_grant

    role_grant(user=world.loner, role=Role.PARTNERSHIP_COORDINATOR, partnership=world.partnership)
    selectors.access_forum_space(actor=world.loner, slug="partnership-abpack")


def test_anonymous_users_read_nothing(world, spaces):
    from django.contrib.auth.models import AnonymousUser

    assert not selectors.forum_space_list(actor=AnonymousUser()).exists()
    with pytest.raises(NotFound):
        selectors.access_forum_space(actor=AnonymousUser(), slug="programme")


def test_thread_validation(world, spaces):
    with pytest.raises(ValidationError) as info:
        services.forum_thread_create(
            space=spaces["programme"], actor=world.author, title=" ", body=""
        )
    assert set(info.value.message_dict) == {"title", "body"}
    assert not ForumThread.objects.exists()


def test_threads_by_last_activity_with_counts_and_unread(world, spaces):
    space = spaces["programme"]
    old = services.forum_thread_create(space=space, actor=world.author, title="Old", body="1")
    services.forum_thread_create(space=space, actor=world.other, title="New", body="1")
    assert [t.title for t in selectors.forum_thread_list(actor=world.third, space=space)] == [
        "New",
        "Old",
    ]
    reply = services.forum_post_create(thread=old, actor=world.third, body="2")
    services.forum_post_create(thread=old, actor=world.author, body="3")
    rows = list(selectors.forum_thread_list(actor=world.third, space=space))
    assert [(t.title, t.post_count) for t in rows] == [("Old", 3), ("New", 1)]
    assert [t.is_read for t in rows] == [False, False]
    services.forum_thread_mark_read(thread=old, actor=world.third)
    rows = list(selectors.forum_thread_list(actor=world.third, space=space))
    assert [t.is_read for t in rows] == [True, False]
    services.forum_post_hide(post=reply, actor=world.officer, reason="Off topic")
    counts = {
        t.title: t.post_count for t in selectors.forum_thread_list(actor=world.third, space=space)
    }
    assert counts == {"Old": 2, "New": 1}


def test_locked_thread_rejects_posts_and_edits(world, spaces):
    thread = services.forum_thread_create(
        space=spaces["programme"], actor=world.author, title="Lockable", body="Hello"
    )
    first = thread.posts.get()
    with pytest.raises(PermissionDenied):
        services.forum_thread_lock(thread=thread, actor=world.author)
    services.forum_thread_lock(thread=thread, actor=world.officer, reason="Resolved")
    assert AuditEntry.objects.get(action="forum_thread.lock").data == {"reason": "Resolved"}
    with pytest.raises(Conflict, match=r"This thread is locked: it takes no new posts\."):
        services.forum_post_create(thread=thread, actor=world.other, body="Late")
    with pytest.raises(Conflict, match="locked"):
        services.forum_post_edit(post=first, actor=world.author, body="Changed")
    services.forum_thread_unlock(thread=thread, actor=world.officer)
    services.forum_post_create(thread=thread, actor=world.other, body="Now")
    assert thread.posts.count() == 2


def test_edit_own_post_within_window_marks_edited(world, spaces, settings):
    settings.ESCP4I_FORUM_EDIT_WINDOW_MINUTES = 30
    thread = services.forum_thread_create(
        space=spaces["programme"], actor=world.author, title="Typo", body="Helo"
    )
    post = thread.posts.get()
    with pytest.raises(PermissionDenied):
        services.forum_post_edit(post=post, actor=world.other, body="Hacked")
    services.forum_post_edit(post=post, actor=world.author, body="Hello **all**")
    post.refresh_from_db()
    assert post.edited_at is not None and "<strong>all</strong>" in post.body_html
    assert AuditEntry.objects.get(action="forum_post.edit").data == {"previous_body": "Helo"}
    late = post.created_at + dt.timedelta(minutes=31)
    with pytest.raises(Conflict, match="30 minutes"):
        services.forum_post_edit(post=post, actor=world.author, body="Again", now=late)


def test_hidden_post_and_thread_visibility(world, spaces):
    thread = services.forum_thread_create(
        space=spaces["programme"], actor=world.author, title="Spam?", body="Buy now"
    )
    reply = services.forum_post_create(thread=thread, actor=world.other, body="Cheap pills")
    with pytest.raises(PermissionDenied):
        services.forum_post_hide(post=reply, actor=world.author, reason="Spam")
    services.forum_post_hide(post=reply, actor=world.officer, reason="Spam")
    assert AuditEntry.objects.get(action="forum_post.hide").data == {"reason": "Spam"}
    assert NotificationKind.CONTENT_MODERATED in _kinds(world.other)
    assert reply not in selectors.forum_post_list(actor=world.third, thread=thread)
    assert reply in selectors.forum_post_list(actor=world.other, thread=thread)  # its author
    assert reply in selectors.forum_post_list(actor=world.officer, thread=thread)
    with pytest.raises(NotFound):
        selectors.access_forum_post(actor=world.third, post_id=reply.pk)
    services.forum_thread_hide(thread=thread, actor=world.officer, reason="Spam thread")
    with pytest.raises(NotFound):
        selectors.access_forum_thread(actor=world.third, thread_id=thread.pk)
    assert selectors.access_forum_thread(actor=world.author, thread_id=thread.pk)
    assert not selectors.forum_thread_list(actor=world.third, space=spaces["programme"]).exists()
    with pytest.raises(Conflict, match="hid this thread"):
        services.forum_post_create(thread=thread, actor=world.author, body="Why?")
    services.forum_thread_unhide(thread=thread, actor=world.officer)
    services.forum_post_unhide(post=reply, actor=world.officer)
    assert reply in selectors.forum_post_list(actor=world.third, thread=thread)


def test_subscriptions_and_notifications(world, spaces):
    space = spaces["partnership-abpack"]
    services.forum_subscribe(actor=world.other, space=space)
    services.forum_subscribe(actor=world.other, space=space)  # idempotent
    with pytest.raises(NotFound):  # not a member: cannot subscribe to the private space
        services.forum_subscribe(actor=world.third, space=space)
    thread = services.forum_thread_create(
        space=space, actor=world.author, title="Tokyo trip", body="Dates?"
    )
    assert _kinds(world.other) == [NotificationKind.FORUM_POST]
    assert "New thread in" in Notification.objects.get(user=world.other).title
    assert _kinds(world.author) == []  # the author, subscribed to the thread
    services.forum_post_create(thread=thread, actor=world.other, body="June")
    assert _kinds(world.author) == [NotificationKind.FORUM_POST]
    assert len(_kinds(world.other)) == 1  # never for one's own post
    note = Notification.objects.filter(user=world.author).get()
    assert note.url.endswith(f"#post-{thread.posts.last().pk}")
    assert services.forum_unsubscribe(actor=world.author, thread=thread)
    services.forum_post_create(thread=thread, actor=world.other, body="Or July")
    assert len(_kinds(world.author)) == 1


def test_subscribers_who_lost_access_are_not_notified(world, spaces):
    space = spaces["partnership-abpack"]
    services.forum_subscribe(actor=world.other, space=space)
    world.partnership.memberships.filter(organisation=world.org_b).delete()
    services.forum_thread_create(space=space, actor=world.author, title="Private", body="x")
    assert _kinds(world.other) == []


def test_search_respects_access_and_hiding(world, spaces):
    services.forum_thread_create(
        space=spaces["partnership-abpack"], actor=world.author, title="Secret plan", body="sushi"
    )
    public = services.forum_thread_create(
        space=spaces["programme"], actor=world.author, title="Open", body="Sushi for all"
    )
    assert [p.thread.title for p in selectors.forum_search(actor=world.third, query="SUSHI")] == [
        "Open"
    ]
    assert selectors.forum_search(actor=world.other, query="sushi").count() == 2
    services.forum_post_hide(post=public.posts.get(), actor=world.officer, reason="x")
    assert not selectors.forum_search(actor=world.third, query="sushi").exists()
    assert not selectors.forum_search(actor=world.third, query="  ").exists()


def test_rerender_markup_refreshes_stored_html(world, spaces, make_search):
    from django.core.management import call_command

    from escp4i.collaboration.models import ForumPost, PartnerSearchComment

    thread = services.forum_thread_create(
        space=spaces["programme"], actor=world.author, title="t", body="**x**"
    )
    comment = services.partner_search_comment_add(
        search=make_search(), actor=world.other, body="_y_"
    )
    ForumPost.objects.filter(thread=thread).update(body_html="<script>stale</script>")
    assert services.markup_rerender(dry_run=True).posts_changed == 1
    assert ForumPost.objects.get(thread=thread).body_html == "<script>stale</script>"
    call_command("rerender_markup")
    assert ForumPost.objects.get(thread=thread).body_html == "<p><strong>x</strong></p>"
    assert PartnerSearchComment.objects.get(pk=comment.pk).body_html == "<p><em>y</em></p>"
    summary = services.markup_rerender()
    assert (summary.posts_changed, summary.comments_changed, summary.unchanged) == (0, 0, 2)


def test_sync_command_reports(world, capsys):
    from django.core.management import call_command

    call_command("sync_forum_spaces", "--dry-run")
    assert "(dry run, nothing saved)" in capsys.readouterr().out
    assert not ForumSpace.objects.exists()
    call_command("sync_forum_spaces")
    assert "created" in capsys.readouterr().out and ForumSpace.objects.exists()
