"""``/health`` (liveness: the process answers) and ``/health/ready`` (readiness: database,
migrations, and the shared cache and broker when configured). JSON, 200 or 503, never cached."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from escp4i.ops.health import readiness


@never_cache
@require_safe
def health(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def health_ready(request: HttpRequest) -> JsonResponse:
    ok, checks = readiness()
    return JsonResponse(
        {"status": "ok" if ok else "unavailable", "checks": checks}, status=200 if ok else 503
    )
