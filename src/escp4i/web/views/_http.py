"""Small HTTP helpers shared by the web views: htmx detection, pagination, error mapping."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.core import exceptions as django_exceptions
from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

from escp4i.core import errors
from escp4i.core.pagination import (
    COUNT_CAP,
    CappedCount,
    InvalidCursor,
    KeysetPage,
    capped_count,
    keyset_page,
)

T = TypeVar("T")
M = TypeVar("M", bound=Model)


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


def keyset_paginate(
    request: HttpRequest, queryset: QuerySet[M]
) -> tuple[KeysetPage[M], CappedCount]:
    """One keyset page of ``queryset`` (``?cursor=``) and its row count, exact up to
    ``COUNT_CAP``. A tampered cursor is a 400."""
    try:
        page = keyset_page(
            queryset, size=settings.ESCP4I_PAGE_SIZE, cursor=request.GET.get("cursor") or None
        )
    except InvalidCursor as exc:
        raise django_exceptions.BadRequest(exc.message) from exc
    if not page.has_other_pages:  # everything is on this page: no count query
        return page, CappedCount(len(page.object_list), capped=False)
    return page, capped_count(queryset, cap=COUNT_CAP)


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
