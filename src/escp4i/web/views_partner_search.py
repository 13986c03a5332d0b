"""Partner-search pages: the list with htmx filters and text search, posting and editing a
request, its page (interests, comments, follow, close, moderation) and the recommendations
fragment.

Objects come through the collaboration access selectors (404 for hidden or missing requests);
writes go through the collaboration services, whose errors are shown on the form (422) or as a
message.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from escp4i.accounts.models import User
from escp4i.collaboration import selectors, services
from escp4i.collaboration.models import PartnerSearch, PartnerSearchOutcome
from escp4i.core.errors import DomainError, NotFound, PermissionDenied
from escp4i.registry.models import Sector
from escp4i.web.forms_collaboration import (
    CloseForm,
    CommentForm,
    InterestForm,
    ModerationForm,
    PartnerSearchFilterForm,
    PartnerSearchForm,
)
from escp4i.web.views._http import fetch, http_error, is_htmx, paginate, render_page_or_fragment
from escp4i.web.views_collaboration import reason_text


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101  # behind login_required
    return user


def _search(request: HttpRequest, search_id: int) -> PartnerSearch:
    return fetch(selectors.access_partner_search, actor=request.user, search_id=search_id)


def _fail(request: HttpRequest, exc: DomainError) -> None:
    """404/403 for access errors; any other domain error becomes a message."""
    if isinstance(exc, (NotFound, PermissionDenied)):
        raise http_error(exc) from exc
    messages.error(request, exc.message)


def _detail(search: PartnerSearch) -> HttpResponse:
    return redirect("collaboration:partner-search-detail", search_id=search.pk)


# --- list ----------------------------------------------------------------------------------


@require_safe
def partner_search_list(request: HttpRequest) -> HttpResponse:
    form = PartnerSearchFilterForm(request.GET)
    f = form.filters()
    searches = selectors.partner_search_list(
        actor=request.user,
        query=f["query"],
        kind=f["kind"],
        sector=f["sector"],
        country_sought=f["country_sought"],
        target_market=f["target_market"],
        status=f["status"],
    )
    page = paginate(request, searches)
    context = {
        "form": form,
        "page": page,
        "can_post": selectors.acting_organisation_id(request.user) is not None,
        "moderator": selectors.partner_search_can_moderate(actor=request.user),
    }
    return render_page_or_fragment(
        request,
        "collaboration/partner_search_list.html",
        "collaboration/_partner_search_results.html",
        context,
    )


# --- post and edit -----------------------------------------------------------------------


def _form_data(form: PartnerSearchForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "kind": data["kind"],
        "title": data["title"],
        "description": data["description"],
        "sectors": data["sectors"],
        "countries_sought": data["countries_sought"],
        "target_markets": data["target_markets"],
        "deadline": data["deadline"],
    }


@login_required
@require_http_methods(["GET", "POST"])
def partner_search_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if user.organisation is None:
        messages.error(
            request,
            _("You need to act for a registry organisation to post a partner search."),
        )
        return redirect("collaboration:partner-search-list")
    form = PartnerSearchForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            search = services.partner_search_create(actor=user, **_form_data(form))
        except ValidationError as exc:
            form.add_service_error(exc)
        except DomainError as exc:
            _fail(request, exc)
        else:
            messages.success(request, _("Your partner search is published."))
            return _detail(search)
    return render(
        request,
        "collaboration/partner_search_form.html",
        {"form": form, "organisation": user.organisation, "search": None},
        status=422 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def partner_search_edit(request: HttpRequest, search_id: int) -> HttpResponse:
    search = _search(request, search_id)
    if not selectors.partner_search_can_edit(actor=request.user, search=search):
        raise http_error(PermissionDenied(_("You may not edit this partner search.")))
    initial = {
        "kind": search.kind,
        "title": search.title,
        "description": search.description,
        "sectors": [s.slug for s in search.sectors.all()],
        "countries_sought": [c.code for c in search.countries_sought.all()],
        "target_markets": [r.slug for r in search.target_regions.all()]
        + [c.code for c in search.target_countries.all()],
        "deadline": search.deadline,
    }
    form = PartnerSearchForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.partner_search_update(search=search, actor=_user(request), **_form_data(form))
        except ValidationError as exc:
            form.add_service_error(exc)
        except DomainError as exc:
            _fail(request, exc)
        else:
            messages.success(request, _("Your changes are saved; followers were told."))
            return _detail(search)
    return render(
        request,
        "collaboration/partner_search_form.html",
        {"form": form, "organisation": search.organisation, "search": search},
        status=422 if form.errors else 200,
    )


# --- detail ---------------------------------------------------------------------------------


def _detail_context(request: HttpRequest, search: PartnerSearch) -> dict[str, Any]:
    actor = request.user
    interests = list(selectors.partner_search_interests(actor=actor, search=search))
    organisation_id = selectors.acting_organisation_id(actor)
    own_interest = next((i for i in interests if i.organisation_id == organisation_id), None)
    return {
        "search": search,
        "is_owner": selectors.partner_search_is_owner(actor=actor, search=search),
        "can_edit": selectors.partner_search_can_edit(actor=actor, search=search),
        "can_express": selectors.partner_search_can_express_interest(actor=actor, search=search)
        and (own_interest is None or not own_interest.is_active),
        "moderator": selectors.partner_search_can_moderate(actor=actor),
        "following": selectors.partner_search_is_followed(actor=actor, search=search),
        "interests": interests,
        "own_interest": own_interest,
        "comments": selectors.partner_search_comments(actor=actor, search=search),
        "interest_form": InterestForm(),
        "comment_form": CommentForm(),
        "moderation_form": ModerationForm(),
    }


@require_safe
def partner_search_detail(request: HttpRequest, search_id: int) -> HttpResponse:
    search = _search(request, search_id)
    return render(
        request, "collaboration/partner_search_detail.html", _detail_context(request, search)
    )


def _rerender_detail(request: HttpRequest, search: PartnerSearch, **forms: Any) -> HttpResponse:
    context = _detail_context(request, search)
    context.update(forms)
    return render(request, "collaboration/partner_search_detail.html", context, status=422)


@login_required
@require_POST
def partner_search_interest(request: HttpRequest, search_id: int) -> HttpResponse:
    search = _search(request, search_id)
    form = InterestForm(request.POST)
    if form.is_valid():
        try:
            services.partner_interest_express(
                search=search, actor=_user(request), message=form.cleaned_data["message"]
            )
        except ValidationError as exc:
            form.add_service_error(exc)
        except DomainError as exc:
            _fail(request, exc)
            return _detail(search)
        else:
            messages.success(
                request,
                _("Your interest was sent to %(org)s.") % {"org": search.organisation.name},
            )
            return _detail(search)
    return _rerender_detail(request, search, interest_form=form)


@login_required
@require_POST
def partner_search_interest_withdraw(request: HttpRequest, interest_id: int) -> HttpResponse:
    interest = fetch(selectors.access_partner_interest, actor=request.user, interest_id=interest_id)
    try:
        services.partner_interest_withdraw(interest=interest, actor=_user(request))
    except DomainError as exc:
        _fail(request, exc)
    else:
        messages.success(request, _("Your interest was withdrawn."))
    return _detail(interest.search)


@login_required
@require_POST
def partner_search_follow(request: HttpRequest, search_id: int) -> HttpResponse:
    """Follow or unfollow (``action``); htmx gets the button back, others a redirect."""
    search = _search(request, search_id)
    user = _user(request)
    if request.POST.get("action") == "unfollow":
        services.partner_search_unfollow(search=search, actor=user)
        following = False
    else:
        services.partner_search_follow(search=search, actor=user)
        following = True
    if is_htmx(request):
        return render(
            request,
            "collaboration/_follow_button.html",
            {"search": search, "following": following},
        )
    messages.success(
        request,
        _("You follow this partner search.") if following else _("You no longer follow it."),
    )
    return _detail(search)


@login_required
@require_POST
def partner_search_comment(request: HttpRequest, search_id: int) -> HttpResponse:
    search = _search(request, search_id)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            comment = services.partner_search_comment_add(
                search=search, actor=_user(request), body=form.cleaned_data["body"]
            )
        except ValidationError as exc:
            form.add_service_error(exc)
        except DomainError as exc:
            _fail(request, exc)
            return _detail(search)
        else:
            messages.success(request, _("Your comment is published."))
            url = redirect("collaboration:partner-search-detail", search_id=search.pk).url
            return redirect(f"{url}#comment-{comment.pk}")
    return _rerender_detail(request, search, comment_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def partner_search_close(request: HttpRequest, search_id: int) -> HttpResponse:
    search = _search(request, search_id)
    if not selectors.partner_search_can_edit(actor=request.user, search=search):
        raise http_error(PermissionDenied(_("You may not close this partner search.")))
    form = CloseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.partner_search_close(
                search=search,
                actor=_user(request),
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            form.add_service_error(exc)
        except DomainError as exc:
            _fail(request, exc)
            return _detail(search)
        else:
            messages.success(
                request,
                _("Partner search closed: %(outcome)s")
                % {"outcome": PartnerSearchOutcome(search.outcome).label},
            )
            return _detail(search)
    return render(
        request,
        "collaboration/partner_search_close.html",
        {"search": search, "form": form},
        status=422 if form.errors else 200,
    )


@login_required
@require_POST
def partner_search_moderate(request: HttpRequest, search_id: int) -> HttpResponse:
    search = _search(request, search_id)
    user = _user(request)
    form = ModerationForm(request.POST)
    form.is_valid()
    reason = form.cleaned_data.get("reason", "")
    try:
        if request.POST.get("action") == "unhide":
            services.partner_search_unhide(search=search, actor=user)
            messages.success(request, _("The partner search is visible again."))
        else:
            services.partner_search_hide(search=search, actor=user, reason=reason)
            messages.success(request, _("The partner search is hidden."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except DomainError as exc:
        _fail(request, exc)
    return _detail(search)


@login_required
@require_POST
def partner_search_comment_moderate(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = fetch(
        selectors.access_partner_search_comment, actor=request.user, comment_id=comment_id
    )
    user = _user(request)
    form = ModerationForm(request.POST)
    form.is_valid()
    try:
        if request.POST.get("action") == "unhide":
            services.partner_search_comment_unhide(comment=comment, actor=user)
            messages.success(request, _("The comment is visible again."))
        else:
            services.partner_search_comment_hide(
                comment=comment, actor=user, reason=form.cleaned_data.get("reason", "")
            )
            messages.success(request, _("The comment is hidden."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except DomainError as exc:
        _fail(request, exc)
    return _detail(comment.search)


# --- recommendations ------------------------------------------------------------------------


@require_safe
def partner_search_recommendations(request: HttpRequest, search_id: int) -> HttpResponse:
    """Recommended organisations and matching requests (fragment for htmx, page otherwise)."""
    search = _search(request, search_id)
    recommendations = selectors.partner_search_recommendations(search=search)
    sector_names = {s.slug: s.name for s in Sector.objects.all()}
    context = {
        "search": search,
        "organisations": [
            {
                "organisation": r.organisation,
                "score": r.score,
                "reasons": [reason_text(x, sector_names) for x in r.reasons],
            }
            for r in recommendations.organisations
        ],
        "requests": [
            {
                "search": r.search,
                "score": r.score,
                "reasons": [reason_text(x, sector_names) for x in r.reasons],
            }
            for r in recommendations.requests
        ],
    }
    template = (
        "collaboration/_partner_search_recommendations.html"
        if is_htmx(request)
        else "collaboration/partner_search_recommendations.html"
    )
    return render(request, template, context)
