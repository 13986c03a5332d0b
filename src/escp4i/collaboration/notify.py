"""Notifications sent by the collaboration services (in-app, e-mailed after commit by the
notifications app). The services choose the recipients; this module phrases the messages."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse
from django.utils.translation import gettext as _

from escp4i.accounts.models import User
from escp4i.collaboration.models import (
    ForumPost,
    ForumThread,
    PartnerSearch,
    PartnerSearchComment,
    PartnerSearchInterest,
)
from escp4i.notifications.models import NotificationKind
from escp4i.notifications.services import notification_send

EXCERPT = 300


def search_url(search: PartnerSearch) -> str:
    return reverse("collaboration:partner-search-detail", kwargs={"search_id": search.pk})


def thread_url(thread: ForumThread) -> str:
    return reverse("collaboration:forum-thread", kwargs={"thread_id": thread.pk})


def post_url(post: ForumPost) -> str:
    url = reverse("collaboration:forum-thread", kwargs={"thread_id": post.thread_id})
    return f"{url}#post-{post.pk}"


def excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1] + "…"


def recipients_except(users: Iterable[User | None], actor: User | None) -> list[User]:
    """Active users, each once, in a stable order, without the actor."""
    seen: dict[int, User] = {}
    for user in users:
        if user is None or not user.is_active:
            continue
        if actor is not None and user.pk == actor.pk:
            continue
        seen.setdefault(user.pk, user)
    return [seen[pk] for pk in sorted(seen)]


def interest_expressed(interest: PartnerSearchInterest, recipients: Iterable[User]) -> None:
    search = interest.search
    for user in recipients:
        notification_send(
            user=user,
            kind=NotificationKind.PARTNER_INTEREST,
            title=_("%(org)s is interested in your partner search “%(title)s”")
            % {"org": interest.organisation.name, "title": search.title},
            body=excerpt(interest.message),
            url=search_url(search),
        )


def search_updated(search: PartnerSearch, recipients: Iterable[User], changed: list[str]) -> None:
    for user in recipients:
        notification_send(
            user=user,
            kind=NotificationKind.PARTNER_SEARCH_UPDATED,
            title=_("Partner search updated: “%(title)s”") % {"title": search.title},
            body=_("Changed: %(fields)s") % {"fields": ", ".join(changed)},
            url=search_url(search),
        )


def search_commented(comment: PartnerSearchComment, recipients: Iterable[User]) -> None:
    search = comment.search
    who = comment.organisation.name if comment.organisation else str(comment.author)
    for user in recipients:
        notification_send(
            user=user,
            kind=NotificationKind.PARTNER_SEARCH_COMMENTED,
            title=_("%(who)s commented on “%(title)s”") % {"who": who, "title": search.title},
            body=excerpt(comment.body),
            url=f"{search_url(search)}#comment-{comment.pk}",
        )


def search_closed(search: PartnerSearch, recipients: Iterable[User]) -> None:
    for user in recipients:
        notification_send(
            user=user,
            kind=NotificationKind.PARTNER_SEARCH_CLOSED,
            title=_("Partner search closed: “%(title)s”") % {"title": search.title},
            body=_("Outcome: %(outcome)s") % {"outcome": search.get_outcome_display()}
            + (f"\n\n{excerpt(search.outcome_note)}" if search.outcome_note else ""),
            url=search_url(search),
        )


def content_hidden(user: User | None, *, what: str, reason: str, url: str) -> None:
    """Tell the author that a moderator hid their content, and why."""
    if user is None or not user.is_active:
        return
    notification_send(
        user=user,
        kind=NotificationKind.CONTENT_MODERATED,
        title=_("A moderator hid your %(what)s") % {"what": what},
        body=_("Reason: %(reason)s") % {"reason": reason},
        url=url,
    )


def forum_posted(post: ForumPost, recipients: Iterable[User], *, new_thread: bool) -> None:
    thread = post.thread
    who = post.organisation.name if post.organisation else str(post.author)
    if new_thread:
        title = _("New thread in %(space)s: “%(title)s”") % {
            "space": thread.space.display_name,
            "title": thread.title,
        }
    else:
        title = _("%(who)s replied in “%(title)s”") % {"who": who, "title": thread.title}
    for user in recipients:
        notification_send(
            user=user,
            kind=NotificationKind.FORUM_POST,
            title=title,
            body=excerpt(post.body),
            url=post_url(post),
        )
