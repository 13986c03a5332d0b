"""Forum pages (signed-in users): spaces, a space's threads by last activity (htmx search and
pagination), a thread with its posts and reply form, new thread, editing one's post, quoting,
subscriptions, search, and moderation (lock, hide) for programme officers.

Post bodies are rendered from the HTML stored at save time (Markdown through the sanitiser in
``collaboration.markup``); nothing else on these pages is marked safe.
"""

from __future__ import annotations

import math
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from escp4i.accounts.models import User
from escp4i.collaboration import selectors, services
from escp4i.collaboration.markup import quote_markdown
from escp4i.collaboration.models import ForumPost, ForumSpace, ForumThread, SpaceKind
from escp4i.core.errors import DomainError, NotFound, PermissionDenied
from escp4i.web.forms_collaboration import ForumSearchForm, ModerationForm, PostForm, ThreadForm
from escp4i.web.views._http import fetch, http_error, is_htmx, paginate, render_page_or_fragment


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101  # behind login_required
    return user


def _space(request: HttpRequest, slug: str) -> ForumSpace:
    return fetch(selectors.access_forum_space, actor=request.user, slug=slug)


def _thread(request: HttpRequest, thread_id: int) -> ForumThread:
    return fetch(selectors.access_forum_thread, actor=request.user, thread_id=thread_id)


def _fail(request: HttpRequest, exc: DomainError) -> None:
    if isinstance(exc, (NotFound, PermissionDenied)):
        raise http_error(exc) from exc
    messages.error(request, exc.message)


def _post_url(post: ForumPost, *, actor: Any) -> str:
    """The thread page holding ``post`` (posts are paginated), anchored at the post."""
    before = (
        selectors.forum_post_list(actor=actor, thread=post.thread)
        .filter(created_at__lt=post.created_at)
        .count()
    )
    page = math.floor(before / settings.ESCP4I_PAGE_SIZE) + 1
    url = reverse("collaboration:forum-thread", kwargs={"thread_id": post.thread_id})
    return f"{url}?page={page}#post-{post.pk}" if page > 1 else f"{url}#post-{post.pk}"


# --- spaces ---------------------------------------------------------------------------------

_GROUPS = (
    (SpaceKind.PROGRAMME, "programme"),
    (SpaceKind.SECTOR, "sector"),
    (SpaceKind.MARKET, "market"),
    (SpaceKind.PARTNERSHIP, "partnership"),
)


@login_required
@require_safe
def forum_index(request: HttpRequest) -> HttpResponse:
    spaces = list(selectors.forum_space_list(actor=request.user))
    groups = [
        {"kind": kind, "key": key, "spaces": [s for s in spaces if s.kind == kind]}
        for kind, key in _GROUPS
    ]
    return render(
        request,
        "collaboration/forum_index.html",
        {
            "groups": groups,
            "search_form": ForumSearchForm(),
            "moderator": selectors.forum_can_moderate(actor=request.user),
        },
    )


@login_required
@require_safe
def forum_space(request: HttpRequest, slug: str) -> HttpResponse:
    space = _space(request, slug)
    form = ForumSearchForm(request.GET)
    query = form.cleaned_data.get("q") if form.is_valid() else None
    page = paginate(
        request, selectors.forum_thread_list(actor=request.user, space=space, query=query)
    )
    context = {
        "space": space,
        "page": page,
        "form": form,
        "query": query,
        "can_post": selectors.forum_space_can_post(actor=request.user, space=space),
        "subscribed": selectors.forum_subscription_of(actor=request.user, space=space),
        "moderator": selectors.forum_can_moderate(actor=request.user),
    }
    return render_page_or_fragment(
        request, "collaboration/forum_space.html", "collaboration/_forum_threads.html", context
    )


