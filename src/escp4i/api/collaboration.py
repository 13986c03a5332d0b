"""Collaboration endpoints, mounted at ``/collaboration``.

Partner search: public reads (hidden requests are not listed); token-authenticated posting,
editing, closing, interests (read by the two organisations involved), following and comments.
Forum: token-authenticated reads and writes (the forum is for signed-in users; partnership
spaces only for their members). Post bodies are returned as Markdown source and as the
sanitised HTML the site shows.
"""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from escp4i.api.auth import actor, token_auth
from escp4i.api.pagination import Pagination
from escp4i.api.schemas import WRITE_ERRORS, ErrorOut
from escp4i.collaboration import selectors, services
from escp4i.collaboration.models import (
    ForumPost,
    ForumSpace,
    ForumThread,
    PartnerSearch,
    PartnerSearchComment,
    PartnerSearchInterest,
    PartnerSearchKind,
    PartnerSearchOutcome,
)

router = Router(tags=["collaboration"])

# --- partner search: schemas ---------------------------------------------------------------


class PartnerSearchFilters(Schema):
    kind: PartnerSearchKind | None = None
    sector: str | None = Field(None, description="Focus-area slug")
    country_sought: str | None = Field(None, description="ISO alpha-2 of a partner country sought")
    target_market: str | None = Field(
        None,
        description="ISO alpha-2 or region slug; a country also matches regions containing it",
    )
    status: str | None = Field(
        None, pattern="^(open|expired|closed)$", description="open, expired or closed"
    )
    q: str | None = Field(None, max_length=100, description="Free-text search")


class PartnerSearchOut(Schema):
    id: int
    title: str
    kind: str
    organisation: str
    organisation_slug: str
    organisation_country: str
    description: str
    sectors: list[str]
    countries_sought: list[str]
    target_markets: list[str]
    deadline: dt.date
    status: str = Field(..., description="open, expired or closed")
    outcome: str
    outcome_note: str
    interest_count: int
    is_hidden: bool
    is_synthetic: bool
    created_at: dt.datetime

    @staticmethod
    def resolve_organisation(obj: PartnerSearch) -> str:
        return obj.organisation.name

    @staticmethod
    def resolve_organisation_slug(obj: PartnerSearch) -> str:
        return obj.organisation.slug

    @staticmethod
    def resolve_organisation_country(obj: PartnerSearch) -> str:
        return obj.organisation.country_id

    @staticmethod
    def resolve_sectors(obj: PartnerSearch) -> list[str]:
        return [s.slug for s in obj.sectors.all()]

    @staticmethod
    def resolve_countries_sought(obj: PartnerSearch) -> list[str]:
        return [c.code for c in obj.countries_sought.all()]

    @staticmethod
    def resolve_target_markets(obj: PartnerSearch) -> list[str]:
        return [r.slug for r in obj.target_regions.all()] + [
            c.code for c in obj.target_countries.all()
        ]

    @staticmethod
    def resolve_status(obj: PartnerSearch) -> str:
        return obj.display_status

    @staticmethod
    def resolve_interest_count(obj: PartnerSearch) -> int:
        return int(getattr(obj, "interest_count", 0))


class PartnerSearchIn(Schema):
    kind: PartnerSearchKind
    title: str = Field(..., max_length=200)
    description: str = ""
    sectors: list[str] = Field(default_factory=list, description="Focus-area slugs")
    countries_sought: list[str] = Field(default_factory=list, description="ISO alpha-2 codes")
    target_markets: list[str] = Field(
        default_factory=list, description="ISO alpha-2 codes or region slugs"
    )
    deadline: dt.date = Field(..., description="Last day for interest; must be in the future")


class PartnerSearchPatch(Schema):
    kind: PartnerSearchKind | None = None
    title: str | None = Field(None, max_length=200)
    description: str | None = None
    sectors: list[str] | None = None
    countries_sought: list[str] | None = None
    target_markets: list[str] | None = None
    deadline: dt.date | None = None


