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
    SmeMember,
)
from escp4i.registry.services import (
    organisation_renamed,
    partnership_members_text_refresh,
    registry_changed,
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

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        partnership_members_text_refresh(partnership_ids=[form.instance.pk])
        registry_changed()

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        super().delete_model(request, obj)
        registry_changed()

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        super().delete_queryset(request, queryset)
        registry_changed()


@admin.register(ClusterOrganisation)
class ClusterOrganisationAdmin(OfficerOnlyAdmin):
    list_display = ("name", "country", "sme_members", "total_members", "validation_status")
    list_filter = ("validation_status", "sectors", "is_synthetic", "country")
    search_fields = ("name", "region", "sectors_text")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("sectors",)
    list_select_related = ("country",)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change and "name" in form.changed_data:
            organisation_renamed(organisation_id=obj.pk)
        registry_changed()

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        affected = list(obj.memberships.values_list("partnership_id", flat=True))
        super().delete_model(request, obj)
        partnership_members_text_refresh(partnership_ids=affected)
        registry_changed()

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        affected = list(
            Membership.objects.filter(organisation__in=queryset).values_list(
                "partnership_id", flat=True
            )
        )
        super().delete_queryset(request, queryset)
        partnership_members_text_refresh(partnership_ids=affected)
        registry_changed()


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


@admin.register(SmeMember)
class SmeMemberAdmin(OfficerOnlyAdmin):
    list_display = ("name", "organisation", "country", "nace_code", "size_class", "is_synthetic")
    list_filter = ("size_class", "is_synthetic")
    search_fields = ("name", "nace_code")
    raw_id_fields = ("organisation",)
    list_select_related = ("organisation", "country")
    show_full_result_count = False  # a million rows: no COUNT(*) on every list page
