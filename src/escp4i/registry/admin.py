"""Admin for the registry (programme officers only; see accounts/admin_site.py)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from escp4i.accounts.admin_site import OfficerOnlyAdmin, OfficerOnlyInline
from escp4i.registry.models import (
    ClusterOrganisation,
    Country,
    Generation,
    Membership,
    Partnership,
    Region,
    ReportedFigure,
    Sector,
)


class MembershipInline(OfficerOnlyInline):
    model = Membership
    extra = 0
    fields = ("organisation", "role", "source_urls", "notes")
    raw_id_fields = ("organisation",)


@admin.register(Partnership)
class PartnershipAdmin(OfficerOnlyAdmin):
    inlines = (MembershipInline,)
    list_display = ("acronym", "name", "generation", "category", "sme_count", "is_synthetic")
    list_filter = ("generation", "category", "sectors", "is_synthetic")
    search_fields = ("acronym", "name", "coordinator_name", "sectors_text")
    prepopulated_fields = {"slug": ("acronym",)}
    filter_horizontal = ("sectors", "target_countries", "target_regions")
    list_select_related = ("generation",)


@admin.register(ClusterOrganisation)
class ClusterOrganisationAdmin(OfficerOnlyAdmin):
    list_display = ("name", "country", "sme_members", "total_members", "validation_status")
    list_filter = ("validation_status", "sectors", "is_synthetic", "country")
    search_fields = ("name", "region", "sectors_text")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("sectors",)
    list_select_related = ("country",)


@admin.register(Generation)
class GenerationAdmin(OfficerOnlyAdmin):
    list_display = ("code", "name", "call_identifier", "label_date")
    search_fields = ("code", "name", "call_identifier")


@admin.register(ReportedFigure)
class ReportedFigureAdmin(OfficerOnlyAdmin):
    list_display = ("generation", "key", "qualifier", "value", "as_of", "source_url")
    list_filter = ("generation", "key")
    search_fields = ("key", "source_url", "note")
    list_select_related = ("generation",)


@admin.register(Country)
class CountryAdmin(OfficerOnlyAdmin):
    """ISO reference data from pycountry: viewable, never edited by hand."""

    list_display = ("code", "name")
    search_fields = ("code", "name")

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Region)
class RegionAdmin(OfficerOnlyAdmin):
    list_display = ("name", "slug")
    search_fields = ("name", "slug")
    filter_horizontal = ("countries",)


@admin.register(Sector)
class SectorAdmin(OfficerOnlyAdmin):
    list_display = ("name", "slug", "position")
    search_fields = ("name", "slug")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Sector]:
        return super().get_queryset(request).order_by("position")
