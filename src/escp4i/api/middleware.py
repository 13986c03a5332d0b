"""Errors under ``/api/`` are JSON, also those that never reach an API operation.

Ninja answers a wrong method with a plain-text 405, and Django's URL resolver, CSRF check and
request parsing answer with HTML pages. This middleware rewrites any non-JSON error response under
``/api/`` into the shared ``{"code", "message", "extra"}`` shape, keeping its status and headers
such as ``Allow``. The interactive docs page (``/api/v1/docs``) is HTML and is left alone.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBase

from escp4i.api.errors import error_response

_KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate")


def is_api_path(path: str) -> bool:
    return path.startswith("/api/")


class ApiJsonErrorsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if response.status_code < 400 or not is_api_path(request.path):
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        replacement: HttpResponse = error_response(response.status_code)
        for header in _KEPT_HEADERS:
            if header in response:
                replacement[header] = response[header]
        return replacement
