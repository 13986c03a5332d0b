"""Forms of the partner-search and forum pages. They check types and choices; the services
enforce the rules (deadline, sectors or description, permissions) and their ValidationError is
attached to the matching field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from escp4i.collaboration.markup import MAX_SOURCE_LENGTH
from escp4i.collaboration.models import PartnerSearchKind, PartnerSearchOutcome
from escp4i.collaboration.selectors import ListStatus
from escp4i.registry.models import Country, Region, Sector

MARKDOWN_HELP = _(
    "Markdown: **bold**, _italic_, lists, [links](https://…), `code`, > quotes and tables. "
    "HTML is shown as text."
)

Choices = list[tuple[Any, Any]]


def _choices(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)  # noqa: S101 - programming error, not input
    return field


def country_choices() -> Choices:
    return [(c.code, c.name) for c in Country.objects.order_by("name")]


def market_choices() -> Choices:
    """Regions first, then countries, as option groups (values: region slugs, ISO codes)."""
    return [
        (_("Regions"), [(r.slug, r.name) for r in Region.objects.order_by("name")]),
        (_("Countries"), country_choices()),
    ]


class ServiceErrorsMixin:
    """Attach a service's ValidationError to the fields it names (others: the whole form)."""

    def add_service_error(self, error: ValidationError) -> None:
        form: Any = self
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, error)


class PartnerSearchForm(ServiceErrorsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind of search"), choices=PartnerSearchKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=MAX_SOURCE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What you offer, whom you look for and why. Needed if no sector is chosen."),
    )
    sectors = forms.MultipleChoiceField(
        label=_("Sectors"), required=False, widget=forms.CheckboxSelectMultiple
    )
    countries_sought = forms.MultipleChoiceField(
        label=_("Partner countries sought"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Where the partners you look for are based. None: anywhere."),
    )
    target_markets = forms.MultipleChoiceField(
        label=_("Target markets"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("The third markets you aim at: regions or countries."),
    )
    deadline = forms.DateField(
        label=_("Deadline"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The last day on which interest can be expressed."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "sectors").choices = [
            (s.slug, s.name) for s in Sector.objects.order_by("position")
        ]
        _choices(self, "countries_sought").choices = country_choices()
        _choices(self, "target_markets").choices = market_choices()


class PartnerSearchFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.SearchInput(attrs={"autocomplete": "off"}),
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Any kind")), *PartnerSearchKind.choices]
    )
    sector = forms.ChoiceField(label=_("Sector"), required=False)
    country_sought = forms.ChoiceField(label=_("Partner country sought"), required=False)
    target_market = forms.ChoiceField(label=_("Target market"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Any status")),
            (ListStatus.OPEN, _("Open")),
            (ListStatus.EXPIRED, _("Expired (deadline passed)")),
            (ListStatus.CLOSED, _("Closed")),
        ],
    )

    def __init__(self, data: Any) -> None:
        super().__init__(data)
        _choices(self, "sector").choices = [
            ("", _("Any sector")),
            *[(s.slug, s.name) for s in Sector.objects.order_by("position")],
        ]
        _choices(self, "country_sought").choices = [
            ("", _("Any country")),
            *country_choices(),
        ]
        _choices(self, "target_market").choices = [("", _("Any market")), *market_choices()]

    def filters(self) -> dict[str, str | None]:
        """The valid filters, as keyword arguments for ``partner_search_list``."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {
            "query": cleaned.get("q") or None,
            "kind": cleaned.get("kind") or None,
            "sector": cleaned.get("sector") or None,
            "country_sought": cleaned.get("country_sought") or None,
            "target_market": cleaned.get("target_market") or None,
            "status": cleaned.get("status") or None,
        }


class CloseForm(ServiceErrorsMixin, forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[("", "—"), *PartnerSearchOutcome.choices]
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown on the closed request, e.g. who you found."),
    )


class InterestForm(ServiceErrorsMixin, forms.Form):
    message = forms.CharField(
        label=_("Message to the organisation"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only the posting organisation and programme officers can read it."),
    )


class CommentForm(ServiceErrorsMixin, forms.Form):
    body = forms.CharField(
        label=_("Comment"),
        max_length=MAX_SOURCE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=MARKDOWN_HELP,
    )


class ModerationForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


class ThreadForm(ServiceErrorsMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Text"),
        max_length=MAX_SOURCE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=MARKDOWN_HELP,
    )


class PostForm(ServiceErrorsMixin, forms.Form):
    body = forms.CharField(
        label=_("Your reply"),
        max_length=MAX_SOURCE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=MARKDOWN_HELP,
    )


class ForumSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search the forum"),
        required=False,
        max_length=100,
        widget=forms.SearchInput(attrs={"autocomplete": "off"}),
    )
