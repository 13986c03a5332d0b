"""Fixed-window counters in the Django cache: login throttling, API rate limits.

With the Redis cache (``ESCP4I_CACHE_URL``) every web process and machine shares the counters,
because ``add`` and ``incr`` are atomic there; with the default local-memory cache each process
counts on its own. Keys hold a digest of the counted identity (user name, IP, token digest),
never the identity itself.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache


@dataclass(frozen=True, slots=True)
class RateResult:
    allowed: bool
    count: int
    limit: int
    retry_after: int  # seconds until the current window ends

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.count)


def _key(scope: str, identity: str, bucket: int) -> str:
    digest = hashlib.sha256(identity.encode("utf-8")).hexdigest()[:32]
    return f"rl:{scope}:{digest}:{bucket}"


def _window(window_s: int, now: float | None) -> tuple[int, int]:
    now = time.time() if now is None else now
    bucket = int(now // window_s)
    retry_after = max(1, math.ceil((bucket + 1) * window_s - now))
    return bucket, retry_after


def rate_hit(
    *, scope: str, identity: str, limit: int, window_s: int, now: float | None = None
) -> RateResult:
    """Count one event for ``identity`` in the current window; allowed while count <= limit."""
    bucket, retry_after = _window(window_s, now)
    key = _key(scope, identity, bucket)
    if cache.add(key, 1, timeout=window_s + 1):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=window_s + 1)
            count = 1
    return RateResult(allowed=count <= limit, count=count, limit=limit, retry_after=retry_after)


def rate_retry_after(*, window_s: int, now: float | None = None) -> int:
    """Seconds until the current window ends."""
    return _window(window_s, now)[1]


def rate_count(*, scope: str, identity: str, window_s: int, now: float | None = None) -> int:
    """Events counted so far in the current window (without counting one)."""
    bucket, _retry = _window(window_s, now)
    value = cache.get(_key(scope, identity, bucket), 0)
    return int(value)


def rate_reset(*, scope: str, identity: str, window_s: int, now: float | None = None) -> None:
    bucket, _retry = _window(window_s, now)
    cache.delete(_key(scope, identity, bucket))


def client_ip(meta: Mapping[str, object]) -> str:
    """The client address: REMOTE_ADDR, or, behind ``ESCP4I_TRUSTED_PROXY_COUNT`` proxies that
    each append to X-Forwarded-For, the address the outermost trusted proxy saw."""
    remote = str(meta.get("REMOTE_ADDR") or "unknown")
    proxies: int = settings.ESCP4I_TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [p.strip() for p in str(meta.get("HTTP_X_FORWARDED_FOR") or "").split(",")]
    forwarded = [p for p in forwarded if p]
    if not forwarded:
        return remote
    return forwarded[-proxies] if len(forwarded) >= proxies else forwarded[0]
