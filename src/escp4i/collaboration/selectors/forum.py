"""Forum reads: who may read and post where, spaces, threads by last activity (post counts and
unread markers), posts, subscriptions and search.

The forum is for signed-in users. Programme-wide, focus-area and market spaces are open to all
of them; a partnership's space only to the users of its member organisations, its coordinators
and programme officers. Hidden threads and posts are seen only by moderators (programme
officers) and by their author, both with a marker. Access selectors raise ``NotFound`` in every
other case, so a private space or a hidden post never leaks.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from escp4i.accounts.models import Role, RoleGrant, User
from escp4i.accounts.selectors import user_coordinated_partnership_ids, user_is_officer
from escp4i.collaboration.models import (
    ForumPost,
    ForumSpace,
    ForumSubscription,
    ForumThread,
    ForumThreadRead,
    SpaceKind,
)
from escp4i.core.errors import NotFound
from escp4i.registry.models import Membership

AnyUser = User | AnonymousUser

# Cached on the user object for the length of a request (like the role cache).
_MEMBER_CACHE = "_escp4i_member_partnership_ids"


def forum_can_moderate(*, actor: AnyUser) -> bool:
    return user_is_officer(actor)


def _signed_in(actor: AnyUser) -> bool:
    return bool(actor.is_authenticated and actor.is_active)


def member_partnership_ids(actor: AnyUser) -> set[int]:
    """Partnerships whose space the actor may use: those of the organisation they act for,
    plus the ones they coordinate."""
    if not _signed_in(actor):
        return set()
    cached: set[int] | None = getattr(actor, _MEMBER_CACHE, None)
    if cached is None:
        organisation_id = getattr(actor, "organisation_id", None)
        cached = set(user_coordinated_partnership_ids(actor))
        if organisation_id is not None:
            cached |= set(
                Membership.objects.filter(organisation_id=organisation_id).values_list(
                    "partnership_id", flat=True
                )
            )
        setattr(actor, _MEMBER_CACHE, cached)
    return cached


def forum_space_can_read(*, actor: AnyUser, space: ForumSpace) -> bool:
    if not _signed_in(actor):
        return False
    if space.kind != SpaceKind.PARTNERSHIP:
        return True
    if forum_can_moderate(actor=actor):
        return True
    return space.partnership_id in member_partnership_ids(actor)


def forum_space_can_post(*, actor: AnyUser, space: ForumSpace) -> bool:
    return space.archived_at is None and forum_space_can_read(actor=actor, space=space)


def _sees_hidden(actor: AnyUser, author_id: int | None) -> bool:
    if forum_can_moderate(actor=actor):
        return True
    return _signed_in(actor) and author_id is not None and actor.pk == author_id


def forum_thread_can_see(*, actor: AnyUser, thread: ForumThread) -> bool:
    if not forum_space_can_read(actor=actor, space=thread.space):
        return False
    if not thread.is_hidden:
        return True
    return _sees_hidden(actor, thread.author_id)


def forum_post_can_edit(*, actor: AnyUser, post: ForumPost) -> bool:
    """Own post, thread neither locked nor hidden, post not hidden (the time window is checked
    by the service, which knows the clock)."""
    if not _signed_in(actor) or post.author_id != actor.pk:
        return False
    if post.is_hidden:
        return False
    return not post.thread.is_locked and not post.thread.is_hidden


def readable_space_filter(actor: AnyUser) -> Q:
    """The spaces ``actor`` may read, as a filter on ForumSpace."""
    if not _signed_in(actor):
        return Q(pk__in=[])
    if forum_can_moderate(actor=actor):
        return Q()
    return ~Q(kind=SpaceKind.PARTNERSHIP) | Q(partnership_id__in=member_partnership_ids(actor))


def space_readers(*, space: ForumSpace, users: QuerySet[User]) -> QuerySet[User]:
    """Of ``users``, the active ones who may read ``space`` (for notifications)."""
    users = users.filter(is_active=True)
    partnership = space.partnership_id
    if space.kind != SpaceKind.PARTNERSHIP or partnership is None:
        return users
    members = Membership.objects.filter(partnership_id=partnership).values("organisation_id")
    coordinators = RoleGrant.objects.filter(
        role=Role.PARTNERSHIP_COORDINATOR, partnership_id=partnership
    ).values("user_id")
    officers = RoleGrant.objects.filter(role=Role.PROGRAMME_OFFICER).values("user_id")
    return users.filter(
        Q(organisation_id__in=members)
        | Q(pk__in=coordinators)
        | Q(pk__in=officers)
        | Q(is_superuser=True)
    )


# --- fetching -------------------------------------------------------------------------------


def access_forum_space(*, actor: AnyUser, slug: str) -> ForumSpace:
    space = (
        ForumSpace.objects.select_related("partnership", "sector", "country", "region")
        .filter(slug=slug)
        .first()
    )
    if space is None:
        raise NotFound(_("No such forum space."), slug=slug)
    if not forum_space_can_read(actor=actor, space=space):
        raise NotFound(_("No such forum space."), slug=slug)
    return space


def access_forum_thread(*, actor: AnyUser, thread_id: int) -> ForumThread:
    thread = (
        ForumThread.objects.select_related("space", "author", "organisation")
        .filter(pk=thread_id)
        .first()
    )
    if thread is None:
        raise NotFound(_("No such thread."), id=thread_id)
    if not forum_thread_can_see(actor=actor, thread=thread):
        raise NotFound(_("No such thread."), id=thread_id)
    return thread


def access_forum_post(*, actor: AnyUser, post_id: int) -> ForumPost:
    post = (
        ForumPost.objects.select_related("thread__space", "author", "organisation")
        .filter(pk=post_id)
        .first()
    )
    if post is None:
        raise NotFound(_("No such post."), id=post_id)
    if not forum_thread_can_see(actor=actor, thread=post.thread):
        raise NotFound(_("No such post."), id=post_id)
    if post.is_hidden and not _sees_hidden(actor, post.author_id):
        raise NotFound(_("No such post."), id=post_id)
    return post


# --- lists ----------------------------------------------------------------------------------


def forum_space_list(*, actor: AnyUser, include_archived: bool = False) -> QuerySet[ForumSpace]:
    """Spaces the actor may read, with their number of visible threads."""
    qs = ForumSpace.objects.filter(readable_space_filter(actor))
    if not include_archived:
        qs = qs.filter(archived_at__isnull=True)
    return qs.annotate(
        thread_count=Count("threads", filter=Q(threads__hidden_at__isnull=True), distinct=True)
    ).order_by("kind", "name")


def _visible(actor: AnyUser, prefix: str = "") -> Q:
    if forum_can_moderate(actor=actor):
        return Q()
    visible = Q(**{f"{prefix}hidden_at__isnull": True})
    if _signed_in(actor):
        visible |= Q(**{f"{prefix}author_id": actor.pk})
    return visible


def _annotate_threads(qs: QuerySet[ForumThread], actor: AnyUser) -> QuerySet[ForumThread]:
    visible_posts = Q(posts__hidden_at__isnull=True)
    qs = qs.select_related("space", "author", "organisation").annotate(
        post_count=Count("posts", filter=visible_posts, distinct=True)
    )
    if isinstance(actor, User) and actor.is_active:
        read = ForumThreadRead.objects.filter(
            user=actor, thread=OuterRef("pk"), read_at__gte=OuterRef("last_activity_at")
        )
        qs = qs.annotate(is_read=Exists(read))
    return qs


def forum_thread_list(
    *, actor: AnyUser, space: ForumSpace, query: str | None = None
) -> QuerySet[ForumThread]:
    """Threads of a space, latest activity first, with ``post_count`` (visible posts) and
    ``is_read`` (the actor opened it since its last activity)."""
    qs = ForumThread.objects.filter(space=space).filter(_visible(actor))
    if query and query.strip():
        qs = qs.filter(pk__in=forum_text_filter(query.strip()).values("thread_id"))
    return _annotate_threads(qs, actor).order_by("-last_activity_at", "-pk")


def forum_post_list(*, actor: AnyUser, thread: ForumThread) -> QuerySet[ForumPost]:
    """Posts of a thread in order; hidden ones only for moderators and their author."""
    return (
        thread.posts.filter(_visible(actor))
        .select_related("author", "organisation")
        .order_by("created_at", "pk")
    )


def forum_text_filter(text: str) -> QuerySet[ForumPost]:
    """Posts whose text or thread title contains every word (portable, case-insensitive).

    The one place to change for a PostgreSQL full-text implementation.
    """
    qs = ForumPost.objects.all()
    for word in text.split()[:8]:
        qs = qs.filter(Q(body__icontains=word) | Q(thread__title__icontains=word))
    return qs


def forum_search(*, actor: AnyUser, query: str) -> QuerySet[ForumPost]:
    """Visible posts matching ``query`` in spaces the actor may read, newest first."""
    if not query.strip():
        return ForumPost.objects.none()
    return (
        forum_text_filter(query.strip())
        .filter(_visible(actor))
        .filter(_visible(actor, "thread__"))
        .filter(thread__space__in=ForumSpace.objects.filter(readable_space_filter(actor)))
        .select_related("thread__space", "author", "organisation")
        .order_by("-created_at", "-pk")
    )


def forum_subscription_of(
    *, actor: AnyUser, thread: ForumThread | None = None, space: ForumSpace | None = None
) -> bool:
    if not isinstance(actor, User) or not actor.is_active:
        return False
    if thread is not None:
        return ForumSubscription.objects.filter(user=actor, thread=thread).exists()
    return ForumSubscription.objects.filter(user=actor, space=space).exists()


def thread_subscribers(*, thread: ForumThread) -> QuerySet[User]:
    return User.objects.filter(
        Q(forum_subscriptions__thread=thread) | Q(forum_subscriptions__space_id=thread.space_id)
    ).distinct()


def space_subscribers(*, space: ForumSpace) -> QuerySet[User]:
    return User.objects.filter(forum_subscriptions__space=space).distinct()


def forum_market_space(*, code: str) -> ForumSpace | None:
    """The forum space of a third market (country code or region slug), if it exists."""
    return ForumSpace.objects.filter(
        slug=f"market-{code.lower()}", kind=SpaceKind.MARKET, archived_at__isnull=True
    ).first()
