"""The site's error pages (400, 403, 404, 500 and a failed CSRF check).

Web pages get a short, translated explanation inside the site layout and never a traceback; under
``/api/`` the same errors are JSON in the API's ``{"code", "message", "extra"}`` shape. The
messages our own code puts in ``Http404``/``PermissionDenied`` (from the access selectors) are
written for users and are shown; Django's internal ones (such as the URL resolver's) are not.
"""

from __future__ import annotations

import logging

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import Resolver404
from django.utils.html import escape
from django.utils.translation import gettext as _

from escp4i.api.errors import error_response
from escp4i.api.middleware import is_api_path

logger = logging.getLogger("escp4i.web")


def _user_message(exception: Exception | None) -> str:
    if exception is None or isinstance(exception, Resolver404):
        return ""
    message = exception.args[0] if exception.args else ""
    return message if isinstance(message, str) else ""


def _page(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    return render(
        request,
        "web/error.html",
        {"status": status, "title": title, "message": message},
        status=status,
    )


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api_path(request.path):
        return error_response(400)
    return _page(
        request,
        400,
        _("Bad request"),
        _("The request could not be understood. Check the address or the form and try again."),
    )


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    detail = _user_message(exception)
    if is_api_path(request.path):
        return error_response(403, detail or None)
    return _page(
        request,
        403,
        _("Access denied"),
        detail or _("Your account may not see or change this page."),
    )


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    detail = _user_message(exception) if isinstance(exception, Http404) else ""
    if is_api_path(request.path):
        return error_response(404, detail or None)
    return _page(
        request,
        404,
        _("Page not found"),
        detail or _("There is nothing at this address. It may have moved, or never existed."),
    )


def server_error(request: HttpRequest) -> HttpResponse:
    """Django has already logged the exception. Rendering must not fail in turn: if the layout
    cannot be rendered (say the database is down), a bare page says the same thing."""
    if is_api_path(request.path):
        return error_response(500)
    title = _("Something went wrong")
    message = _(
        "An unexpected error occurred and has been logged. Nothing you entered was saved by the "
        "failed request: go back and try again in a moment."
    )
    try:
        return _page(request, 500, title, message)
    except Exception:  # the error page itself failed: fall back to plain HTML
        logger.exception("The 500 page could not be rendered")
        body = f"<!doctype html><title>{escape(title)}</title><h1>{escape(title)}</h1>"
        return HttpResponse(f"{body}<p>{escape(message)}</p>", status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without a valid CSRF token: usually an expired session or an old tab."""
    logger.warning("CSRF check failed for %s: %s", request.path, reason)
    if is_api_path(request.path):
        return error_response(403, _("The CSRF check failed."))
    return _page(
        request,
        403,
        _("The form has expired"),
        _(
            "The form could not be accepted because its security token is missing or out of "
            "date (for example after logging in elsewhere or leaving the page open for long). "
            "Reload the page and send the form again."
        ),
    )