@login_required
@require_http_methods(["GET", "POST"])
def forum_thread_create(request: HttpRequest, slug: str) -> HttpResponse:
    space = _space(request, slug)
    if not selectors.forum_space_can_post(actor=request.user, space=space):
        messages.error(request, _("This space is archived: it takes no new posts."))
        return redirect("collaboration:forum-space", slug=space.slug)
    form = ThreadForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            thread = services.forum_thread_create(
                space=space,
                actor=_user(request),
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
            )
        except ValidationError as exc:
            form.add_service_error(exc)
        except DomainError as exc:
            _fail(request, exc)
        else:
            messages.success(request, _("Your thread is published; you are subscribed to it."))
            return redirect("collaboration:forum-thread", thread_id=thread.pk)
    return render(
        request,
        "collaboration/forum_thread_form.html",
        {"space": space, "form": form},
        status=422 if form.errors else 200,
    )


@login_required
@require_POST
def forum_space_subscribe(request: HttpRequest, slug: str) -> HttpResponse:
    space = _space(request, slug)
    user = _user(request)
    if request.POST.get("action") == "unsubscribe":
        services.forum_unsubscribe(actor=user, space=space)
        messages.success(request, _("You no longer get notified about this space."))
    else:
        services.forum_subscribe(actor=user, space=space)
        messages.success(request, _("You will be notified of new threads and posts here."))
    return redirect("collaboration:forum-space", slug=space.slug)


# --- threads --------------------------------------------------------------------------------


def _thread_context(
    request: HttpRequest, thread: ForumThread, form: PostForm | None = None
) -> dict[str, Any]:
    actor = request.user
    page = paginate(request, selectors.forum_post_list(actor=actor, thread=thread))
    now = timezone.now()
    editable = {
        post.pk
        for post in page.object_list
        if selectors.forum_post_can_edit(actor=actor, post=post)
        and now <= services.forum_post_editable_until(post)
    }
    if form is None:
        initial = {}
        quote_id = request.GET.get("quote", "")
        if quote_id.isdigit():
            try:
                quoted = selectors.access_forum_post(actor=actor, post_id=int(quote_id))
            except NotFound:
                quoted = None
            if quoted is not None and quoted.thread_id == thread.pk:
                author = quoted.organisation.name if quoted.organisation else quoted.author_name
                initial["body"] = quote_markdown(quoted.body, author=author)
        form = PostForm(initial=initial)
    return {
        "thread": thread,
        "space": thread.space,
        "page": page,
        "editable": editable,
        "form": form,
        "can_post": selectors.forum_space_can_post(actor=actor, space=thread.space)
        and not thread.is_locked
        and not thread.is_hidden,
        "subscribed": selectors.forum_subscription_of(actor=actor, thread=thread),
        "moderator": selectors.forum_can_moderate(actor=actor),
        "moderation_form": ModerationForm(),
        "edit_minutes": settings.ESCP4I_FORUM_EDIT_WINDOW_MINUTES,
    }


@login_required
@require_safe
def forum_thread(request: HttpRequest, thread_id: int) -> HttpResponse:
    thread = _thread(request, thread_id)
    context = _thread_context(request, thread)
    services.forum_thread_mark_read(thread=thread, actor=_user(request))
    return render_page_or_fragment(
        request, "collaboration/forum_thread.html", "collaboration/_forum_posts.html", context
    )


@login_required
@require_POST
def forum_reply(request: HttpRequest, thread_id: int) -> HttpResponse:
    thread = _thread(request, thread_id)
    form = PostForm(request.POST)
    if form.is_valid():
        try:
            post = services.forum_post_create(
                thread=thread, actor=_user(request), body=form.cleaned_data["body"]
            )
        except ValidationError as exc:
            form.add_service_error(exc)
        except DomainError as exc:
            if isinstance(exc, (NotFound, PermissionDenied)):
                raise http_error(exc) from exc
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Your reply is published."))
            return redirect(_post_url(post, actor=request.user))
    return render(
        request,
        "collaboration/forum_thread.html",
        _thread_context(request, thread, form),
        status=422,
    )


