"""Small HTTP helpers shared by the web views: htmx detection, pagination, error mapping."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.core import exceptions as django_exceptions
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

from escp4i.core import errors

T = TypeVar("T")


def is_htmx(request: HttpRequest) -> bool:
    """An htmx swap request (a history restore wants the whole page, so it is not one)."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def render_page_or_fragment(
    request: HttpRequest, page: str, fragment: str, context: dict[str, Any]
) -> HttpResponse:
    """The whole page, or only its results fragment for htmx requests."""
    response = render(request, fragment if is_htmx(request) else page, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def paginate(request: HttpRequest, items: Any) -> Page[Any]:
    return Paginator(items, settings.ESCP4I_PAGE_SIZE).get_page(request.GET.get("page"))


def fetch(selector: Callable[..., T], **kwargs: Any) -> T:
    """Call a selector and map its domain errors to Django's 404 / 403."""
    try:
        return selector(**kwargs)
    except (errors.NotFound, errors.PermissionDenied) as exc:
        raise http_error(exc) from exc


def http_error(exc: errors.NotFound | errors.PermissionDenied) -> Exception:
    if isinstance(exc, errors.NotFound):
        return Http404(exc.message)
    return django_exceptions.PermissionDenied(exc.message)
