"""Registry endpoints: public reads (partnerships, organisations, countries, generations, exports)
and token-authenticated writes (profile edits, officer imports)."""

import datetime as dt
from typing import Any, BinaryIO, Literal, cast

from django.http import HttpRequest, HttpResponse
from ninja import Field, File, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import ConfigDict

from escp4i.accounts.models import Role
from escp4i.accounts.selectors import (
    access_organisation_for_edit,
    access_partnership_for_edit,
    require_role,
)
from escp4i.api.auth import actor, token_auth
from escp4i.api.pagination import KeysetPagination
from escp4i.api.schemas import ErrorOut
from escp4i.registry import selectors
from escp4i.registry.exports import ExportFormat, ExportKind, registry_export
from escp4i.registry.models import ClusterOrganisation, Membership, Partnership, SmeMember
from escp4i.registry.services import ImportKind, registry_import
from escp4i.registry.services.profiles import organisation_update, partnership_update
from escp4i.registry.services.tables import detect_format

router = Router(tags=["registry"])

Category = Literal["strand1", "strand2", "voluntary", "pending", "unknown"]


# --- shared small shapes --------------------------------------------------------------------


class GenerationRef(Schema):
    code: str
    name: str


class SectorRef(Schema):
    slug: str
    name: str


class CountryRef(Schema):
    code: str
    name: str


class RegionRef(Schema):
    slug: str
    name: str


class PartnershipRef(Schema):
    slug: str
    acronym: str
    name: str
    generation: str | None = Field(None, description="Generation code, e.g. 2016")

    @staticmethod
    def resolve_generation(obj: Partnership) -> str | None:
        return obj.generation.code if obj.generation else None


# --- partnerships ---------------------------------------------------------------------------


class PartnershipFilters(Schema):
    generation: str | None = Field(
        None, description="Generation code (e.g. 2016); 'none' for unknown generation"
    )
    category: Category | None = None
    sector: str | None = Field(None, description="Focus-area slug")
    target_country: str | None = Field(
        None, description="ISO alpha-2; also matches targeted regions containing the country"
    )
    member_country: str | None = Field(None, description="ISO alpha-2 of a member organisation")
    q: str | None = Field(None, max_length=100, description="Free-text search")


class PartnershipOut(Schema):
    slug: str
    acronym: str
    name: str
    generation: GenerationRef | None
    category: str
    sectors: list[SectorRef]
    target_countries: list[CountryRef]
    target_regions: list[RegionRef]
    member_count: int
    sme_count: int | None
    website: str
    start_date: dt.date | None
    end_date: dt.date | None


class PartnershipMemberOut(Schema):
    organisation: str = Field(..., description="Organisation slug")
    name: str
    country: str
    role: str

    @staticmethod
    def resolve_organisation(obj: Membership) -> str:
        return obj.organisation.slug

    @staticmethod
    def resolve_name(obj: Membership) -> str:
        return obj.organisation.name

    @staticmethod
    def resolve_country(obj: Membership) -> str:
        return obj.organisation.country_id


class PartnershipDetailOut(Schema):
    slug: str
    acronym: str
    name: str
    generation: GenerationRef | None
    category: str
    coordinator_name: str
    sectors: list[SectorRef]
    sectors_text: str
    target_countries: list[CountryRef]
    target_regions: list[RegionRef]
    members: list[PartnershipMemberOut]
    sme_count: int | None
    website: str
    start_date: dt.date | None
    end_date: dt.date | None
    notes: str
    source_urls: list[str]
    is_synthetic: bool

    @staticmethod
    def resolve_members(obj: Partnership) -> list[Membership]:
        return list(obj.memberships.all())