@login_required
@require_POST
def forum_thread_subscribe(request: HttpRequest, thread_id: int) -> HttpResponse:
    thread = _thread(request, thread_id)
    user = _user(request)
    if request.POST.get("action") == "unsubscribe":
        services.forum_unsubscribe(actor=user, thread=thread)
        messages.success(request, _("You no longer get notified about this thread."))
    else:
        services.forum_subscribe(actor=user, thread=thread)
        messages.success(request, _("You will be notified of new posts in this thread."))
    return redirect("collaboration:forum-thread", thread_id=thread.pk)


@login_required
@require_POST
def forum_thread_moderate(request: HttpRequest, thread_id: int) -> HttpResponse:
    thread = _thread(request, thread_id)
    user = _user(request)
    form = ModerationForm(request.POST)
    form.is_valid()
    reason = form.cleaned_data.get("reason", "")
    action = request.POST.get("action", "")
    try:
        if action == "lock":
            services.forum_thread_lock(thread=thread, actor=user, reason=reason)
            messages.success(request, _("The thread is locked."))
        elif action == "unlock":
            services.forum_thread_unlock(thread=thread, actor=user)
            messages.success(request, _("The thread is open again."))
        elif action == "unhide":
            services.forum_thread_unhide(thread=thread, actor=user)
            messages.success(request, _("The thread is visible again."))
        else:
            services.forum_thread_hide(thread=thread, actor=user, reason=reason)
            messages.success(request, _("The thread is hidden."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except DomainError as exc:
        _fail(request, exc)
    return redirect("collaboration:forum-thread", thread_id=thread.pk)


# --- posts ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def forum_post_edit(request: HttpRequest, post_id: int) -> HttpResponse:
    post = fetch(selectors.access_forum_post, actor=request.user, post_id=post_id)
    if post.author_id != request.user.pk:
        raise http_error(PermissionDenied(_("You can only edit your own posts.")))
    form = PostForm(request.POST if request.method == "POST" else None, initial={"body": post.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.forum_post_edit(
                post=post, actor=_user(request), body=form.cleaned_data["body"]
            )
        except ValidationError as exc:
            form.add_service_error(exc)
        except DomainError as exc:
            if isinstance(exc, (NotFound, PermissionDenied)):
                raise http_error(exc) from exc
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Your post is updated."))
            return redirect(_post_url(post, actor=request.user))
    return render(
        request,
        "collaboration/forum_post_form.html",
        {
            "post": post,
            "thread": post.thread,
            "form": form,
            "editable_until": services.forum_post_editable_until(post),
        },
        status=422 if form.errors else 200,
    )


@login_required
@require_POST
def forum_post_moderate(request: HttpRequest, post_id: int) -> HttpResponse:
    post = fetch(selectors.access_forum_post, actor=request.user, post_id=post_id)
    user = _user(request)
    form = ModerationForm(request.POST)
    form.is_valid()
    try:
        if request.POST.get("action") == "unhide":
            services.forum_post_unhide(post=post, actor=user)
            messages.success(request, _("The post is visible again."))
        else:
            services.forum_post_hide(
                post=post, actor=user, reason=form.cleaned_data.get("reason", "")
            )
            messages.success(request, _("The post is hidden."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except DomainError as exc:
        _fail(request, exc)
    return redirect(_post_url(post, actor=request.user))


# --- search ---------------------------------------------------------------------------------


@login_required
@require_safe
def forum_search(request: HttpRequest) -> HttpResponse:
    form = ForumSearchForm(request.GET)
    query = (form.cleaned_data.get("q") or "") if form.is_valid() else ""
    page = paginate(request, selectors.forum_search(actor=request.user, query=query))
    context = {"form": form, "query": query, "page": page}
    if is_htmx(request):
        return render(request, "collaboration/_forum_search_results.html", context)
    return render(request, "collaboration/forum_search.html", context)
