"""Partner-search reads: who may do what, the filtered list with text search, one request with
its visible comments and interests, and the recommendations on a request page.

Visibility: a request is public unless a moderator hid it; hidden requests are seen only by
moderators (programme officers) and by the users of the organisation that posted it, both with
a marker. ``access_partner_search`` raises ``NotFound`` in every other case, so a hidden
request's existence never leaks. Interest messages are private to the two organisations
involved (and moderators); everyone sees how many interests there are.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Case, Count, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from escp4i.accounts.models import User
from escp4i.accounts.selectors import user_is_officer
from escp4i.collaboration.models import (
    PartnerSearch,
    PartnerSearchComment,
    PartnerSearchFollow,
    PartnerSearchInterest,
    PartnerSearchStatus,
)
from escp4i.collaboration.selectors.directory import registry_profiles
from escp4i.core.errors import NotFound
from escp4i.matching import (
    PartnerSearchRequest,
    Reason,
    organisation_profiles,
    recommend_for_request,
)
from escp4i.registry.models import ClusterOrganisation, Region

AnyUser = User | AnonymousUser


class ListStatus:
    """Values of the list's status filter (``expired`` is derived from the deadline)."""

    OPEN = "open"
    EXPIRED = "expired"
    CLOSED = "closed"
    CHOICES = (OPEN, EXPIRED, CLOSED)


# --- permissions ----------------------------------------------------------------------------


def acting_organisation_id(actor: AnyUser) -> int | None:
    """The registry organisation an active, signed-in user acts for, if any."""
    if not actor.is_authenticated or not actor.is_active:
        return None
    organisation_id: int | None = getattr(actor, "organisation_id", None)
    return organisation_id


def partner_search_is_owner(*, actor: AnyUser, search: PartnerSearch) -> bool:
    """The actor acts for the organisation that posted the request."""
    organisation_id = acting_organisation_id(actor)
    return organisation_id is not None and organisation_id == search.organisation_id


def partner_search_can_moderate(*, actor: AnyUser) -> bool:
    return user_is_officer(actor)


def partner_search_can_see(*, actor: AnyUser, search: PartnerSearch) -> bool:
    if not search.is_hidden:
        return True
    if partner_search_can_moderate(actor=actor):
        return True
    return partner_search_is_owner(actor=actor, search=search)


def partner_search_can_edit(*, actor: AnyUser, search: PartnerSearch) -> bool:
    """Only the posting organisation's users edit or close, and only while it is open."""
    if search.is_closed:
        return False
    return partner_search_is_owner(actor=actor, search=search)


def partner_search_can_express_interest(*, actor: AnyUser, search: PartnerSearch) -> bool:
    if not search.accepts_responses:
        return False
    organisation_id = acting_organisation_id(actor)
    if organisation_id is None:
        return False
    return organisation_id != search.organisation_id


def partner_search_can_see_interest(
    *, actor: AnyUser, search: PartnerSearch, interest: PartnerSearchInterest
) -> bool:
    if partner_search_can_moderate(actor=actor):
        return True
    if partner_search_is_owner(actor=actor, search=search):
        return True
    organisation_id = acting_organisation_id(actor)
    return organisation_id is not None and organisation_id == interest.organisation_id


# --- fetching -------------------------------------------------------------------------------


def _with_relations(qs: QuerySet[PartnerSearch]) -> QuerySet[PartnerSearch]:
    active = Q(interests__withdrawn_at__isnull=True)
    return (
        qs.select_related("organisation__country", "author")
        .prefetch_related("sectors", "countries_sought", "target_countries", "target_regions")
        .annotate(interest_count=Count("interests", filter=active, distinct=True))
    )


def access_partner_search(*, actor: AnyUser, search_id: int) -> PartnerSearch:
    """The request ``search_id`` if ``actor`` may see it; NotFound otherwise (also when it
    is hidden and the actor is neither a moderator nor of the posting organisation)."""
    search = _with_relations(PartnerSearch.objects.filter(pk=search_id)).first()
    if search is None:
        raise NotFound(_("No such partner search."), id=search_id)
    if not partner_search_can_see(actor=actor, search=search):
        raise NotFound(_("No such partner search."), id=search_id)
    return search


