"""Requests whose text contains a NUL character are refused before any view runs.

No field of the site accepts a NUL (0x00): Django's form fields already refuse it, but query
parameters, path segments and JSON strings reach querysets too, and PostgreSQL cannot store or
even compare text containing NUL (a ``DataError``, so a 500). One check here covers every page
and API operation: 400 with the friendly page on the web, 422 ``invalid_request`` under /api/.
Uploaded files are not looked at (binary content is fine there).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _

from escp4i.api.errors import error_response
from escp4i.api.middleware import is_api_path

_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _contains_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path:
        return True
    for key, values in request.GET.lists():
        if "\x00" in key or any("\x00" in v for v in values):
            return True
    if request.content_type == "application/json":
        return b"\\u0000" in request.body  # how JSON writes a NUL inside a string
    if request.method == "POST" and request.content_type in _FORM_TYPES:
        return any(
            "\x00" in key or any("\x00" in v for v in values)
            for key, values in request.POST.lists()
        )
    return False


class RejectNulCharactersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not _contains_nul(request):
            return self.get_response(request)
        message = _("The request contains a NUL character, which no field accepts.")
        if is_api_path(request.path):
            return error_response(422, message)
        return render(
            request,
            "web/error.html",
            {"status": 400, "title": _("Bad request"), "message": message},
            status=400,
        )
