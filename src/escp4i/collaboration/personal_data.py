"""Personal data of the collaboration app (contract: core/privacy.py).

Export: the partner searches the person posted or closed, the interests they expressed (with
their message), what they follow, their comments, the forum threads and posts they wrote, their
subscriptions and read markers, and the moderation actions they took.

Erasure:

* **Partner searches** belong to the organisation that posted them: kept, their author shown as
  "deleted user" (the foreign key keeps pointing at the tombstone). Their title, description and
  outcome note lose the person's identifiers.
* **Interests** are kept: an interest is the organisation's (one per organisation, counted on
  the request, possibly followed up by the posting organisation). The message, private between
  the two organisations and written by the person, becomes ``[erased]``, and so do its copies in
  the recipients' inboxes.
* **Follows, forum subscriptions and read markers** are about the person only: deleted.
* **Comments, threads and posts** are kept, anonymised: author "deleted user", and the person's
  username, e-mail address, first, last and full name (whole words, any case) replaced by
  "[deleted user]" (in the site's default language, ``LANGUAGE_CODE``: the text is stored, so it
  must not depend on who asked for the deletion). Markdown is rewritten with the brackets
  escaped and its HTML rendered again through ``collaboration.markup`` (still sanitised).
* **Moderation** they did (``hidden_by``, ``locked_by``, ``closed_by``) keeps pointing at the
  tombstone; the reasons stay on the rows (programme records), scrubbed of their identifiers.
* **Copies**: other people's content mentioning the person (a reply quoting them, a greeting),
  other users' collaboration notifications (excerpts of their posts and comments, titles of their
  threads and requests) and earlier versions of posts in the audit trail are scrubbed too. In
  text the person did not write only the unambiguous identifiers are replaced (e-mail address,
  full name, and the username where it heads a quote): a first name alone, or a username that is
  a common word, would otherwise rewrite unrelated posts.

Nobody acts as the tombstone: it is inactive with an unusable password, its sessions and tokens
are gone, and every collaboration permission needs an active, signed-in user, so the "author" of
a kept post can no longer edit it or see it once hidden.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Model, Q, QuerySet
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from escp4i.accounts.models import User
from escp4i.collaboration import notify
from escp4i.collaboration.markup import render_markdown
from escp4i.collaboration.models import (
    ForumPost,
    ForumSubscription,
    ForumThread,
    ForumThreadRead,
    PartnerSearch,
    PartnerSearchComment,
    PartnerSearchFollow,
    PartnerSearchInterest,
)
from escp4i.core.models import AuditEntry
from escp4i.core.privacy import ERASED, identifiers
from escp4i.notifications.models import Notification, NotificationKind
from escp4i.registry.models import ClusterOrganisation

MODELS = (
    "collaboration.PartnerSearch",
    "collaboration.PartnerSearchInterest",
    "collaboration.PartnerSearchFollow",
    "collaboration.PartnerSearchComment",
    "collaboration.ForumThread",
    "collaboration.ForumPost",
    "collaboration.ForumSubscription",
    "collaboration.ForumThreadRead",
)

# The notification kinds the collaboration services send (collaboration/notify.py).
NOTIFICATION_KINDS = (
    NotificationKind.PARTNER_INTEREST,
    NotificationKind.PARTNER_SEARCH_UPDATED,
    NotificationKind.PARTNER_SEARCH_COMMENTED,
    NotificationKind.PARTNER_SEARCH_CLOSED,
    NotificationKind.FORUM_POST,
    NotificationKind.CONTENT_MODERATED,
)

_MODERATED: tuple[type[PartnerSearch | PartnerSearchComment | ForumThread | ForumPost], ...] = (
    PartnerSearch,
    PartnerSearchComment,
    ForumThread,
    ForumPost,
)


# --- export ---------------------------------------------------------------------------------


def _moderation(user: User) -> list[dict[str, Any]]:
    actions: list[dict[str, Any]] = []
    for model in _MODERATED:
        hidden = model.objects.filter(hidden_by=user).values("pk", "hidden_at", "hidden_reason")
        actions += [{"action": "hide", "what": model._meta.model_name, **h} for h in hidden]
    locked = ForumThread.objects.filter(locked_by=user).values("pk", "title", "locked_at")
    actions += [{"action": "lock", "what": "forumthread", **row} for row in locked]
    closed = PartnerSearch.objects.filter(closed_by=user).values(
        "pk", "title", "closed_at", "outcome", "outcome_note"
    )
    actions += [{"action": "close", "what": "partnersearch", **row} for row in closed]
    return actions


def export(user: User) -> dict[str, Any]:
    moderation = ("hidden_at", "hidden_reason")
    return {
        "partner_searches": list(
            PartnerSearch.objects.filter(author=user).values(
                "pk",
                "organisation__name",
                "kind",
                "title",
                "description",
                "deadline",
                "status",
                "outcome",
                "outcome_note",
                "created_at",
                *moderation,
            )
        ),
        "interests": list(
            PartnerSearchInterest.objects.filter(user=user).values(
                "search__title", "organisation__name", "message", "created_at", "withdrawn_at"
            )
        ),
        "follows": list(
            PartnerSearchFollow.objects.filter(user=user).values("search__title", "created_at")
        ),
        "comments": list(
            PartnerSearchComment.objects.filter(author=user).values(
                "search__title", "organisation__name", "body", "created_at", *moderation
            )
        ),
        "forum_threads": list(
            ForumThread.objects.filter(author=user).values(
                "pk", "space__slug", "title", "created_at", "locked_at", *moderation
            )
        ),
        "forum_posts": list(
            ForumPost.objects.filter(author=user).values(
                "thread_id", "thread__title", "body", "created_at", "edited_at", *moderation
            )
        ),
        "forum_subscriptions": list(
            ForumSubscription.objects.filter(user=user).values(
                "thread__title", "space__slug", "created_at"
            )
        ),
        "forum_read_markers": list(
            ForumThreadRead.objects.filter(user=user).values("thread__title", "read_at")
        ),
        "moderation_actions": _moderation(user),
    }


# --- erasure --------------------------------------------------------------------------------


def deleted_user_label() -> str:
    """What a person's identifiers become in kept content, in the site's default language."""
    with translation.override(settings.LANGUAGE_CODE):
        return gettext("[deleted user]")


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]()])")


def _markdown_literal(text: str) -> str:
    """``text`` escaped so Markdown shows it as it is (``[x](y)`` would become a link)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def _alternatives(values: Iterable[str]) -> str:
    return "|".join(re.escape(v) for v in sorted(set(values), key=len, reverse=True))