class PartnershipIn(Schema):
    """Fields to change; fields left out stay as they are."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, max_length=300)
    website: str | None = Field(None, max_length=200)
    coordinator_name: str | None = Field(None, max_length=255)
    sectors_text: str | None = Field(None, max_length=500)
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    notes: str | None = None
    sme_count: int | None = Field(None, ge=0)
    target_countries: list[str] | None = Field(None, description="ISO alpha-2 codes")
    target_regions: list[str] | None = Field(None, description="Region slugs")
    sectors: list[str] | None = Field(None, description="Focus-area slugs")


@router.get("/partnerships", response=list[PartnershipOut])
@paginate(KeysetPagination)
def partnership_list(request: HttpRequest, filters: Query[PartnershipFilters]) -> Any:
    """The catalogue: by relevance when ``q`` is given, else by generation and acronym."""
    return selectors.partnership_search(
        generation=filters.generation,
        category=filters.category,
        sector=filters.sector,
        target_country=filters.target_country,
        member_country=filters.member_country,
        query=filters.q,
    )


@router.get("/partnerships/{slug}", response={200: PartnershipDetailOut, 404: ErrorOut})
def partnership_detail(request: HttpRequest, slug: str) -> Partnership:
    return selectors.partnership_get(slug=slug)


@router.patch(
    "/partnerships/{slug}",
    auth=token_auth,
    response={200: PartnershipDetailOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def partnership_patch(request: HttpRequest, slug: str, payload: PartnershipIn) -> Partnership:
    """Edit a partnership profile (programme officers; the partnership's coordinators)."""
    user = actor(request)
    partnership = access_partnership_for_edit(actor=user, slug=slug)
    partnership_update(
        actor=user, partnership=partnership, data=payload.model_dump(exclude_unset=True)
    )
    return selectors.partnership_get(slug=slug)


# --- organisations --------------------------------------------------------------------------


class OrganisationFilters(Schema):
    country: str | None = Field(None, description="ISO alpha-2")
    sector: str | None = Field(None, description="Focus-area slug")
    q: str | None = Field(None, max_length=100, description="Free-text search")


class OrganisationOut(Schema):
    slug: str
    name: str
    country: CountryRef
    region: str
    sectors: list[SectorRef]
    sme_members: int | None
    total_members: int | None
    website: str
    validation_status: str
    partnership_count: int


class OrganisationPartnershipOut(Schema):
    slug: str
    acronym: str
    generation: str | None
    role: str

    @staticmethod
    def resolve_slug(obj: Membership) -> str:
        return obj.partnership.slug

    @staticmethod
    def resolve_acronym(obj: Membership) -> str:
        return obj.partnership.acronym

    @staticmethod
    def resolve_generation(obj: Membership) -> str | None:
        generation = obj.partnership.generation
        return generation.code if generation else None


class OrganisationDetailOut(Schema):
    slug: str
    name: str
    country: CountryRef
    region: str
    sectors: list[SectorRef]
    sectors_text: str
    sme_members: int | None
    total_members: int | None
    website: str
    validation_status: str
    partnerships: list[OrganisationPartnershipOut]
    notes: str
    source_urls: list[str]
    is_synthetic: bool

    @staticmethod
    def resolve_partnerships(obj: ClusterOrganisation) -> list[Membership]:
        return list(obj.memberships.all())


class OrganisationIn(Schema):
    """Fields to change; fields left out stay as they are."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, max_length=255)
    region: str | None = Field(None, max_length=120)
    website: str | None = Field(None, max_length=200)
    sectors_text: str | None = Field(None, max_length=500)
    sme_members: int | None = Field(None, ge=0)
    total_members: int | None = Field(None, ge=0)
    notes: str | None = None
    sectors: list[str] | None = Field(None, description="Focus-area slugs")


@router.get("/organisations", response=list[OrganisationOut])
@paginate(KeysetPagination)
def organisation_list(request: HttpRequest, filters: Query[OrganisationFilters]) -> Any:
    """Organisations: by relevance when ``q`` is given, else by name."""
    return selectors.organisation_search(
        country=filters.country, sector=filters.sector, query=filters.q
    )


@router.get("/organisations/{slug}", response={200: OrganisationDetailOut, 404: ErrorOut})
def organisation_detail(request: HttpRequest, slug: str) -> ClusterOrganisation:
    return selectors.organisation_get(slug=slug)


class SmeMemberOut(Schema):
    name: str
    country: str = Field(..., description="ISO alpha-2")
    nace_code: str = Field(..., description="NACE Rev.2 code; empty when not recorded")
    size_class: str = Field(..., description="micro, small, medium; empty when not recorded")
    is_synthetic: bool

    @staticmethod
    def resolve_country(obj: SmeMember) -> str:
        return obj.country_id


@router.get(
    "/organisations/{slug}/sme-members",
    response={200: list[SmeMemberOut], 404: ErrorOut},
)
@paginate(KeysetPagination)
def organisation_sme_members(request: HttpRequest, slug: str) -> Any:
    """The SME member records of a cluster organisation, by name."""
    return selectors.sme_member_list(organisation=selectors.organisation_get(slug=slug))


@router.patch(
    "/organisations/{slug}",
    auth=token_auth,
    response={200: OrganisationDetailOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def organisation_patch(
    request: HttpRequest, slug: str, payload: OrganisationIn
) -> ClusterOrganisation:
    """Edit an organisation profile (programme officers; its own cluster managers)."""
    user = actor(request)
    organisation = access_organisation_for_edit(actor=user, slug=slug)
    organisation_update(
        actor=user, organisation=organisation, data=payload.model_dump(exclude_unset=True)
    )
    return selectors.organisation_get(slug=slug)


# --- countries and generations --------------------------------------------------------------


class CountryOut(Schema):
    code: str
    name: str
    organisation_count: int = Field(..., description="Cluster organisations based there")
    target_count: int = Field(..., description="Partnerships targeting it directly")


class CountryOrganisationOut(Schema):
    slug: str
    name: str
    partnership_count: int


class CountryDetailOut(Schema):
    code: str
    name: str
    regions: list[str]
    organisations: list[CountryOrganisationOut] = Field(
        ..., description="The first 50 by name; /organisations?country= lists them all"
    )
    organisation_count: int
    member_of: list[PartnershipRef] = Field(
        ..., description="The first 50 by acronym; /partnerships?member_country= lists them all"
    )
    member_of_count: int
    targeted_by: list[PartnershipRef] = Field(
        ...,
        description="Partnerships targeting the country directly or through a region (the "
        "first 50 by acronym; /partnerships?target_country= lists them all)",
    )
    targeted_by_count: int


class GenerationOut(Schema):
    code: str
    name: str
    call_identifier: str
    call_title: str
    label_date: dt.date | None
    description: str
    source_urls: list[str]


@router.get("/countries", response=list[CountryOut])
def country_list(request: HttpRequest) -> Any:
    """Countries with member organisations or targeted by partnerships, with counts."""
    return selectors.country_list_with_activity()


@router.get("/countries/{code}", response={200: CountryDetailOut, 404: ErrorOut})
def country_detail(request: HttpRequest, code: str) -> dict[str, Any]:
    view = selectors.country_get_cached(code=code)
    return {
        "code": view.country.code,
        "name": view.country.name,
        "regions": view.regions,
        "organisations": view.organisations,
        "organisation_count": view.organisation_total,
        "member_of": view.member_of,
        "member_of_count": view.member_of_total,
        "targeted_by": view.targeted_by,
        "targeted_by_count": view.targeted_by_total,
    }


@router.get("/generations", response=list[GenerationOut])
def generation_list(request: HttpRequest) -> Any:
    return selectors.generation_list()


# --- exports --------------------------------------------------------------------------------

_EXPORT_RESPONSES = {
    "responses": {
        200: {
            "description": "The table as a file download (Content-Disposition: attachment)",
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
                    "schema": {"type": "string", "format": "binary"}
                },
                "application/json": {"schema": {"type": "array", "items": {"type": "object"}}},
            },
        }
    }
}


def _download(kind: ExportKind, fmt: ExportFormat, generation: str | None) -> HttpResponse:
    content, content_type, filename = registry_export(kind=kind, fmt=fmt, generation=generation)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@router.get("/export/{kind}.{fmt}", tags=["export"], openapi_extra=_EXPORT_RESPONSES)
def export_file(
    request: HttpRequest,
    kind: ExportKind,
    fmt: ExportFormat,
    generation: str | None = None,
) -> HttpResponse:
    """Download a registry table (CSV, XLSX or JSON) in the columns the importer reads."""
    return _download(kind, fmt, generation)


@router.get("/export/{kind}", tags=["export"], openapi_extra=_EXPORT_RESPONSES)
def export_table(
    request: HttpRequest,
    kind: ExportKind,
    format: ExportFormat = "csv",  # the public query parameter is ?format=
    generation: str | None = None,
) -> HttpResponse:
    """Same as /export/{kind}.{fmt}, with the format as a query parameter."""
    return _download(kind, format, generation)


# --- imports --------------------------------------------------------------------------------


class ImportSummaryOut(Schema):
    kind: str
    rows: int
    created: int
    updated: int
    unchanged: int
    organisations_created: int
    dry_run: bool


@router.post(
    "/imports/{kind}",
    auth=token_auth,
    tags=["imports"],
    response={200: ImportSummaryOut, 403: ErrorOut, 422: ErrorOut},
)
def import_table(
    request: HttpRequest,
    kind: ImportKind,
    file: File[UploadedFile],
    dry_run: bool = False,
    format: Literal["csv", "xlsx"] | None = None,  # public query parameter name
) -> Any:
    """Import a CSV/XLSX table (programme officers). All or nothing: on any bad row nothing is
    written and the 422 response lists every problem in ``extra.errors`` (line, field, message).
    ``dry_run=true`` validates and reports what would change without writing."""
    require_role(actor=actor(request), role=Role.PROGRAMME_OFFICER)
    fmt = format or detect_format(file.name or "")
    return registry_import(
        kind=kind,
        stream=cast(BinaryIO, file),
        fmt=fmt,
        dry_run=dry_run,
        filename=file.name or "",
        actor=actor(request),
    )
