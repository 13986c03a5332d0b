"""Template helpers for the public pages."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def or_not_stated(value: object) -> object:
    """The value, or a visible "not stated" for unknown values (None or empty, never 0)."""
    if value is None or value == "" or value == []:
        return format_html('<span class="not-stated">{}</span>', _("not stated"))
    return value


@register.simple_tag
def not_stated() -> SafeString:
    return format_html('<span class="not-stated">{}</span>', _("not stated"))


@register.simple_tag
def synthetic_badge(obj: object) -> SafeString:
    """The "synthetic" badge for demo and scale-test rows (``is_synthetic``), else nothing.

    A tag rather than an included template: list pages show it on every row.
    """
    if not getattr(obj, "is_synthetic", False):
        return SafeString("")
    return format_html(
        ' <span class="badge badge-synthetic" title="{}">{}</span>',
        _("Generated for demos or scale tests, not real."),
        _("synthetic"),
    )
