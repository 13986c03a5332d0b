"""Account deletion in the collaboration app (collaboration/personal_data.py): whole-word,
case-insensitive scrubbing of authored posts with their HTML rendered again and still
sanitised; mentions in other people's text; interest messages and their inbox copies; the
inbox copies of posts; earlier versions of edited posts; the tombstone acts for nobody."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from escp4i.accounts.services import account_delete, api_token_create
from escp4i.collaboration import selectors, services
from escp4i.collaboration.markup import quote_markdown, render_markdown
from escp4i.collaboration.models import ForumPost, ForumThreadRead, PartnerSearchInterest
from escp4i.core.errors import NotFound, PermissionDenied
from escp4i.core.models import AuditEntry
from escp4i.core.privacy import ERASED
from escp4i.notifications.models import Notification, NotificationKind

from .conftest import PASSWORD

LABEL = "[deleted user]"
MD_LABEL = r"\[deleted user\]"


@pytest.fixture
def ada(world):
    """world.author with a name: Ada Byron, username "author", author@example.org."""
    world.author.first_name, world.author.last_name = "Ada", "Byron"
    world.author.save()
    return world.author


def _delete(user) -> None:
    account_delete(user=user, actor=None)


def test_own_post_scrubbed_whole_word_any_case_and_rendered_again(ada, spaces):
    body = (
        "ADA BYRON here (Author@Example.org), ada for short, _Ada_ on Fridays.\n\n"
        "Adam, Byronic and adab stay. Byron's plan, by the author.\n\n"
        "<script>alert('ada')</script> [ada](javascript:alert(1)) Ada(x)"
    )
    thread = services.forum_thread_create(
        space=spaces["programme"], actor=ada, title="Ada asks", body=body
    )
    _delete(ada)
    post = thread.posts.get()
    assert post.body == (
        f"{MD_LABEL} here ({MD_LABEL}), {MD_LABEL} for short, _{MD_LABEL}_ on Fridays.\n\n"
        f"Adam, Byronic and adab stay. {MD_LABEL}'s plan, by the {MD_LABEL}.\n\n"
        f"<script>alert('{MD_LABEL}')</script> [{MD_LABEL}](javascript:alert(1)) {MD_LABEL}(x)"
    )
    assert post.body_html == render_markdown(post.body)
    html = post.body_html
    assert "<em>[deleted user]</em>" in html and "Adam, Byronic and adab stay." in html
    assert "<script" not in html and "javascript:" not in html
    assert 'href="x"' not in html  # the label never turns "Name(x)" into a link
    assert "ada" not in html.lower().replace("adam", "").replace("adab", "")
    thread.refresh_from_db()
    assert thread.title == f"{LABEL} asks" and thread.author_name == "deleted user"


def test_others_text_loses_only_unambiguous_identifiers_and_quote_headers(world, ada, spaces):
    world.loner.first_name, world.loner.last_name = "Lone", "Ranger"
    world.loner.save()
    thread = services.forum_thread_create(
        space=spaces["programme"], actor=world.loner, title="Tips", body="Ask Lone Ranger."
    )
    original = thread.posts.get()
    # The web quotes a user without an organisation by username (views_forum).
    reply = services.forum_post_create(
        thread=thread,
        actor=world.other,
        body=quote_markdown(original.body, author=original.author_name)
        + "Thanks LONE RANGER (loner@example.org). Lone wolves and the loner stay.",
    )
    unrelated = services.forum_post_create(
        thread=thread, actor=world.third, body="Ada Byron, Ada and the author are someone else."
    )
    _delete(world.loner)
    reply.refresh_from_db()
    assert reply.body == (
        f"{MD_LABEL}:\n\n> Ask {MD_LABEL}.\n\n"
        f"Thanks {MD_LABEL} ({MD_LABEL}). Lone wolves and the loner stay."
    )
    assert reply.body_html == render_markdown(reply.body)
    unrelated.refresh_from_db()
    assert unrelated.body == "Ada Byron, Ada and the author are someone else."


def test_interest_message_erased_in_row_and_inbox_copies_across_reexpression(world, make_search):
    from escp4i.accounts.models import User

    search = make_search()
    colleague_b = User.objects.create_user(
        username="colleague-b", email="cb@example.org", organisation=world.org_b
    )
    first = services.partner_interest_express(
        search=search, actor=world.other, message="First secret offer."
    )
    services.partner_interest_withdraw(interest=first, actor=world.other)
    services.partner_interest_express(
        search=search, actor=world.other, message="Second secret offer."
    )
    services.partner_interest_express(search=search, actor=world.third, message="Gamma writes.")
    inbox = Notification.objects.filter(user=world.author, kind=NotificationKind.PARTNER_INTEREST)
    assert sorted(inbox.values_list("body", flat=True)) == [
        "First secret offer.",
        "Gamma writes.",
        "Second secret offer.",
    ]
    _delete(world.other)
    assert sorted(inbox.values_list("body", flat=True)) == sorted([ERASED, ERASED, "Gamma writes."])
    interest = PartnerSearchInterest.objects.get(search=search, organisation=world.org_b)
    assert interest.message == ERASED and interest.is_active  # the organisation's interest stays
    assert selectors.partner_search_list(actor=world.author).get(pk=search.pk).interest_count == 2
    # a colleague takes the interest over: their own message is theirs and stays
    services.partner_interest_withdraw(interest=interest, actor=colleague_b)
    services.partner_interest_express(search=search, actor=colleague_b, message="Colleague here.")
    assert inbox.filter(body="Colleague here.").exists()


def test_inbox_copies_of_posts_and_titles_scrubbed(world, ada, spaces):
    programme = spaces["programme"]
    services.forum_subscribe(actor=world.colleague, space=programme)
    thread = services.forum_thread_create(
        space=programme, actor=ada, title="Ada's question", body="Ada asks: who comes?"
    )
    services.forum_post_create(thread=thread, actor=world.other, body="I come, Ada.")
    inbox = Notification.objects.filter(user=world.colleague, kind=NotificationKind.FORUM_POST)
    assert inbox.count() == 2
    _delete(ada)
    new_thread, reply = inbox.order_by("pk")
    assert "[deleted user]'s question" in new_thread.title and "Ada" not in new_thread.title
    assert new_thread.body == f"{LABEL} asks: who comes?"  # excerpt of their own post
    assert "[deleted user]'s question" in reply.title
    assert reply.body == "I come, Ada."  # someone else's text: a first name alone stays


def test_earlier_versions_of_edited_posts_scrubbed(ada, spaces):
    thread = services.forum_thread_create(
        space=spaces["programme"], actor=ada, title="Hello", body="Mail ada@example.org"
    )
    post = thread.posts.get()
    services.forum_post_edit(post=post, actor=ada, body="Mail Ada Byron")
    _delete(ada)
    entry = AuditEntry.objects.get(action="forum_post.edit")
    assert entry.data["previous_body"] == f"Mail {MD_LABEL}@example.org"
    post.refresh_from_db()
    assert post.body == f"Mail {MD_LABEL}"


def test_follows_subscriptions_and_read_markers_deleted(world, ada, spaces, make_search):
    search = make_search()
    services.partner_search_follow(search=search, actor=ada)
    thread = services.forum_thread_create(
        space=spaces["programme"], actor=ada, title="Hello", body="Hi"
    )
    services.forum_subscribe(actor=ada, space=spaces["programme"])
    services.forum_thread_mark_read(thread=thread, actor=ada)
    _delete(ada)
    assert not search.follows.exists()
    assert not ada.forum_subscriptions.exists()
    assert not ForumThreadRead.objects.filter(user=ada).exists()
    services.forum_thread_mark_read(thread=thread, actor=ada)  # the tombstone leaves no trace
    assert not ForumThreadRead.objects.filter(user=ada).exists()


def test_deleted_author_is_shown_as_deleted_user_and_acts_for_nobody(
    client, world, spaces, make_search
):
    person = world.loner  # acts for no organisation: pages name the user, not the organisation
    search = make_search(actor=world.other, title="Beta seeks")
    comment = services.partner_search_comment_add(search=search, actor=person, body="Count me in")
    thread = services.forum_thread_create(
        space=spaces["programme"], actor=world.third, title="Open question", body="Anyone?"
    )
    post = services.forum_post_create(thread=thread, actor=person, body="Me")
    services.forum_post_hide(post=post, actor=world.officer, reason="Spam")
    own = services.forum_thread_create(
        space=spaces["programme"], actor=person, title="My thread", body="Mine"
    )
    token = api_token_create(user=person, name="laptop")[1]
    _delete(person)
    person.refresh_from_db()
    tombstone_name = person.username
    client.force_login(world.other)
    pages = [
        client.get(f"/collaboration/partner-search/{search.pk}/"),
        client.get(f"/collaboration/forum/t/{own.pk}/"),
        client.get("/collaboration/forum/s/programme/"),
    ]
    for page in pages:
        html = page.content.decode()
        assert page.status_code == 200 and "deleted user" in html and tombstone_name not in html
    comments = client.get(f"/api/v1/collaboration/partner-searches/{search.pk}/comments")
    assert [c["author"] for c in json.loads(comments.content)] == ["deleted user"]
    comment.refresh_from_db()
    assert comment.author_name == "deleted user"
    # the tombstone: no login, no token, no edit, no view of "its" hidden post
    assert not Client().login(username=tombstone_name, password=PASSWORD)
    api = Client().get(
        "/api/v1/collaboration/forum/spaces", headers={"Authorization": f"Bearer {token}"}
    )
    assert api.status_code == 401
    with pytest.raises(PermissionDenied):
        services.forum_post_edit(post=ForumPost.objects.get(pk=post.pk), actor=person, body="x")
    with pytest.raises(NotFound):
        selectors.access_forum_post(actor=person, post_id=post.pk)