class CloseIn(Schema):
    outcome: PartnerSearchOutcome
    note: str = ""


class InterestIn(Schema):
    message: str = Field(..., max_length=5000)


class InterestOut(Schema):
    id: int
    search_id: int
    organisation: str
    organisation_slug: str
    message: str
    created_at: dt.datetime
    withdrawn_at: dt.datetime | None

    @staticmethod
    def resolve_organisation(obj: PartnerSearchInterest) -> str:
        return obj.organisation.name

    @staticmethod
    def resolve_organisation_slug(obj: PartnerSearchInterest) -> str:
        return obj.organisation.slug


class CommentIn(Schema):
    body: str = Field(..., description="Markdown (rendered safely)")


class CommentOut(Schema):
    id: int
    author: str
    organisation: str | None
    body: str
    body_html: str = Field(..., description="Sanitised HTML of the body")
    is_hidden: bool
    created_at: dt.datetime

    @staticmethod
    def resolve_author(obj: PartnerSearchComment) -> str:
        return obj.author_name

    @staticmethod
    def resolve_organisation(obj: PartnerSearchComment) -> str | None:
        return obj.organisation.name if obj.organisation else None


# --- partner search: operations ------------------------------------------------------------


def _search(request: HttpRequest, search_id: int) -> PartnerSearch:
    return selectors.access_partner_search(actor=request.user, search_id=search_id)


@router.get("/partner-searches", response=list[PartnerSearchOut])
@paginate(Pagination)
def partner_search_list(request: HttpRequest, filters: Query[PartnerSearchFilters]) -> Any:
    return selectors.partner_search_list(
        actor=request.user,
        kind=filters.kind,
        sector=filters.sector,
        country_sought=filters.country_sought,
        target_market=filters.target_market,
        status=filters.status,
        query=filters.q,
    )


@router.get("/partner-searches/{int:search_id}", response={200: PartnerSearchOut, 404: ErrorOut})
def partner_search_detail(request: HttpRequest, search_id: int) -> Any:
    return _search(request, search_id)


@router.post("/partner-searches", auth=token_auth, response={201: PartnerSearchOut, **WRITE_ERRORS})
def partner_search_create(request: HttpRequest, payload: PartnerSearchIn) -> Any:
    """Post a request for the organisation the token's user acts for."""
    search = services.partner_search_create(actor=actor(request), **payload.model_dump())
    return Status(201, selectors.access_partner_search(actor=actor(request), search_id=search.pk))


@router.patch(
    "/partner-searches/{int:search_id}",
    auth=token_auth,
    response={200: PartnerSearchOut, **WRITE_ERRORS},
)
def partner_search_patch(request: HttpRequest, search_id: int, payload: PartnerSearchPatch) -> Any:
    """Change fields of an open request (users of the posting organisation)."""
    user = actor(request)
    search = selectors.access_partner_search(actor=user, search_id=search_id)
    services.partner_search_update(
        search=search, actor=user, **payload.model_dump(exclude_unset=True)
    )
    return selectors.access_partner_search(actor=user, search_id=search_id)


@router.post(
    "/partner-searches/{int:search_id}/close",
    auth=token_auth,
    response={200: PartnerSearchOut, **WRITE_ERRORS},
)
def partner_search_close(request: HttpRequest, search_id: int, payload: CloseIn) -> Any:
    user = actor(request)
    search = selectors.access_partner_search(actor=user, search_id=search_id)
    services.partner_search_close(
        search=search, actor=user, outcome=payload.outcome, note=payload.note
    )
    return selectors.access_partner_search(actor=user, search_id=search_id)


@router.get(
    "/partner-searches/{int:search_id}/interests",
    auth=token_auth,
    response={200: list[InterestOut], 404: ErrorOut},
)
def partner_interest_list(request: HttpRequest, search_id: int) -> Any:
    """All interests for the posting organisation and officers; one's own for others."""
    user = actor(request)
    search = selectors.access_partner_search(actor=user, search_id=search_id)
    return list(selectors.partner_search_interests(actor=user, search=search))


