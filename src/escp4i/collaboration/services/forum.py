"""Forum writes: generating the spaces from the registry, threads and posts (Markdown rendered
and sanitised at save time), editing one's own post within the edit window, subscriptions, read
markers, and moderation (lock and unlock threads; hide and unhide threads and posts).

Who may do what (checked here, whatever the caller): any signed-in user who may read a space
posts in it (partnership spaces: members, coordinators, officers); authors edit their own posts
for ``ESCP4I_FORUM_EDIT_WINDOW_MINUTES``; programme officers moderate. Locked threads and
archived spaces take no posts. Moderation writes audit rows with the reason.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from escp4i.accounts.models import User
from escp4i.collaboration import notify
from escp4i.collaboration.markup import MAX_SOURCE_LENGTH, render_markdown
from escp4i.collaboration.models import (
    ForumPost,
    ForumSpace,
    ForumSubscription,
    ForumThread,
    ForumThreadRead,
    SpaceKind,
)
from escp4i.collaboration.selectors.directory import market_list
from escp4i.collaboration.selectors.forum import (
    forum_can_moderate,
    forum_space_can_post,
    forum_space_can_read,
    space_readers,
    space_subscribers,
    thread_subscribers,
)
from escp4i.core.audit import audit_record
from escp4i.core.errors import Conflict, NotFound, PermissionDenied
from escp4i.registry.models import Country, Partnership, Region, Sector

PROGRAMME_SLUG = "programme"
MAX_TITLE_LENGTH = 200
MAX_REASON_LENGTH = 500

# --- spaces ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SpaceSyncSummary:
    created: int
    updated: int
    archived: int
    unchanged: int


def _wanted_spaces() -> list[dict[str, Any]]:
    """One space per source row. Names are data (English, as the registry holds them)."""
    wanted: list[dict[str, Any]] = [
        {
            "slug": PROGRAMME_SLUG,
            "kind": SpaceKind.PROGRAMME,
            "name": "ESCP-4i programme",
            "description": "Questions and news for everyone in the programme.",
        }
    ]
    for partnership in Partnership.objects.order_by("slug"):
        wanted.append(
            {
                "slug": f"partnership-{partnership.slug}"[:100],
                "kind": SpaceKind.PARTNERSHIP,
                "name": f"{partnership.acronym}: {partnership.name}"[:300],
                "description": "",
                "partnership": partnership,
            }
        )
    for sector in Sector.objects.order_by("position", "slug"):
        wanted.append(
            {
                "slug": f"sector-{sector.slug}"[:100],
                "kind": SpaceKind.SECTOR,
                "name": sector.name,
                "description": "",
                "sector": sector,
            }
        )
    countries = {c.code: c for c in Country.objects.all()}
    regions = {r.slug: r for r in Region.objects.all()}
    for market in market_list():
        source: dict[str, Any] = (
            {"region": regions[market.code]}
            if market.is_region
            else {"country": countries[market.code]}
        )
        wanted.append(
            {
                "slug": f"market-{market.code.lower()}"[:100],
                "kind": SpaceKind.MARKET,
                "name": market.name,
                "description": "",
                **source,
            }
        )
    return wanted


_SOURCES = ("partnership", "sector", "country", "region")


@transaction.atomic
def forum_spaces_sync(*, dry_run: bool = False) -> SpaceSyncSummary:
    """Create the missing spaces (programme-wide, one per partnership, focus area and
    third-country market), refresh their names, archive the spaces whose source is gone and
    bring back the ones whose source returned. Idempotent; threads are never deleted."""
    now = timezone.now()
    existing = {s.slug: s for s in ForumSpace.objects.all()}
    created = updated = unchanged = 0
    seen: set[str] = set()
    for spec in _wanted_spaces():
        slug = spec["slug"]
        seen.add(slug)
        fields = {name: spec.get(name) for name in ("kind", "name", *_SOURCES)}
        space = existing.get(slug)
        if space is None:
            space = ForumSpace(slug=slug, description=spec["description"], **fields)
            space.full_clean()
            space.save()
            created += 1
            continue
        changed = [
            name
            for name, value in fields.items()
            if getattr(space, name if name not in _SOURCES else f"{name}_id")
            != (value.pk if name in _SOURCES and value is not None else value)
        ]
        if space.archived_at is not None:
            space.archived_at = None
            changed.append("archived_at")
        if not changed:
            unchanged += 1
            continue
        for name in changed:
            if name != "archived_at":
                setattr(space, name, fields[name])
        space.full_clean()
        space.save()
        updated += 1
    archived = (
        ForumSpace.objects.exclude(slug__in=seen)
        .filter(archived_at__isnull=True)
        .update(archived_at=now)
    )
    summary = SpaceSyncSummary(created, updated, archived, unchanged)
    if dry_run:
        transaction.set_rollback(True)
    return summary


# --- helpers --------------------------------------------------------------------------------


def _signed_in(actor: User) -> None:
    if not actor.is_authenticated or not actor.is_active:
        raise PermissionDenied(_("Log in to take part in the forum."))


def _require_moderator(actor: User) -> None:
    if not forum_can_moderate(actor=actor):
        raise PermissionDenied(_("Only programme officers moderate."))


def _require_post_in(actor: User, space: ForumSpace) -> None:
    _signed_in(actor)
    if not forum_space_can_read(actor=actor, space=space):
        raise NotFound(_("No such forum space."), slug=space.slug)
    if not forum_space_can_post(actor=actor, space=space):
        raise Conflict(_("This space is archived: it takes no new posts."))


def _require_thread_open(thread: ForumThread) -> None:
    if thread.is_locked:
        raise Conflict(_("This thread is locked: it takes no new posts."))
    if thread.is_hidden:
        raise Conflict(_("A moderator hid this thread: it takes no new posts."))


def _body(body: str) -> str:
    text = body.strip()
    if not text:
        raise ValidationError({"body": [_("Write something.")]})
    if len(text) > MAX_SOURCE_LENGTH:
        raise ValidationError({"body": [_("At most %(n)d characters.") % {"n": MAX_SOURCE_LENGTH}]})
    return text


def _reason(reason: str) -> str:
    text = reason.strip()
    if not text:
        raise ValidationError({"reason": [_("Give a reason: the author will see it.")]})
    if len(text) > MAX_REASON_LENGTH:
        raise ValidationError(
            {"reason": [_("At most %(n)d characters.") % {"n": MAX_REASON_LENGTH}]}
        )
    return text


def _subscribe_thread(actor: User, thread: ForumThread) -> None:
    ForumSubscription.objects.get_or_create(user=actor, thread=thread)


def _notify(post: ForumPost, users: QuerySet[User], actor: User, *, new_thread: bool) -> None:
    readers = space_readers(space=post.thread.space, users=users)
    notify.forum_posted(post, notify.recipients_except(readers, actor), new_thread=new_thread)


def _new_post(thread: ForumThread, actor: User, text: str, *, is_synthetic: bool) -> ForumPost:
    post = ForumPost(
        thread=thread,
        author=actor,
        organisation=actor.organisation,
        body=text,
        body_html=render_markdown(text),
        is_synthetic=is_synthetic,
    )
    post.full_clean()
    post.save()
    return post


# --- threads and posts ----------------------------------------------------------------------


@transaction.atomic
def forum_thread_create(
    *, space: ForumSpace, actor: User, title: str, body: str, is_synthetic: bool = False
) -> ForumThread:
    """Open a thread with its first post. The author subscribes to it; the space's
    subscribers who may read it are notified."""
    _require_post_in(actor, space)
    errors: dict[str, list[str]] = {}
    clean_title = " ".join(title.split())
    if not clean_title:
        errors["title"] = [_("Give the thread a title.")]
    elif len(clean_title) > MAX_TITLE_LENGTH:
        errors["title"] = [_("At most %(n)d characters.") % {"n": MAX_TITLE_LENGTH}]
    try:
        text = _body(body)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    thread = ForumThread(
        space=space,
        title=clean_title,
        author=actor,
        organisation=actor.organisation,
        last_activity_at=timezone.now(),
        is_synthetic=is_synthetic,
    )
    thread.full_clean()
    thread.save()
    post = _new_post(thread, actor, text, is_synthetic=is_synthetic)
    ForumThread.objects.filter(pk=thread.pk).update(last_activity_at=post.created_at)
    thread.last_activity_at = post.created_at
    _subscribe_thread(actor, thread)
    _notify(post, space_subscribers(space=space), actor, new_thread=True)
    return thread


@transaction.atomic
def forum_post_create(
    *, thread: ForumThread, actor: User, body: str, is_synthetic: bool = False
) -> ForumPost:
    """Reply in a thread (not locked, not hidden, space not archived). The poster subscribes
    to the thread; the thread's and the space's subscribers who may read it are notified."""
    _require_post_in(actor, thread.space)
    locked = ForumThread.objects.select_for_update().get(pk=thread.pk)
    thread.locked_at, thread.hidden_at = locked.locked_at, locked.hidden_at
    _require_thread_open(thread)
    post = _new_post(thread, actor, _body(body), is_synthetic=is_synthetic)
    ForumThread.objects.filter(pk=thread.pk).update(last_activity_at=post.created_at)
    thread.last_activity_at = post.created_at
    _subscribe_thread(actor, thread)
    _notify(post, thread_subscribers(thread=thread), actor, new_thread=False)
    return post


def edit_window() -> dt.timedelta:
    return dt.timedelta(minutes=settings.ESCP4I_FORUM_EDIT_WINDOW_MINUTES)


def forum_post_editable_until(post: ForumPost) -> dt.datetime:
    return post.created_at + edit_window()


@transaction.atomic
def forum_post_edit(
    *, post: ForumPost, actor: User, body: str, now: dt.datetime | None = None
) -> ForumPost:
    """Change one's own post within the edit window; the post is marked "edited"."""
    _signed_in(actor)
    if post.author_id != actor.pk:
        raise PermissionDenied(_("You can only edit your own posts."))
    moment = now or timezone.now()
    if moment > forum_post_editable_until(post):
        raise Conflict(
            _("Posts can be edited for %(n)d minutes after posting; that time has passed.")
            % {"n": settings.ESCP4I_FORUM_EDIT_WINDOW_MINUTES}
        )
    if post.is_hidden:
        raise Conflict(_("A moderator hid this post: it cannot be edited."))
    _require_thread_open(post.thread)
    text = _body(body)
    if text == post.body:
        return post
    previous = post.body
    post.body = text
    post.body_html = render_markdown(text)
    post.edited_at = moment
    post.full_clean()
    post.save(update_fields=["body", "body_html", "edited_at", "updated_at"])
    audit_record(
        actor=actor, action="forum_post.edit", target=post, data={"previous_body": previous}
    )
    return post


