"""Rate limits of the public API (``/api/``), counted in the Django cache (core/ratelimit.py).

Requests that carry a known, unrevoked token count against that token
(``ESCP4I_API_RATE_LIMIT_TOKEN`` per ``ESCP4I_API_RATE_WINDOW_S``); all others count against the
client address (``ESCP4I_API_RATE_LIMIT_IP``), so made-up tokens cannot dodge the address limit.
Over the limit: 429 in the shared error shape (api/errors.py) ``{"code": "rate_limited",
"message", "extra": {"retry_after"}}`` with ``Retry-After``. Failed token authentications are
throttled per address as well (``ESCP4I_API_TOKEN_MAX_FAILURES``). Every operation documents
the 429 (api/openapi.py).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI

from escp4i.accounts.models import ApiToken
from escp4i.accounts.services import token_digest
from escp4i.api.errors import error_response
from escp4i.core.errors import RateLimited
from escp4i.core.ratelimit import client_ip, rate_count, rate_hit, rate_retry_after

TOKEN_FAILURE_SCOPE = "api-token-fail"  # noqa: S105  # a cache key scope, not a secret


def _bearer(request: HttpRequest) -> str:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _sep, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


def _limited_response(retry_after: int, limit: int) -> JsonResponse:
    response = error_response(
        RateLimited.status,
        _("Too many requests: try again in %(n)d seconds.") % {"n": retry_after},
        retry_after=retry_after,
    )
    response["Retry-After"] = str(retry_after)
    response["X-RateLimit-Limit"] = str(limit)
    response["X-RateLimit-Remaining"] = "0"
    return response


class ApiRateLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not request.path.startswith("/api/"):
            return self.get_response(request)
        window: int = settings.ESCP4I_API_RATE_WINDOW_S
        secret = _bearer(request)
        digest = token_digest(secret) if secret else ""
        if digest and ApiToken.objects.filter(digest=digest, revoked_at__isnull=True).exists():
            scope, identity, limit = "api-token", digest, settings.ESCP4I_API_RATE_LIMIT_TOKEN
        else:
            scope, identity = "api-ip", client_ip(request.META)
            limit = settings.ESCP4I_API_RATE_LIMIT_IP
        if limit <= 0:
            return self.get_response(request)
        result = rate_hit(scope=scope, identity=identity, limit=limit, window_s=window)
        if not result.allowed:
            return _limited_response(result.retry_after, limit)
        response = self.get_response(request)
        response["X-RateLimit-Limit"] = str(limit)
        response["X-RateLimit-Remaining"] = str(result.remaining)
        return response


def token_failures_check(request: HttpRequest) -> None:
    """Refuse token authentication from an address that failed too often (429)."""
    limit: int = settings.ESCP4I_API_TOKEN_MAX_FAILURES
    if limit <= 0:
        return
    window: int = settings.ESCP4I_API_RATE_WINDOW_S
    ip = client_ip(request.META)
    if rate_count(scope=TOKEN_FAILURE_SCOPE, identity=ip, window_s=window) >= limit:
        retry = rate_retry_after(window_s=window)
        raise RateLimited(
            _("Too many failed token authentications: try again in %(n)d seconds.") % {"n": retry},
            retry_after=retry,
        )


def token_failure_record(request: HttpRequest) -> None:
    rate_hit(
        scope=TOKEN_FAILURE_SCOPE,
        identity=client_ip(request.META),
        limit=settings.ESCP4I_API_TOKEN_MAX_FAILURES,
        window_s=settings.ESCP4I_API_RATE_WINDOW_S,
    )


def register_rate_limit_handler(api: NinjaAPI) -> None:
    @api.exception_handler(RateLimited)
    def rate_limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
        response = api.create_response(
            request,
            {"code": exc.code, "message": exc.message, "extra": exc.extra},
            status=exc.status,
        )
        response["Retry-After"] = str(exc.retry_after)
        return response
