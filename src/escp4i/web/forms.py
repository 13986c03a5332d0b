"""Forms of the public and officer pages: they validate input, services enforce the rules."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from escp4i.core.countries import all_countries
from escp4i.registry.models import (
    ClusterOrganisation,
    Country,
    Generation,
    Partnership,
    PartnershipCategory,
    Region,
    Sector,
)
from escp4i.registry.selectors import sector_list
from escp4i.registry.services import IMPORT_KINDS


def _choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """The named field, typed as a choice field so its choices can be filled at run time."""
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)  # noqa: S101 - programming error, not input
    return field


Choices = list[tuple[str, str]]


class FilterSelect(forms.Select):
    """A select whose options are written inline: Django's own template includes a template
    per option, which on the catalogue filters (hundreds of options) costs more than the query.
    Same markup as ``forms.Select``."""

    template_name = "web/widgets/select.html"


def _any(label: str | Any) -> Choices:
    return [("", label)]


class PartnershipFilterForm(forms.Form):
    """Catalogue filters. Every field is optional; an invalid value is ignored (with an error)."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.SearchInput(attrs={"autocomplete": "off"}),
    )
    generation = forms.ChoiceField(label=_("Generation"), required=False, widget=FilterSelect)
    category = forms.ChoiceField(label=_("Category"), required=False, widget=FilterSelect)
    sector = forms.ChoiceField(label=_("Focus area"), required=False, widget=FilterSelect)
    target_country = forms.ChoiceField(
        label=_("Target country"), required=False, widget=FilterSelect
    )
    member_country = forms.ChoiceField(
        label=_("Member country"), required=False, widget=FilterSelect
    )

    def __init__(
        self,
        data: Any,
        *,
        generations: Iterable[Generation],
        sectors: Iterable[Sector],
        countries: Iterable[Country],
    ) -> None:
        super().__init__(data)
        _choice_field(self, "generation").choices = [
            *_any(_("All generations")),
            *[(g.code, g.name) for g in generations],
            ("none", _("Generation not stated")),
        ]
        _choice_field(self, "category").choices = [
            *_any(_("All categories")),
            *PartnershipCategory.choices,
        ]
        _choice_field(self, "sector").choices = [
            *_any(_("All focus areas")),
            *[(s.slug, s.name) for s in sectors],
        ]
        countries = list(countries)
        _choice_field(self, "target_country").choices = [
            *_any(_("Any target country")),
            *[(c.code, c.name) for c in countries if getattr(c, "is_targeted", False)],
        ]
        _choice_field(self, "member_country").choices = [
            *_any(_("Any member country")),
            *[(c.code, c.name) for c in countries if getattr(c, "has_organisations", False)],
        ]

    def filters(self) -> dict[str, str | None]:
        """The valid filters, as keyword arguments for ``partnership_search``."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {
            "query": cleaned.get("q") or None,
            "generation": cleaned.get("generation") or None,
            "category": cleaned.get("category") or None,
            "sector": cleaned.get("sector") or None,
            "target_country": cleaned.get("target_country") or None,
            "member_country": cleaned.get("member_country") or None,
        }


class OrganisationFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.SearchInput(attrs={"autocomplete": "off"}),
    )
    country = forms.ChoiceField(label=_("Country"), required=False, widget=FilterSelect)

    def __init__(self, data: Any, *, countries: Iterable[Country]) -> None:
        super().__init__(data)
        _choice_field(self, "country").choices = [
            *_any(_("All countries")),
            *[(c.code, c.name) for c in countries if getattr(c, "has_organisations", False)],
        ]

    def filters(self) -> dict[str, str | None]:
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {"query": cleaned.get("q") or None, "country": cleaned.get("country") or None}


class GenerationForm(forms.Form):
    generation = forms.ChoiceField(label=_("Generation"), required=False)

    def __init__(self, *, initial: dict[str, str], generations: Iterable[Generation]) -> None:
        super().__init__(initial=initial)
        _choice_field(self, "generation").choices = [(g.code, g.name) for g in generations]


class _ServiceForm(forms.Form):
    """A form whose data goes to a service; service errors land on the form."""

    def add_service_error(self, error: ValidationError) -> None:
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        else:
            self.add_error(None, error)


class PartnershipProfileForm(_ServiceForm):
    name = forms.CharField(label=_("Name"), max_length=300)
    coordinator_name = forms.CharField(label=_("Coordinator"), max_length=255, required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    sectors_text = forms.CharField(
        label=_("Sectors (as described)"), max_length=500, required=False
    )
    target_countries = forms.MultipleChoiceField(
        label=_("Target countries"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Hold Ctrl (or Cmd) to select several countries."),
    )
    sectors = forms.MultipleChoiceField(
        label=_("Focus areas"), required=False, widget=forms.CheckboxSelectMultiple
    )
    target_regions = forms.MultipleChoiceField(
        label=_("Target regions"), required=False, widget=forms.CheckboxSelectMultiple
    )
    sme_count = forms.IntegerField(
        label=_("SMEs (as stated)"),
        min_value=0,
        required=False,
        help_text=_("Leave empty when no source states it."),
    )
    start_date = forms.DateField(
        label=_("Start date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end_date = forms.DateField(
        label=_("End date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea)

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "name": partnership.name,
                "coordinator_name": partnership.coordinator_name,
                "website": partnership.website,
                "sectors_text": partnership.sectors_text,
                "target_countries": [c.code for c in partnership.target_countries.all()],
                "target_regions": [r.slug for r in partnership.target_regions.all()],
                "sectors": [s.slug for s in partnership.sectors.all()],
                "sme_count": partnership.sme_count,
                "start_date": partnership.start_date,
                "end_date": partnership.end_date,
                "notes": partnership.notes,
            },
        )
        super().__init__(*args, **kwargs)
        _choice_field(self, "target_countries").choices = list(all_countries())
        _choice_field(self, "target_regions").choices = [
            (r.slug, r.name) for r in Region.objects.all()
        ]
        _choice_field(self, "sectors").choices = [(s.slug, s.name) for s in sector_list()]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date is before the start date."))
        return cleaned


class OrganisationProfileForm(_ServiceForm):
    name = forms.CharField(label=_("Name"), max_length=255)
    region = forms.CharField(label=_("Region"), max_length=120, required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    sectors_text = forms.CharField(
        label=_("Sectors (as described)"), max_length=500, required=False
    )
    sectors = forms.MultipleChoiceField(
        label=_("Focus areas"), required=False, widget=forms.CheckboxSelectMultiple
    )
    sme_members = forms.IntegerField(label=_("SME members"), min_value=0, required=False)
    total_members = forms.IntegerField(label=_("Total members"), min_value=0, required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea)

    def __init__(self, *args: Any, organisation: ClusterOrganisation, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "name": organisation.name,
                "region": organisation.region,
                "website": organisation.website,
                "sectors_text": organisation.sectors_text,
                "sectors": [s.slug for s in organisation.sectors.all()],
                "sme_members": organisation.sme_members,
                "total_members": organisation.total_members,
                "notes": organisation.notes,
            },
        )
        super().__init__(*args, **kwargs)
        _choice_field(self, "sectors").choices = [(s.slug, s.name) for s in sector_list()]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        smes, total = cleaned.get("sme_members"), cleaned.get("total_members")
        if smes is not None and total is not None and smes > total:
            self.add_error("sme_members", _("More SME members than members in total."))
        return cleaned


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What the file contains"),
        choices=[
            (kind, label)
            for kind, label in zip(
                IMPORT_KINDS,
                (_("Partnerships"), _("Cluster organisations"), _("Memberships")),
                strict=True,
            )
        ],
    )
    file = forms.FileField(
        label=_("File (CSV or XLSX)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
    dry_run = forms.BooleanField(
        label=_("Dry run: check the file and show what would change, without saving"),
        required=False,
        initial=True,
    )

    def clean_file(self) -> Any:
        from escp4i.core.uploads import too_large_error, upload_max_bytes

        upload = self.cleaned_data["file"]
        if upload.size is not None and upload.size > upload_max_bytes():
            raise too_large_error(upload.size)
        return upload
