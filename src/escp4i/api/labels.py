"""Label endpoints: public reads (registry, verification, status counts, charter) and
token-authenticated writes (open the charter, sign, award, revoke, renew, submit the strategy,
authorise a representative). Mounted by the lead at ``/labels``.

Every write passes through a labels service, which checks the role and the state machine;
domain errors come back as ``{"code", "message", "extra"}`` (409 ``invalid_transition`` for a
forbidden transition, 409 ``conflict`` when ``expected_state`` no longer holds).
"""

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from escp4i.accounts.models import User
from escp4i.api.auth import actor, token_auth
from escp4i.api.pagination import Pagination
from escp4i.api.schemas import WRITE_ERRORS, ErrorOut
from escp4i.core.errors import NotFound
from escp4i.labels import selectors, services
from escp4i.labels.models import CharterVersion, Label
from escp4i.labels.workflow import LabelState, RenewalBasis
from escp4i.registry.models import ClusterOrganisation

router = Router(tags=["labels"])

# --- schemas -------------------------------------------------------------------------------


class LabelOut(Schema):
    public_id: str
    sequence: int
    partnership: str = Field(..., alias="partnership.slug")
    acronym: str = Field(..., alias="partnership.acronym")
    is_synthetic: bool = Field(..., alias="partnership.is_synthetic")
    state: str
    status: str
    valid_from: dt.date | None
    valid_until: dt.date | None
    awarded_at: dt.datetime | None
    charter_version: str | None
    verification_url: str
    badge_url: str

    @staticmethod
    def resolve_status(obj: Label) -> str:
        return selectors.label_public_status(label=obj)

    @staticmethod
    def resolve_charter_version(obj: Label) -> str | None:
        return obj.charter_version.version if obj.charter_version else None

    @staticmethod
    def resolve_verification_url(obj: Label) -> str:
        return f"/labels/{obj.public_id}/"

    @staticmethod
    def resolve_badge_url(obj: Label) -> str:
        return f"/labels/{obj.public_id}/badge.svg"


class MemberStatusOut(Schema):
    organisation: str
    name: str
    country: str
    role: str
    signed: bool
    signed_at: dt.datetime | None
    representative: str | None
    joined_after_award: bool


class PeriodOut(Schema):
    sequence: int
    state: str
    valid_from: dt.date | None
    valid_until: dt.date | None
    renewal_basis: str


class LabelDetailOut(LabelOut):
    revocation_reason: str
    renewal_basis: str
    strategy_submitted_at: dt.datetime | None
    members: list[MemberStatusOut]
    periods: list[PeriodOut]

    @staticmethod
    def resolve_members(obj: Label) -> list[dict[str, Any]]:
        return [
            {
                "organisation": m.organisation.slug,
                "name": m.organisation.name,
                "country": m.organisation.country_id,
                "role": m.role,
                "signed": m.signature is not None,
                "signed_at": m.signature.signed_at if m.signature else None,
                "representative": (
                    f"{m.signature.representative_name}, {m.signature.representative_title}"
                    if m.signature
                    else None
                ),
                "joined_after_award": m.joined_after_award,
            }
            for m in selectors.label_member_statuses(label=obj)
        ]

    @staticmethod
    def resolve_periods(obj: Label) -> list[Label]:
        return list(selectors.label_periods(label=obj))


class LabelFilters(Schema):
    status: LabelState | Literal["active"] | None = Field(
        None, description="a state, or `active` for labels in force (awarded or expiring)"
    )
    q: str | None = Field(None, description="search in acronym, name and public id")


class CharterOut(Schema):
    version: str
    title: str
    text: str
    sha256: str
    published_at: dt.datetime


class LabelEventOut(Schema):
    created_at: dt.datetime
    period: int = Field(..., alias="label.sequence")
    action: str
    from_state: str
    to_state: str
    actor: str | None
    data: dict[str, Any]
    audit_entry_id: int | None

    @staticmethod
    def resolve_actor(obj: Any) -> str | None:
        return obj.actor.get_username() if obj.actor else None


class OpenCharterIn(Schema):
    expected_state: LabelState | None = None


class SignatureIn(Schema):
    organisation: str = Field(..., description="slug of the member organisation signed for")
    representative_name: str = Field(..., min_length=1, max_length=200)
    representative_title: str = Field(..., min_length=1, max_length=200)
    text_sha256: str = Field(
        ..., min_length=64, max_length=64, description="SHA-256 of the charter text you accepted"
    )


class SignatureOut(Schema):
    organisation: str = Field(..., alias="organisation.slug")
    charter_version: str = Field(..., alias="charter_version.version")
    signed_at: dt.datetime
    text_sha256: str
    representative_name: str
    representative_title: str


class AwardIn(Schema):
    valid_from: dt.date | None = Field(None, description="default: the project's start date")
    valid_until: dt.date | None = Field(None, description="default: the project's end date")
    expected_state: LabelState | None = None


class RevokeIn(Schema):
    reason: str = Field(..., min_length=1)
    expected_state: LabelState | None = None


class RenewIn(Schema):
    basis: RenewalBasis
    new_end: dt.date
    expected_state: LabelState | None = None


class StrategyIn(Schema):
    text: str = Field(..., min_length=1)
    url: str = ""


class RepresentativeIn(Schema):
    organisation: str = Field(..., description="organisation slug")
    username: str