# Whole words: not inside a run of letters or digits. Unlike ``\b`` an underscore is a
# boundary, so Markdown emphasis (``_Name_``) is no hiding place.
_BEFORE, _AFTER = r"(?<![^\W_])", r"(?![^\W_])"


@dataclass(frozen=True, slots=True)
class _Scrubber:
    """Replaces ``words`` (whole words, any case) and the quote headers naming ``quoted``."""

    words: tuple[str, ...]
    quoted: tuple[str, ...]
    label: str

    def _words(self, text: str, replacement: str) -> str:
        if not self.words or not text:
            return text
        pattern = re.compile(f"{_BEFORE}(?:{_alternatives(self.words)}){_AFTER}", re.IGNORECASE)
        return pattern.sub(lambda _m: replacement, text)

    def _quote_headers(self) -> tuple[re.Pattern[str], re.Pattern[str]] | None:
        if not self.quoted:
            return None
        names = _alternatives(self.quoted)
        # collaboration.markup.quote_markdown: "name:", a blank line, then "> ..." lines; in a
        # notification excerpt (whitespace collapsed) that is "name: > ...".
        return (
            re.compile(
                rf"^(?:{names}):[ \t]*(?=\r?\n[ \t]*\r?\n[ \t]*>)", re.IGNORECASE | re.MULTILINE
            ),
            re.compile(rf"(?<!\S)(?:{names}):(?= >)", re.IGNORECASE),
        )

    def needles(self) -> tuple[str, ...]:
        return (*self.words, *self.quoted)

    def plain(self, text: str) -> str:
        text = self._words(text, self.label)
        headers = self._quote_headers()
        if headers is not None:
            text = headers[1].sub(lambda _m: f"{self.label}:", text)
        return text

    def markdown(self, text: str) -> str:
        literal = _markdown_literal(self.label)
        text = self._words(text, literal)
        headers = self._quote_headers()
        if headers is not None:
            text = headers[0].sub(lambda _m: f"{literal}:", text)
        return text


def _mentioning(fields: Iterable[str], needles: Iterable[str]) -> Q:
    """Rows whose ``fields`` contain one of ``needles`` somewhere (refined by the scrubber)."""
    query = Q(pk__in=[])
    for field in fields:
        for needle in needles:
            query |= Q(**{f"{field}__icontains": needle})
    return query