@router.post(
    "/partner-searches/{int:search_id}/interests",
    auth=token_auth,
    response={201: InterestOut, **WRITE_ERRORS},
)
def partner_interest_create(request: HttpRequest, search_id: int, payload: InterestIn) -> Any:
    user = actor(request)
    search = selectors.access_partner_search(actor=user, search_id=search_id)
    interest = services.partner_interest_express(search=search, actor=user, message=payload.message)
    return Status(201, interest)


@router.post(
    "/interests/{int:interest_id}/withdraw",
    auth=token_auth,
    response={200: InterestOut, **WRITE_ERRORS},
)
def partner_interest_withdraw(request: HttpRequest, interest_id: int) -> Any:
    user = actor(request)
    interest = selectors.access_partner_interest(actor=user, interest_id=interest_id)
    return services.partner_interest_withdraw(interest=interest, actor=user)


@router.put(
    "/partner-searches/{int:search_id}/follow",
    auth=token_auth,
    response={204: None, **WRITE_ERRORS},
)
def partner_search_follow(request: HttpRequest, search_id: int) -> Any:
    user = actor(request)
    services.partner_search_follow(search=_search(request, search_id), actor=user)
    return Status(204, None)


@router.delete(
    "/partner-searches/{int:search_id}/follow",
    auth=token_auth,
    response={204: None, **WRITE_ERRORS},
)
def partner_search_unfollow(request: HttpRequest, search_id: int) -> Any:
    user = actor(request)
    services.partner_search_unfollow(search=_search(request, search_id), actor=user)
    return Status(204, None)


@router.get(
    "/partner-searches/{int:search_id}/comments",
    response={200: list[CommentOut], 404: ErrorOut},
)
def partner_search_comment_list(request: HttpRequest, search_id: int) -> Any:
    search = _search(request, search_id)
    return list(selectors.partner_search_comments(actor=request.user, search=search))


@router.post(
    "/partner-searches/{int:search_id}/comments",
    auth=token_auth,
    response={201: CommentOut, **WRITE_ERRORS},
)
def partner_search_comment_create(request: HttpRequest, search_id: int, payload: CommentIn) -> Any:
    user = actor(request)
    search = selectors.access_partner_search(actor=user, search_id=search_id)
    return Status(
        201, services.partner_search_comment_add(search=search, actor=user, body=payload.body)
    )


# --- forum ---------------------------------------------------------------------------------


class SpaceOut(Schema):
    slug: str
    kind: str
    name: str
    description: str
    partnership: str | None = Field(None, description="Partnership slug (partnership spaces)")
    sector: str | None = Field(None, description="Focus-area slug (focus-area spaces)")
    market: str | None = Field(None, description="ISO alpha-2 or region slug (market spaces)")
    thread_count: int
    archived: bool

    @staticmethod
    def resolve_partnership(obj: ForumSpace) -> str | None:
        return obj.partnership.slug if obj.partnership else None

    @staticmethod
    def resolve_sector(obj: ForumSpace) -> str | None:
        return obj.sector.slug if obj.sector else None

    @staticmethod
    def resolve_market(obj: ForumSpace) -> str | None:
        return obj.country_id or (obj.region.slug if obj.region else None)

    @staticmethod
    def resolve_thread_count(obj: ForumSpace) -> int:
        return int(getattr(obj, "thread_count", 0))

    @staticmethod
    def resolve_archived(obj: ForumSpace) -> bool:
        return obj.archived_at is not None


class ThreadOut(Schema):
    id: int
    space: str
    title: str
    author: str
    organisation: str | None
    post_count: int
    last_activity_at: dt.datetime
    is_locked: bool
    is_hidden: bool
    is_synthetic: bool

    @staticmethod
    def resolve_space(obj: ForumThread) -> str:
        return obj.space.slug

    @staticmethod
    def resolve_author(obj: ForumThread) -> str:
        return obj.author_name

    @staticmethod
    def resolve_organisation(obj: ForumThread) -> str | None:
        return obj.organisation.name if obj.organisation else None

    @staticmethod
    def resolve_post_count(obj: ForumThread) -> int:
        return int(getattr(obj, "post_count", 0))