# --- subscriptions and read markers ---------------------------------------------------------


@transaction.atomic
def forum_subscribe(
    *, actor: User, thread: ForumThread | None = None, space: ForumSpace | None = None
) -> ForumSubscription:
    """Subscribe to a thread or to a whole space (idempotent)."""
    _signed_in(actor)
    if (thread is None) == (space is None):
        raise ValueError("Subscribe to exactly one of a thread or a space.")
    target_space = thread.space if thread is not None else space
    assert target_space is not None  # noqa: S101  # one of the two is set (checked above)
    if not forum_space_can_read(actor=actor, space=target_space):
        raise NotFound(_("No such forum space."), slug=target_space.slug)
    subscription, _created = ForumSubscription.objects.get_or_create(
        user=actor, thread=thread, space=space
    )
    return subscription


@transaction.atomic
def forum_unsubscribe(
    *, actor: User, thread: ForumThread | None = None, space: ForumSpace | None = None
) -> bool:
    if (thread is None) == (space is None):
        raise ValueError("Unsubscribe from exactly one of a thread or a space.")
    deleted, _by_model = ForumSubscription.objects.filter(
        user=actor, thread=thread, space=space
    ).delete()
    return bool(deleted)


def forum_thread_mark_read(*, thread: ForumThread, actor: User) -> None:
    """Remember that ``actor`` has seen the thread as it is now (signed-in, active users)."""
    if not actor.is_authenticated or not actor.is_active:
        return
    ForumThreadRead.objects.update_or_create(
        user=actor, thread=thread, defaults={"read_at": timezone.now()}
    )