def _rewrite(
    queryset: QuerySet[Any], fields: dict[str, Callable[[str], str]], *, markdown: bool = False
) -> None:
    """Apply each field's scrub function; with ``markdown`` a changed ``body`` gets its stored
    HTML (``body_html``) rendered again."""
    model: type[Model] = queryset.model
    for row in queryset.only("pk", *fields).iterator():
        changes: dict[str, str] = {}
        for name, scrub in fields.items():
            before = getattr(row, name)
            after = scrub(before)
            if after != before:
                changes[name] = after
        if markdown and "body" in changes:
            changes["body_html"] = render_markdown(changes["body"])
        if changes:
            model._default_manager.filter(pk=row.pk).update(**changes)


# (model, field, is Markdown, the foreign keys that make the text the person's own)
_TEXTS: tuple[tuple[type[Model], str, bool, tuple[str, ...]], ...] = (
    (ForumPost, "body", True, ("author",)),
    (PartnerSearchComment, "body", True, ("author",)),
    (ForumThread, "title", False, ("author",)),
    (PartnerSearch, "title", False, ("author",)),
    (PartnerSearch, "description", False, ("author",)),
    (PartnerSearch, "outcome_note", False, ("author", "closed_by")),
    # The person's own interest messages are erased whole (_erase_interest_messages).
    (PartnerSearchInterest, "message", False, ()),
    *((model, "hidden_reason", False, ("hidden_by",)) for model in _MODERATED),
)


def _scrub_content(user: User, own: _Scrubber, others: _Scrubber) -> None:
    for model, field, is_markdown, own_keys in _TEXTS:
        mine = Q(pk__in=[])
        for key in own_keys:
            mine |= Q(**{key: user})
        rows = model._default_manager.all()
        if own_keys:
            scrub = own.markdown if is_markdown else own.plain
            _rewrite(rows.filter(mine), {field: scrub}, markdown=is_markdown)
        scrub = others.markdown if is_markdown else others.plain
        _rewrite(
            rows.filter(_mentioning([field], others.needles())).exclude(mine),
            {field: scrub},
            markdown=is_markdown,
        )


def _search_url(search_id: int | str) -> str:
    return reverse("collaboration:partner-search-detail", kwargs={"search_id": int(search_id)})


def _thread_url(thread_id: int) -> str:
    return reverse("collaboration:forum-thread", kwargs={"thread_id": thread_id})


def _comment_url(comment: PartnerSearchComment) -> str:
    return f"{_search_url(comment.search_id)}#comment-{comment.pk}"


def _at(url: str) -> Q:
    """Notifications linking to ``url`` or to an anchor on that page."""
    return Q(url=url) | Q(url__startswith=f"{url}#")


def _erase_interest_messages(user: User) -> None:
    """The person's interest messages, and their copies in the recipients' inboxes.

    A withdrawn interest expressed again (by a colleague, or with a new message) overwrites the
    message, so earlier copies are found through the audit trail: the inbox entries of that
    organisation's interest on that request from the person's expression until the
    organisation's next one."""
    copies = Q(pk__in=[])
    for interest in PartnerSearchInterest.objects.filter(user=user):
        copies |= Q(url=_search_url(interest.search_id), body=notify.excerpt(interest.message))
    expressions = AuditEntry.objects.filter(
        actor=user, action="partner_search.interest", target_model="collaboration.partnersearch"
    )
    names = dict(ClusterOrganisation.objects.values_list("slug", "name"))
    for entry in expressions:
        slug = entry.data.get("organisation") if isinstance(entry.data, dict) else None
        if slug not in names:
            continue
        window = Q(
            url=_search_url(entry.target_pk),
            title__contains=names[slug],
            created_at__gte=entry.created_at,
        )
        following = (
            AuditEntry.objects.filter(
                action="partner_search.interest",
                target_model=entry.target_model,
                target_pk=entry.target_pk,
                data__organisation=slug,
                created_at__gt=entry.created_at,
            )
            .order_by("created_at")
            .first()
        )
        if following is not None:
            window &= Q(created_at__lt=following.created_at)
        copies |= window
    Notification.objects.filter(copies, kind=NotificationKind.PARTNER_INTEREST).exclude(
        user=user
    ).update(body=ERASED)
    PartnerSearchInterest.objects.filter(user=user).update(message=ERASED)