def access_partner_interest(*, actor: AnyUser, interest_id: int) -> PartnerSearchInterest:
    """An interest the actor may see (its request visible, and the actor one of the two
    organisations or a moderator); NotFound otherwise."""
    interest = (
        PartnerSearchInterest.objects.select_related("search", "organisation", "user")
        .filter(pk=interest_id)
        .first()
    )
    if interest is None:
        raise NotFound(_("No such interest."), id=interest_id)
    if not partner_search_can_see(actor=actor, search=interest.search):
        raise NotFound(_("No such interest."), id=interest_id)
    if not partner_search_can_see_interest(actor=actor, search=interest.search, interest=interest):
        raise NotFound(_("No such interest."), id=interest_id)
    return interest


def access_partner_search_comment(*, actor: AnyUser, comment_id: int) -> PartnerSearchComment:
    comment = (
        PartnerSearchComment.objects.select_related("search", "author")
        .filter(pk=comment_id)
        .first()
    )
    if comment is None:
        raise NotFound(_("No such comment."), id=comment_id)
    if not partner_search_can_see(actor=actor, search=comment.search):
        raise NotFound(_("No such comment."), id=comment_id)
    if comment.is_hidden and not _sees_hidden(actor, comment.author_id):
        raise NotFound(_("No such comment."), id=comment_id)
    return comment


def _sees_hidden(actor: AnyUser, author_id: int | None) -> bool:
    if partner_search_can_moderate(actor=actor):
        return True
    return actor.is_authenticated and author_id is not None and actor.pk == author_id


# --- lists and search ------------------------------------------------------------------------


def partner_search_text_filter(qs: QuerySet[PartnerSearch], text: str) -> QuerySet[PartnerSearch]:
    """Portable text search (case-insensitive substring, every word must match somewhere).

    This is the one place to change for a PostgreSQL full-text implementation (a
    ``SearchVector`` over the same fields, ranked); callers only pass the text.
    """
    for word in text.split()[:8]:
        qs = qs.filter(
            Q(title__icontains=word)
            | Q(description__icontains=word)
            | Q(organisation__name__icontains=word)
            | Q(sectors__name__icontains=word)
        )
    return qs


def _market_filter(code: str) -> Q:
    """A target-market filter: a region slug, or a country code (directly or via a region)."""
    region = Region.objects.filter(slug=code.lower()).first()
    if region is not None:
        return Q(target_regions=region) | Q(target_countries__in=region.countries.all())
    country = code.upper()
    return Q(target_countries__code=country) | Q(target_regions__countries__code=country)


def partner_search_list(
    *,
    actor: AnyUser,
    kind: str | None = None,
    sector: str | None = None,
    country_sought: str | None = None,
    target_market: str | None = None,
    status: str | None = None,
    query: str | None = None,
    organisation: ClusterOrganisation | None = None,
    today: dt.date | None = None,
) -> QuerySet[PartnerSearch]:
    """Requests visible to ``actor``, filtered: open ones first, then expired, then closed;
    newest first within each.

    ``status`` is ``open`` (open and not past its deadline), ``expired`` (open, deadline
    passed) or ``closed``; None lists all. Hidden requests are included only for moderators and
    for the posting organisation.
    """
    day = today or timezone.localdate()
    qs = PartnerSearch.objects.all()
    if not partner_search_can_moderate(actor=actor):
        visible = Q(hidden_at__isnull=True)
        organisation_id = acting_organisation_id(actor)
        if organisation_id is not None:
            visible |= Q(organisation_id=organisation_id)
        qs = qs.filter(visible)
    if kind:
        qs = qs.filter(kind=kind)
    if sector:
        qs = qs.filter(sectors__slug=sector)
    if country_sought:
        qs = qs.filter(countries_sought__code=country_sought.upper())
    if target_market:
        qs = qs.filter(_market_filter(target_market))
    if status == ListStatus.OPEN:
        qs = qs.filter(status=PartnerSearchStatus.OPEN, deadline__gte=day)
    elif status == ListStatus.EXPIRED:
        qs = qs.filter(status=PartnerSearchStatus.OPEN, deadline__lt=day)
    elif status == ListStatus.CLOSED:
        qs = qs.filter(status=PartnerSearchStatus.CLOSED)
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    if query and query.strip():
        qs = partner_search_text_filter(qs, query.strip())
    ids = qs.values("pk")
    open_first = Case(
        When(status=PartnerSearchStatus.OPEN, deadline__gte=day, then=Value(0)),
        When(status=PartnerSearchStatus.OPEN, then=Value(1)),
        default=Value(2),
    )
    return (
        _with_relations(PartnerSearch.objects.filter(pk__in=ids))
        .annotate(list_rank=open_first)
        .order_by("list_rank", "-created_at", "-pk")
    )


