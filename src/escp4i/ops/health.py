"""Readiness checks behind ``/health/ready``: each returns ``(ok, detail)`` and never raises.

Details name the failure's kind only (an exception class, a count), never hosts or credentials:
the endpoint is public so a load balancer can call it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

Check = Callable[[], tuple[bool, str]]


def check_database() -> tuple[bool, str]:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # a probe: any failure means "not ready"
        return False, type(exc).__name__
    return True, connections[DEFAULT_DB_ALIAS].vendor


def check_migrations() -> tuple[bool, str]:
    try:
        connection = connections[DEFAULT_DB_ALIAS]
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as exc:  # a probe: any failure means "not ready"
        return False, type(exc).__name__
    if plan:
        return False, f"{len(plan)} unapplied"
    return True, "all applied"


def check_cache() -> tuple[bool, str]:
    key = f"health:{uuid.uuid4().hex}"
    try:
        cache.set(key, "1", timeout=10)
        ok = cache.get(key) == "1"
        cache.delete(key)
    except Exception as exc:  # a probe: any failure means "not ready"
        return False, type(exc).__name__
    return (True, "read back") if ok else (False, "value not read back")


def check_broker() -> tuple[bool, str]:
    from escp4i.celery import app

    try:
        with app.connection_for_write(url=settings.CELERY_BROKER_URL) as conn:
            conn.ensure_connection(max_retries=1, timeout=3)
    except Exception as exc:  # a probe: any failure means "not ready"
        return False, type(exc).__name__
    return True, "reachable"


def readiness_checks() -> dict[str, Check]:
    """The checks that apply to this configuration: the shared cache and the Celery broker
    only when they are configured (otherwise they live in-process and cannot be down)."""
    checks: dict[str, Check] = {"database": check_database, "migrations": check_migrations}
    if "redis" in settings.CACHES["default"]["BACKEND"].lower():
        checks["cache"] = check_cache
    if settings.CELERY_BROKER_URL:
        checks["broker"] = check_broker
    return checks


def readiness() -> tuple[bool, dict[str, dict[str, object]]]:
    results = {name: check() for name, check in readiness_checks().items()}
    report: dict[str, dict[str, object]] = {
        name: {"ok": ok, "detail": detail} for name, (ok, detail) in results.items()
    }
    return all(ok for ok, _detail in results.values()), report