def _hidden_by_urls(user: User) -> list[str]:
    """The pages of the content ``user`` hid as a moderator (collaboration.notify's links)."""
    urls = [
        _search_url(pk)
        for pk in PartnerSearch.objects.filter(hidden_by=user).values_list("pk", flat=True)
    ]
    urls += [
        _thread_url(pk)
        for pk in ForumThread.objects.filter(hidden_by=user).values_list("pk", flat=True)
    ]
    urls += [
        notify.post_url(post)
        for post in ForumPost.objects.filter(hidden_by=user).only("pk", "thread_id")
    ]
    comments = PartnerSearchComment.objects.filter(hidden_by=user).only("pk", "search_id")
    urls += [_comment_url(comment) for comment in comments]
    return urls


def _scrub_notifications(user: User, own: _Scrubber, others: _Scrubber) -> None:
    """Other users' collaboration notifications: copies of what the person wrote (excerpts of
    their posts and comments, their reasons as a moderator, titles repeating their threads and
    requests) lose every identifier, the rest only the unambiguous ones."""
    inbox = Notification.objects.filter(kind__in=NOTIFICATION_KINDS).exclude(user=user)
    searches = [
        _search_url(pk)
        for pk in PartnerSearch.objects.filter(Q(author=user) | Q(closed_by=user)).values_list(
            "pk", flat=True
        )
    ]
    threads = [
        _thread_url(pk)
        for pk in ForumThread.objects.filter(author=user).values_list("pk", flat=True)
    ]
    titles = Q(pk__in=[])
    for url in [*searches, *threads]:
        titles |= _at(url)
    posts = ForumPost.objects.filter(author=user).only("pk", "thread_id")
    comments = PartnerSearchComment.objects.filter(author=user).only("pk", "search_id")
    bodies = (
        Q(kind=NotificationKind.FORUM_POST, url__in=[notify.post_url(p) for p in posts])
        | Q(
            kind=NotificationKind.PARTNER_SEARCH_COMMENTED,
            url__in=[_comment_url(c) for c in comments],
        )
        | Q(
            kind__in=[
                NotificationKind.PARTNER_SEARCH_UPDATED,
                NotificationKind.PARTNER_SEARCH_CLOSED,
            ],
            url__in=searches,
        )
        | Q(kind=NotificationKind.CONTENT_MODERATED, url__in=_hidden_by_urls(user))
    )
    _rewrite(inbox.filter(titles), {"title": own.plain})
    _rewrite(inbox.filter(bodies), {"body": own.plain})
    _rewrite(
        inbox.filter(_mentioning(["title", "body"], others.needles())),
        {"title": others.plain, "body": others.plain},
    )


def _scrub_edit_history(user: User, own: _Scrubber, others: _Scrubber) -> None:
    """Earlier versions of edited posts (audit data ``previous_body``)."""
    edits = AuditEntry.objects.filter(action="forum_post.edit")
    mine = {str(pk) for pk in ForumPost.objects.filter(author=user).values_list("pk", flat=True)}
    mentions = Q(pk__in=[])
    for needle in others.needles():
        mentions |= Q(data__previous_body__icontains=needle)
    for entry in edits.filter(Q(actor=user) | Q(target_pk__in=mine) | mentions):
        if not isinstance(entry.data, dict) or not isinstance(entry.data.get("previous_body"), str):
            continue
        scrubber = own if entry.actor_id == user.pk or entry.target_pk in mine else others
        previous = scrubber.markdown(entry.data["previous_body"])
        if previous != entry.data["previous_body"]:
            AuditEntry.objects.filter(pk=entry.pk).update(
                data={**entry.data, "previous_body": previous}
            )


def _unambiguous(user: User) -> list[str]:
    """Identifiers that single the person out even in text someone else wrote."""
    values = [user.email or ""]
    if user.first_name.strip() and user.last_name.strip():
        values.append(f"{user.first_name.strip()} {user.last_name.strip()}")
    return [v.strip() for v in values if len(v.strip()) >= 2]


def erase(user: User) -> None:
    label = deleted_user_label()
    own = _Scrubber(words=tuple(identifiers(user)), quoted=(), label=label)
    unambiguous = _unambiguous(user)
    quoted = [user.username, *unambiguous] if len(user.username) >= 2 else unambiguous
    others = _Scrubber(words=tuple(unambiguous), quoted=tuple(quoted), label=label)
    _erase_interest_messages(user)
    _scrub_notifications(user, own, others)
    _scrub_edit_history(user, own, others)
    _scrub_content(user, own, others)
    PartnerSearchFollow.objects.filter(user=user).delete()
    ForumSubscription.objects.filter(user=user).delete()
    ForumThreadRead.objects.filter(user=user).delete()