def partner_search_comments(
    *, actor: AnyUser, search: PartnerSearch
) -> QuerySet[PartnerSearchComment]:
    """Comments in order; hidden ones only for moderators and their own author."""
    qs = search.comments.select_related("author", "organisation").order_by("created_at", "pk")
    if partner_search_can_moderate(actor=actor):
        return qs
    visible = Q(hidden_at__isnull=True)
    if actor.is_authenticated:
        visible |= Q(author_id=actor.pk)
    return qs.filter(visible)


def partner_search_interests(
    *, actor: AnyUser, search: PartnerSearch
) -> QuerySet[PartnerSearchInterest]:
    """The interests ``actor`` may read: all of them for moderators and the posting
    organisation, their own organisation's for others, none for anonymous users."""
    qs = search.interests.select_related("organisation__country", "user").order_by(
        "created_at", "pk"
    )
    if partner_search_can_moderate(actor=actor) or partner_search_is_owner(
        actor=actor, search=search
    ):
        return qs
    organisation_id = acting_organisation_id(actor)
    if organisation_id is None:
        return qs.none()
    return qs.filter(organisation_id=organisation_id)


def partner_search_is_followed(*, actor: AnyUser, search: PartnerSearch) -> bool:
    if not actor.is_authenticated:
        return False
    return PartnerSearchFollow.objects.filter(search=search, user_id=actor.pk).exists()


def partner_search_followers(*, search: PartnerSearch) -> QuerySet[User]:
    return User.objects.filter(partner_search_follows__search=search, is_active=True)


# --- recommendations (issue point 7(b)) ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OrganisationSuggestion:
    organisation: ClusterOrganisation
    score: float
    reasons: tuple[Reason, ...]


@dataclass(frozen=True, slots=True)
class RequestSuggestion:
    search: PartnerSearch
    score: float
    reasons: tuple[Reason, ...]


@dataclass(frozen=True, slots=True)
class PartnerSearchRecommendations:
    organisations: list[OrganisationSuggestion]
    requests: list[RequestSuggestion]


def _markets(search: PartnerSearch) -> frozenset[str]:
    return frozenset(
        [c.code for c in search.target_countries.all()]
        + [r.slug for r in search.target_regions.all()]
    )


def _request_record(search: PartnerSearch) -> PartnerSearchRequest:
    sector_names = " ; ".join(s.name for s in search.sectors.all())
    return PartnerSearchRequest(
        key=f"r{search.pk}",
        text=" ; ".join(part for part in (search.title, sector_names, search.description) if part),
        sector_families=frozenset(s.slug for s in search.sectors.all()),
        markets=_markets(search),
        partner_countries=frozenset(c.code for c in search.countries_sought.all()),
        requester=str(search.organisation_id),
    )


def partner_search_recommendations(
    *, search: PartnerSearch, limit: int = 8
) -> PartnerSearchRecommendations:
    """Registry organisations that fit the request and other open requests worth talking to
    (``escp4i.matching.recommend_for_request``), each with its reasons.

    Synthetic organisations are never suggested; only visible, open, unexpired requests are.
    The posting organisation and its other requests are left out.
    """
    registry = registry_profiles()
    profiles = organisation_profiles(registry.records, registry.partnerships)
    real = {key for key, o in registry.organisations.items() if not o.is_synthetic}
    profiles = {key: p for key, p in profiles.items() if key in real}
    others = {
        f"r{s.pk}": s
        for s in partner_search_list(actor=AnonymousUser(), status=ListStatus.OPEN).exclude(
            pk=search.pk
        )
    }
    ranked = recommend_for_request(
        _request_record(search),
        profiles,
        [_request_record(s) for s in others.values()],
        geography=registry.geography,
        limit=None,
    )
    organisations: list[OrganisationSuggestion] = []
    requests: list[RequestSuggestion] = []
    for suggestion in ranked:
        if suggestion.score <= 0:
            continue
        if suggestion.kind == "request" and len(requests) < limit:
            requests.append(
                RequestSuggestion(others[suggestion.key], suggestion.score, suggestion.reasons)
            )
        elif suggestion.kind == "organisation" and len(organisations) < limit:
            organisations.append(
                OrganisationSuggestion(
                    registry.organisations[suggestion.key], suggestion.score, suggestion.reasons
                )
            )
    return PartnerSearchRecommendations(organisations, requests)