# --- moderation -----------------------------------------------------------------------------


@transaction.atomic
def forum_thread_lock(*, thread: ForumThread, actor: User, reason: str = "") -> ForumThread:
    """Lock a thread (officers): it stays readable and takes no new posts or edits."""
    _require_moderator(actor)
    if thread.is_locked:
        raise Conflict(_("This thread is already locked."))
    thread.locked_at = timezone.now()
    thread.locked_by = actor
    thread.save(update_fields=["locked_at", "locked_by", "updated_at"])
    audit_record(
        actor=actor, action="forum_thread.lock", target=thread, data={"reason": reason.strip()}
    )
    return thread


@transaction.atomic
def forum_thread_unlock(*, thread: ForumThread, actor: User) -> ForumThread:
    _require_moderator(actor)
    if not thread.is_locked:
        raise Conflict(_("This thread is not locked."))
    thread.locked_at = None
    thread.locked_by = None
    thread.save(update_fields=["locked_at", "locked_by", "updated_at"])
    audit_record(actor=actor, action="forum_thread.unlock", target=thread, data={})
    return thread


def _hide(obj: ForumThread | ForumPost, actor: User, reason: str, action: str) -> None:
    _require_moderator(actor)
    text = _reason(reason)
    if obj.is_hidden:
        raise Conflict(_("This is already hidden."))
    obj.hidden_at = timezone.now()
    obj.hidden_by = actor
    obj.hidden_reason = text
    obj.save(update_fields=["hidden_at", "hidden_by", "hidden_reason", "updated_at"])
    audit_record(actor=actor, action=action, target=obj, data={"reason": text})


