"""Login throttling and lockout, per account name and per client IP, counted in the cache.

After ``ESCP4I_LOGIN_MAX_FAILURES`` failed log-ins for one account name (or
``ESCP4I_LOGIN_MAX_FAILURES_PER_IP`` from one address) within ``ESCP4I_LOGIN_WINDOW_S``, log-ins
for that name (or from that address) are refused for ``ESCP4I_LOGIN_LOCKOUT_S``, even with the
right password. Names are counted whether or not an account exists, and the message is the same,
so a lockout never tells whether an account exists. Each lockout writes an audit entry; an
officer can lift it early (``login_unlock``, the ``unlock_login`` command).
"""

from __future__ import annotations

import math
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from escp4i.accounts.models import User
from escp4i.core.audit import audit_record
from escp4i.core.ratelimit import rate_hit, rate_reset

FAIL_SCOPE_ACCOUNT = "login-fail-account"
FAIL_SCOPE_IP = "login-fail-ip"


def _norm(username: str) -> str:
    return username.strip().casefold()


def _lock_key(scope: str, identity: str) -> str:
    import hashlib

    return f"login-lock:{scope}:{hashlib.sha256(identity.encode('utf-8')).hexdigest()[:32]}"


def _remaining(key: str, now: float) -> int:
    until = cache.get(key)
    if until is None:
        return 0
    return max(0, math.ceil(float(until) - now))


def login_lock_remaining(*, username: str, ip: str, now: float | None = None) -> int:
    """Seconds until log-ins for ``username`` from ``ip`` are allowed again (0: not locked)."""
    now = time.time() if now is None else now
    return max(
        _remaining(_lock_key("account", _norm(username)), now),
        _remaining(_lock_key("ip", ip), now),
    )


def _lock(scope: str, identity: str, *, username: str, ip: str, now: float) -> None:
    lockout_s: int = settings.ESCP4I_LOGIN_LOCKOUT_S
    if cache.add(_lock_key(scope, identity), now + lockout_s, timeout=lockout_s):
        audit_record(
            actor=None,
            action="login.lockout",
            target=User.objects.filter(username__iexact=username).first(),
            data={"scope": scope, "username": username[:150], "ip": ip, "seconds": lockout_s},
        )


@transaction.atomic
def login_failure_record(*, username: str, ip: str, now: float | None = None) -> int:
    """Count one failed log-in; returns the lockout's remaining seconds if this locked it."""
    now = time.time() if now is None else now
    window: int = settings.ESCP4I_LOGIN_WINDOW_S
    account = rate_hit(
        scope=FAIL_SCOPE_ACCOUNT,
        identity=_norm(username),
        limit=settings.ESCP4I_LOGIN_MAX_FAILURES,
        window_s=window,
        now=now,
    )
    per_ip = rate_hit(
        scope=FAIL_SCOPE_IP,
        identity=ip,
        limit=settings.ESCP4I_LOGIN_MAX_FAILURES_PER_IP,
        window_s=window,
        now=now,
    )
    if account.count >= account.limit:
        _lock("account", _norm(username), username=username, ip=ip, now=now)
    if per_ip.count >= per_ip.limit:
        _lock("ip", ip, username=username, ip=ip, now=now)
    return login_lock_remaining(username=username, ip=ip, now=now)


def login_success_record(*, username: str, now: float | None = None) -> None:
    """A successful log-in forgets the account's failures of the current window."""
    rate_reset(
        scope=FAIL_SCOPE_ACCOUNT,
        identity=_norm(username),
        window_s=settings.ESCP4I_LOGIN_WINDOW_S,
        now=now,
    )


@transaction.atomic
def login_unlock(
    *, username: str = "", ip: str = "", actor: User | None, now: float | None = None
) -> bool:
    """Lift the lockout of an account name and/or an address now. True if one was locked."""
    now = time.time() if now is None else now
    unlocked = False
    targets = []
    if username:
        targets.append(("account", _norm(username), FAIL_SCOPE_ACCOUNT))
    if ip:
        targets.append(("ip", ip, FAIL_SCOPE_IP))
    for scope, identity, fail_scope in targets:
        key = _lock_key(scope, identity)
        if cache.get(key) is not None:
            unlocked = True
        cache.delete(key)
        rate_reset(
            scope=fail_scope, identity=identity, window_s=settings.ESCP4I_LOGIN_WINDOW_S, now=now
        )
    if unlocked:
        audit_record(
            actor=actor,
            action="login.unlock",
            target=User.objects.filter(username__iexact=username).first() if username else None,
            data={"username": username[:150], "ip": ip},
        )
    return unlocked
