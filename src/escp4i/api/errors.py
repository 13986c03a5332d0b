"""Every API error as one JSON shape: ``{"code", "message", "extra"}``.

Domain errors keep their own code and status; Django's ``ValidationError`` is a 422 with
per-field details; a request that does not match the operation's schema (ninja's validation) is a
422 ``invalid_request`` listing each problem in ``extra.errors``; a missing or bad token is a 401;
anything unexpected is logged and answered with a 500 ``server_error`` that carries no traceback.
Unknown URLs and wrong methods under ``/api/`` get the same shape from ``api/middleware.py`` and
the site's error handlers (``web/views/errors.py``).
"""

from __future__ import annotations

import logging
from typing import Any

from django.core import exceptions as django_exceptions
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja import errors as ninja_errors

from escp4i.core.errors import DomainError, RateLimited

logger = logging.getLogger("escp4i.api")

# The message for each status a generic HTTP error can carry (ninja's HttpError, middleware).
STATUS_CODES: dict[int, str] = {
    400: "bad_request",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid_request",
    429: RateLimited.code,
    500: "server_error",
}


def status_message(status: int) -> str:
    messages = {
        400: _("The request could not be read."),
        401: _("Send a valid API token: Authorization: Bearer <token>."),
        403: _("You may not do this."),
        404: _("Nothing was found at this address."),
        405: _("This method is not allowed here."),
        409: _("The request conflicts with the current state."),
        413: _("The request is too large."),
        415: _("This content type is not supported."),
        422: _("The request is not valid."),
        429: _("Too many requests: wait a little and try again."),
        500: _("An unexpected error occurred; it has been logged."),
    }
    return messages.get(status, _("The request failed."))


def error_body(status: int, message: str | None = None, **extra: Any) -> dict[str, Any]:
    return {
        "code": STATUS_CODES.get(status, "error"),
        "message": message or status_message(status),
        "extra": extra,
    }


def error_response(status: int, message: str | None = None, **extra: Any) -> JsonResponse:
    """A JSON error outside ninja (URL not found, method not allowed, CSRF, server error)."""
    return JsonResponse(error_body(status, message, **extra), status=status)


def register_error_handlers(api: NinjaAPI) -> None:
    def respond(request: HttpRequest, status: int, body: dict[str, Any]) -> HttpResponse:
        return api.create_response(request, body, status=status)

    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        return respond(
            request, exc.status, {"code": exc.code, "message": exc.message, "extra": exc.extra}
        )

    @api.exception_handler(django_exceptions.ValidationError)
    def validation_error(
        request: HttpRequest, exc: django_exceptions.ValidationError
    ) -> HttpResponse:
        fields = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        return respond(
            request,
            422,
            {
                "code": "validation_error",
                "message": _("Some fields are not valid."),
                "extra": {"fields": fields},
            },
        )

    @api.exception_handler(ninja_errors.ValidationError)
    def schema_error(request: HttpRequest, exc: ninja_errors.ValidationError) -> HttpResponse:
        return respond(
            request,
            422,
            error_body(
                422,
                _("The request does not match the API schema: see extra.errors."),
                errors=exc.errors,
            ),
        )

    @api.exception_handler(ninja_errors.AuthenticationError)
    def not_authenticated(
        request: HttpRequest, exc: ninja_errors.AuthenticationError
    ) -> HttpResponse:
        return respond(request, 401, error_body(401))

    @api.exception_handler(ninja_errors.HttpError)
    def http_error(request: HttpRequest, exc: ninja_errors.HttpError) -> HttpResponse:
        status = exc.status_code
        extra: dict[str, Any] = {}
        if isinstance(exc, ninja_errors.Throttled) and exc.wait is not None:
            extra["wait_s"] = exc.wait
        return respond(request, status, error_body(status, status_message(status), **extra))

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(request, 404, error_body(404))

    @api.exception_handler(django_exceptions.PermissionDenied)
    def permission_denied(
        request: HttpRequest, exc: django_exceptions.PermissionDenied
    ) -> HttpResponse:
        return respond(request, 403, error_body(403))

    @api.exception_handler(django_exceptions.BadRequest)
    @api.exception_handler(django_exceptions.SuspiciousOperation)
    @api.exception_handler(MultiPartParserError)
    def bad_request(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.warning("Bad API request to %s: %s", request.path, exc)
        return respond(request, 400, error_body(400))

    @api.exception_handler(Exception)
    def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.error("Unhandled error in %s %s", request.method, request.path, exc_info=exc)
        return respond(request, 500, error_body(500))
