"""Forum pages through the Django client: login, private partnership spaces, thread lists with
htmx search and pagination, replies, locked threads, editing and quoting, moderation markers,
subscriptions, search, and query ceilings."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from escp4i.collaboration import services
from escp4i.collaboration.models import ForumPost, ForumSubscription, ForumThread

INDEX = reverse("collaboration:forum-index")


def _space_url(slug: str) -> str:
    return reverse("collaboration:forum-space", args=[slug])


def _thread_url(thread) -> str:
    return reverse("collaboration:forum-thread", args=[thread.pk])


def _thread(world, spaces, slug="programme", title="Welcome", body="Hello **everyone**"):
    return services.forum_thread_create(
        space=spaces[slug], actor=world.author, title=title, body=body
    )


def test_forum_needs_login(client, world, spaces):
    response = client.get(INDEX)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_index_groups_spaces_and_hides_other_partnerships(
    client, world, spaces, django_assert_max_num_queries
):
    client.force_login(world.third)
    with django_assert_max_num_queries(6):
        body = client.get(INDEX).content.decode()
    assert "Programme-wide" in body and "Focus areas" in body and "Third-country markets" in body
    assert "ABPACK" not in body
    assert "Your organisation belongs to no partnership with a forum space." in body
    assert client.get(_space_url("partnership-abpack")).status_code == 404
    client.force_login(world.other)
    assert "ABPACK: Alpha Beta Packaging Abroad" in client.get(INDEX).content.decode()
    assert client.get(_space_url("partnership-abpack")).status_code == 200


def test_space_lists_threads_by_activity_with_htmx_search_and_pages(
    client, world, spaces, settings, django_assert_max_num_queries
):
    settings.ESCP4I_PAGE_SIZE = 5
    for n in range(7):
        _thread(world, spaces, title=f"Topic {n}", body=f"body {n}")
    oldest = ForumThread.objects.get(title="Topic 0")
    services.forum_post_create(thread=oldest, actor=world.other, body="Bump about sensors")
    client.force_login(world.third)
    with django_assert_max_num_queries(9):
        page = client.get(_space_url("programme"))
    body = page.content.decode()
    assert "7 threads" in body and 'rel="next"' in body
    assert body.index("Topic 0") < body.index("Topic 6")  # most recent activity first
    assert "unread" in body
    fragment = client.get(_space_url("programme"), {"q": "sensors"}, HTTP_HX_REQUEST="true")
    text = fragment.content.decode()
    assert "<html" not in text and "1 thread" in text and "Topic 0" in text
    empty = client.get(_space_url("programme"), {"q": "nothing-like-this"}).content.decode()
    assert "No thread matches this search." in empty


def test_thread_page_renders_posts_marks_read_and_ceiling(
    client, world, spaces, django_assert_max_num_queries
):
    thread = _thread(world, spaces)
    for n in range(6):
        services.forum_post_create(thread=thread, actor=world.other, body=f"reply *{n}*")
    client.force_login(world.third)
    with django_assert_max_num_queries(16):
        page = client.get(_thread_url(thread))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Hello <strong>everyone</strong>" in body and "reply <em>5</em>" in body
    space_page = client.get(_space_url("programme")).content.decode()
    assert "unread" not in space_page


def test_reply_and_clear_errors(client, world, spaces):
    thread = _thread(world, spaces)
    client.force_login(world.other)
    url = reverse("collaboration:forum-reply", args=[thread.pk])
    empty = client.post(url, {"body": "  "})
    assert empty.status_code == 422 and "This field is required." in empty.content.decode()
    response = client.post(url, {"body": "Count me in"})
    post = ForumPost.objects.get(body="Count me in")
    assert response.status_code == 302 and response["Location"].endswith(f"#post-{post.pk}")
    assert ForumSubscription.objects.filter(user=world.other, thread=thread).exists()


def test_locked_thread_rejects_replies_with_a_clear_message(client, world, spaces):
    thread = _thread(world, spaces)
    client.force_login(world.officer)
    moderate = reverse("collaboration:forum-thread-moderate", args=[thread.pk])
    client.post(moderate, {"action": "lock", "reason": "Done"})
    client.force_login(world.other)
    page = client.get(_thread_url(thread)).content.decode()
    assert 'data-testid="locked-notice"' in page and "Post reply" not in page
    response = client.post(
        reverse("collaboration:forum-reply", args=[thread.pk]), {"body": "Too late?"}
    )
    assert response.status_code == 422
    assert "This thread is locked: it takes no new posts." in response.content.decode()
    assert thread.posts.count() == 1


def test_only_officers_moderate_through_the_pages(client, world, spaces):
    thread = _thread(world, spaces)
    reply = services.forum_post_create(thread=thread, actor=world.other, body="Spammy")
    client.force_login(world.author)
    assert (
        client.post(
            reverse("collaboration:forum-thread-moderate", args=[thread.pk]), {"action": "lock"}
        ).status_code
        == 403
    )
    assert (
        client.post(
            reverse("collaboration:forum-post-moderate", args=[reply.pk]),
            {"action": "hide", "reason": "x"},
        ).status_code
        == 403
    )
    client.force_login(world.officer)
    client.post(
        reverse("collaboration:forum-post-moderate", args=[reply.pk]),
        {"action": "hide", "reason": "Advertising"},
    )
    officer_view = client.get(_thread_url(thread)).content.decode()
    assert "Spammy" in officer_view and "hidden by a moderator" in officer_view
    assert "Advertising" in officer_view
    client.force_login(world.third)
    assert "Spammy" not in client.get(_thread_url(thread)).content.decode()
    client.force_login(world.other)  # the author sees it, marked
    own = client.get(_thread_url(thread)).content.decode()
    assert "Spammy" in own and "hidden by a moderator" in own


def test_edit_own_post_within_window_and_edited_marker(client, world, spaces):
    thread = _thread(world, spaces)
    post = thread.posts.get()
    edit = reverse("collaboration:forum-post-edit", args=[post.pk])
    client.force_login(world.other)
    assert client.get(edit).status_code == 403
    assert edit not in client.get(_thread_url(thread)).content.decode()
    client.force_login(world.author)
    assert edit in client.get(_thread_url(thread)).content.decode()
    response = client.post(edit, {"body": "Hello _all_"})
    assert response.status_code == 302
    page = client.get(_thread_url(thread)).content.decode()
    assert "Hello <em>all</em>" in page and "edited" in page
    ForumPost.objects.filter(pk=post.pk).update(created_at=post.created_at - dt.timedelta(hours=2))
    late = client.post(edit, {"body": "Too late"})
    assert late.status_code == 422
    assert "that time has passed" in late.content.decode()
    assert edit not in client.get(_thread_url(thread)).content.decode()


def test_quote_prefills_the_reply(client, world, spaces):
    thread = _thread(world, spaces, body="Line one\nLine two")
    post = thread.posts.get()
    client.force_login(world.other)
    body = client.get(_thread_url(thread), {"quote": post.pk}).content.decode()
    assert "Alpha Packaging Cluster:\n\n&gt; Line one\n&gt; Line two" in body


def test_new_thread_page_and_subscriptions(client, world, spaces):
    client.force_login(world.other)
    new = reverse("collaboration:forum-thread-create", args=["sector-space"])
    bad = client.post(new, {"title": "", "body": ""})
    assert bad.status_code == 422
    response = client.post(new, {"title": "Satellites", "body": "Anyone?"})
    thread = ForumThread.objects.get(title="Satellites")
    assert response["Location"] == _thread_url(thread)
    subscribe = reverse("collaboration:forum-space-subscribe", args=["sector-space"])
    client.post(subscribe, {"action": "subscribe"})
    assert ForumSubscription.objects.filter(user=world.other, space__slug="sector-space").exists()
    client.post(subscribe, {"action": "unsubscribe"})
    assert not ForumSubscription.objects.filter(user=world.other, space__slug="sector-space")
    thread_sub = reverse("collaboration:forum-thread-subscribe", args=[thread.pk])
    client.post(thread_sub, {"action": "unsubscribe"})
    assert not ForumSubscription.objects.filter(user=world.other, thread=thread).exists()


def test_search_page_with_htmx(client, world, spaces):
    _thread(world, spaces, title="Packaging fair", body="Meet at **Interpack**")
    _thread(world, spaces, slug="partnership-abpack", title="Private", body="Interpack budget")
    client.force_login(world.third)
    url = reverse("collaboration:forum-search")
    assert "Type a word" in client.get(url).content.decode()
    fragment = client.get(url, {"q": "interpack"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment and "1 post found" in fragment
    assert "Packaging fair" in fragment and "Private" not in fragment


def test_officer_admin_lists_collaboration_tables(client, world, spaces, make_search):
    thread = _thread(world, spaces)
    search = make_search()
    client.force_login(world.officer)
    for url in (
        "/admin/collaboration/partnersearch/",
        f"/admin/collaboration/partnersearch/{search.pk}/change/",
        "/admin/collaboration/forumspace/",
        "/admin/collaboration/forumthread/",
        f"/admin/collaboration/forumthread/{thread.pk}/change/",
        "/admin/collaboration/forumpost/",
    ):
        assert client.get(url).status_code == 200, url
    client.force_login(world.author)
    assert client.get("/admin/collaboration/forumpost/").status_code == 302


def test_market_and_partnership_pages_link_to_the_collaboration_layer(client, world, spaces):
    body = client.get(reverse("collaboration:market-detail", args=["jp"])).content.decode()
    assert "?target_market=JP" in body
    assert _space_url("market-jp") in body
    partnership = reverse("web:partnership-detail", args=["abpack"])
    assert _space_url("partnership-abpack") not in client.get(partnership).content.decode()
    client.force_login(world.third)  # not a member
    assert _space_url("partnership-abpack") not in client.get(partnership).content.decode()
    client.force_login(world.other)
    assert _space_url("partnership-abpack") in client.get(partnership).content.decode()


def test_partnership_page_without_forum_space(client, world):
    client.force_login(world.other)  # spaces not generated yet
    response = client.get(reverse("web:partnership-detail", args=["abpack"]))
    assert response.status_code == 200 and "Forum space of this partnership" not in (
        response.content.decode()
    )