class RepresentativeOut(Schema):
    organisation: str = Field(..., alias="organisation.slug")
    username: str = Field(..., alias="user.username")
    created_at: dt.datetime


# --- reads ---------------------------------------------------------------------------------


@router.get("", response=list[LabelOut])
@paginate(Pagination)
def label_list(request: HttpRequest, filters: Query[LabelFilters]) -> Any:
    """The public label registry: the latest period of every partnership's label."""
    return selectors.label_list(state=filters.status, query=filters.q)


@router.get("/status-counts", response=dict[str, int])
def label_status_counts(request: HttpRequest) -> Any:
    """Partnerships per state of their latest label period (``active``: awarded + expiring)."""
    return selectors.label_status_counts()


@router.get("/charter", response={200: CharterOut, 404: ErrorOut})
def charter_current(request: HttpRequest) -> Any:
    charter: CharterVersion | None = selectors.charter_version_current()
    if charter is None:
        raise NotFound("No charter has been published yet.")
    return charter


@router.post("/representatives", auth=token_auth, response={201: RepresentativeOut, **WRITE_ERRORS})
def representative_authorise(request: HttpRequest, payload: RepresentativeIn) -> Any:
    """Authorise a user acting for an organisation to sign the charter for it (officers and the
    organisation's cluster manager)."""
    organisation = ClusterOrganisation.objects.filter(slug=payload.organisation).first()
    user = User.objects.filter(username=payload.username).first()
    if organisation is None or user is None:
        raise NotFound("No such organisation or user.")
    return Status(
        201,
        services.representative_authorise(
            organisation=organisation, user=user, actor=actor(request)
        ),
    )


@router.get("/{public_id}", response={200: LabelDetailOut, 404: ErrorOut})
def label_detail(request: HttpRequest, public_id: str) -> Any:
    """Verification: the live status of label ``public_id`` (stable across renewals)."""
    return selectors.label_get(public_id=public_id)


@router.get(
    "/{public_id}/events",
    auth=token_auth,
    response={200: list[LabelEventOut], 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
)
def label_events(request: HttpRequest, public_id: str) -> Any:
    """The full audit trail (officers and the partnership's coordinators)."""
    label = selectors.access_label_audit(actor=actor(request), public_id=public_id)
    return list(selectors.label_events(label=label))


# --- writes --------------------------------------------------------------------------------


def _label(public_id: str) -> Label:
    return selectors.label_get(public_id=public_id)


def _detail(label: Label) -> Label:
    return selectors.label_get(public_id=label.public_id)


@router.post(
    "/{public_id}/open-charter", auth=token_auth, response={200: LabelDetailOut, **WRITE_ERRORS}
)
def label_open_charter(request: HttpRequest, public_id: str, payload: OpenCharterIn) -> Any:
    label = services.label_charter_open(
        label=_label(public_id), actor=actor(request), expected_state=payload.expected_state
    )
    return _detail(label)


@router.post(
    "/{public_id}/signatures", auth=token_auth, response={201: SignatureOut, **WRITE_ERRORS}
)
def label_sign(request: HttpRequest, public_id: str, payload: SignatureIn) -> Any:
    """An authorised representative signs the charter for a member organisation."""
    organisation = ClusterOrganisation.objects.filter(slug=payload.organisation).first()
    if organisation is None:
        raise NotFound(f"No organisation {payload.organisation!r}.")
    signature = services.label_charter_sign(
        label=_label(public_id),
        organisation=organisation,
        actor=actor(request),
        representative_name=payload.representative_name,
        representative_title=payload.representative_title,
        text_sha256=payload.text_sha256,
        ip_address=request.META.get("REMOTE_ADDR"),
    )
    return Status(201, signature)


@router.post("/{public_id}/award", auth=token_auth, response={200: LabelDetailOut, **WRITE_ERRORS})
def label_award(request: HttpRequest, public_id: str, payload: AwardIn) -> Any:
    label = services.label_award(
        label=_label(public_id),
        actor=actor(request),
        valid_from=payload.valid_from,
        valid_until=payload.valid_until,
        expected_state=payload.expected_state,
    )
    return _detail(label)


@router.post("/{public_id}/revoke", auth=token_auth, response={200: LabelDetailOut, **WRITE_ERRORS})
def label_revoke(request: HttpRequest, public_id: str, payload: RevokeIn) -> Any:
    label = services.label_revoke(
        label=_label(public_id),
        actor=actor(request),
        reason=payload.reason,
        expected_state=payload.expected_state,
    )
    return _detail(label)


@router.post("/{public_id}/renew", auth=token_auth, response={200: LabelDetailOut, **WRITE_ERRORS})
def label_renew(request: HttpRequest, public_id: str, payload: RenewIn) -> Any:
    """Renew the label in force; the response is the new (successor) period."""
    label = services.label_renew(
        label=_label(public_id),
        actor=actor(request),
        basis=payload.basis,
        new_end=payload.new_end,
        expected_state=payload.expected_state,
    )
    return _detail(label)


@router.post(
    "/{public_id}/strategy", auth=token_auth, response={200: LabelDetailOut, **WRITE_ERRORS}
)
def label_strategy(request: HttpRequest, public_id: str, payload: StrategyIn) -> Any:
    label = services.label_strategy_submit(
        label=_label(public_id), actor=actor(request), text=payload.text, url=payload.url
    )
    return _detail(label)
