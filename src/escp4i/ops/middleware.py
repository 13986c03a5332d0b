"""Request ids with one structured access-log line per request, and the Content-Security-Policy.

``X-Request-ID`` from the proxy is kept when it looks like an id (so one id follows a request
through nginx, gunicorn and the logs); otherwise a new one is made. It is returned on the
response and attached to every log record written while the request runs.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.utils.functional import SimpleLazyObject, empty

from escp4i.ops.logging import request_id_var

logger = logging.getLogger("escp4i.request")

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")

Handler = Callable[[HttpRequest], HttpResponseBase]


def _user_id(request: HttpRequest) -> int | None:
    """The user's id if the request already resolved its user; never costs a query."""
    user = request.__dict__.get("user")
    if user is None:
        return None
    if isinstance(user, SimpleLazyObject) and user._wrapped is empty:
        return None
    if not getattr(user, "is_authenticated", False):
        return None
    pk = getattr(user, "pk", None)
    return pk if isinstance(pk, int) else None


class RequestLogMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]  # read by views and tests
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "user_id": _user_id(request),
                },
            )
            return response
        finally:
            request_id_var.reset(token)


def _policy() -> str:
    return "; ".join(
        " ".join([directive, *sources]) for directive, sources in settings.ESCP4I_CSP.items()
    )


class ContentSecurityPolicyMiddleware:
    """Adds the site's policy (settings.ESCP4I_CSP) unless the view set its own."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if "Content-Security-Policy" in response:
            return response
        if settings.DEBUG and response.status_code >= 400:
            return response  # Django's technical error pages use inline scripts and styles
        header = (
            "Content-Security-Policy-Report-Only"
            if settings.ESCP4I_CSP_REPORT_ONLY
            else "Content-Security-Policy"
        )
        response[header] = _policy()
        return response