class ThreadFilters(Schema):
    q: str | None = Field(None, max_length=100, description="Free-text search")


class ThreadIn(Schema):
    title: str = Field(..., max_length=200)
    body: str = Field(..., description="First post, Markdown (rendered safely)")


class PostIn(Schema):
    body: str = Field(..., description="Markdown (rendered safely)")


class PostOut(Schema):
    id: int
    thread_id: int
    author: str
    organisation: str | None
    body: str
    body_html: str = Field(..., description="Sanitised HTML of the body")
    created_at: dt.datetime
    edited_at: dt.datetime | None
    is_hidden: bool
    is_synthetic: bool

    @staticmethod
    def resolve_author(obj: ForumPost) -> str:
        return obj.author_name

    @staticmethod
    def resolve_organisation(obj: ForumPost) -> str | None:
        return obj.organisation.name if obj.organisation else None


def _thread_out(user: Any, thread_id: int) -> ForumThread:
    thread = selectors.access_forum_thread(actor=user, thread_id=thread_id)
    rows = selectors.forum_thread_list(actor=user, space=thread.space).filter(pk=thread.pk)
    return rows.first() or thread


@router.get("/forum/spaces", auth=token_auth, response=list[SpaceOut])
def forum_space_list(request: HttpRequest) -> Any:
    return list(
        selectors.forum_space_list(actor=actor(request)).select_related(
            "partnership", "sector", "region"
        )
    )


@router.get(
    "/forum/spaces/{slug}/threads",
    auth=token_auth,
    response={200: list[ThreadOut], 404: ErrorOut},
)
@paginate(Pagination)
def forum_thread_list(request: HttpRequest, slug: str, filters: Query[ThreadFilters]) -> Any:
    """Threads of a space, latest activity first."""
    user = actor(request)
    space = selectors.access_forum_space(actor=user, slug=slug)
    return selectors.forum_thread_list(actor=user, space=space, query=filters.q)


@router.post(
    "/forum/spaces/{slug}/threads", auth=token_auth, response={201: ThreadOut, **WRITE_ERRORS}
)
def forum_thread_create(request: HttpRequest, slug: str, payload: ThreadIn) -> Any:
    user = actor(request)
    space = selectors.access_forum_space(actor=user, slug=slug)
    thread = services.forum_thread_create(
        space=space, actor=user, title=payload.title, body=payload.body
    )
    return Status(201, _thread_out(user, thread.pk))


@router.get(
    "/forum/threads/{int:thread_id}/posts",
    auth=token_auth,
    response={200: list[PostOut], 404: ErrorOut},
)
@paginate(Pagination)
def forum_post_list(request: HttpRequest, thread_id: int) -> Any:
    user = actor(request)
    thread = selectors.access_forum_thread(actor=user, thread_id=thread_id)
    return selectors.forum_post_list(actor=user, thread=thread)


@router.post(
    "/forum/threads/{int:thread_id}/posts",
    auth=token_auth,
    response={201: PostOut, **WRITE_ERRORS},
)
def forum_post_create(request: HttpRequest, thread_id: int, payload: PostIn) -> Any:
    """Reply in a thread; a locked thread answers 409."""
    user = actor(request)
    thread = selectors.access_forum_thread(actor=user, thread_id=thread_id)
    return Status(201, services.forum_post_create(thread=thread, actor=user, body=payload.body))


@router.patch(
    "/forum/posts/{int:post_id}", auth=token_auth, response={200: PostOut, **WRITE_ERRORS}
)
def forum_post_edit(request: HttpRequest, post_id: int, payload: PostIn) -> Any:
    """Edit one's own post within the edit window (``ESCP4I_FORUM_EDIT_WINDOW_MINUTES``)."""
    user = actor(request)
    post = selectors.access_forum_post(actor=user, post_id=post_id)
    return services.forum_post_edit(post=post, actor=user, body=payload.body)