def _unhide(obj: ForumThread | ForumPost, actor: User, action: str) -> None:
    _require_moderator(actor)
    if not obj.is_hidden:
        raise Conflict(_("This is not hidden."))
    previous = obj.hidden_reason
    obj.hidden_at = None
    obj.hidden_by = None
    obj.hidden_reason = ""
    obj.save(update_fields=["hidden_at", "hidden_by", "hidden_reason", "updated_at"])
    audit_record(actor=actor, action=action, target=obj, data={"previous_reason": previous})


@transaction.atomic
def forum_thread_hide(*, thread: ForumThread, actor: User, reason: str) -> ForumThread:
    """Hide a thread (officers) with a reason kept in the audit trail; the author is told."""
    _hide(thread, actor, reason, "forum_thread.hide")
    notify.content_hidden(
        thread.author, what=_("thread"), reason=thread.hidden_reason, url=notify.thread_url(thread)
    )
    return thread


@transaction.atomic
def forum_thread_unhide(*, thread: ForumThread, actor: User) -> ForumThread:
    _unhide(thread, actor, "forum_thread.unhide")
    return thread


@transaction.atomic
def forum_post_hide(*, post: ForumPost, actor: User, reason: str) -> ForumPost:
    """Hide a post (officers) with a reason kept in the audit trail; the author is told."""
    _hide(post, actor, reason, "forum_post.hide")
    notify.content_hidden(
        post.author, what=_("post"), reason=post.hidden_reason, url=notify.post_url(post)
    )
    return post


@transaction.atomic
def forum_post_unhide(*, post: ForumPost, actor: User) -> ForumPost:
    _unhide(post, actor, "forum_post.unhide")
    return post
