"""Health endpoints (liveness, readiness with 503), request ids and structured log lines."""

from __future__ import annotations

import json
import logging
import os

import pytest
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from escp4i.ops.logging import JsonFormatter, RequestIdFilter


def test_liveness(client):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_readiness_checks_database_and_migrations(client, db):
    body = client.get("/health/ready").json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == {"ok": True, "detail": connection.vendor}
    assert body["checks"]["migrations"]["ok"] is True
    assert "broker" not in body["checks"] and "cache" not in body["checks"]  # not configured


def test_readiness_503_with_unapplied_migration(client, db):
    MigrationRecorder(connection).migration_qs.filter(app="core", name="0002_import_run").delete()
    response = client.get("/health/ready")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == {"ok": False, "detail": "1 unapplied"}


def test_readiness_503_when_configured_broker_and_cache_are_down(client, settings, db):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    settings.ESCP4I_API_RATE_LIMIT_IP = 0
    response = client.get("/health/ready")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["broker"]["ok"] is False and checks["cache"]["ok"] is False
    assert checks["database"]["ok"] is True
    assert "127.0.0.1" not in response.content.decode()  # no hosts in the public answer


def test_request_id_is_propagated_or_made(client, caplog):
    with caplog.at_level(logging.INFO, logger="escp4i.request"):
        response = client.get("/health", HTTP_X_REQUEST_ID="lb-42.abc")
    assert response["X-Request-ID"] == "lb-42.abc"
    record = next(r for r in caplog.records if r.name == "escp4i.request")
    assert (record.path, record.status, record.method) == ("/health", 200, "GET")
    assert record.duration_ms >= 0 and record.user_id is None
    made = client.get("/health", HTTP_X_REQUEST_ID="bad id with spaces\n")["X-Request-ID"]
    assert len(made) == 32 and made.isalnum()


def test_access_line_has_the_user_id(client, user, caplog):
    client.force_login(user)
    with caplog.at_level(logging.INFO, logger="escp4i.request"):
        client.get("/")
    record = next(r for r in caplog.records if r.name == "escp4i.request")
    assert record.user_id == user.pk


def test_json_formatter_writes_one_object_per_line():
    record = logging.makeLogRecord(
        {"name": "escp4i.request", "levelname": "INFO", "msg": "GET %s", "args": ("/x",)}
    )
    record.status = 200
    RequestIdFilter().filter(record)
    line = JsonFormatter().format(record)
    assert "\n" not in line
    payload = json.loads(line)
    assert payload["message"] == "GET /x" and payload["status"] == 200
    assert payload["request_id"] == "-" and payload["level"] == "INFO"
    assert payload["time"].endswith("+00:00")


@pytest.mark.parametrize("value", ["json", "plain"])
def test_log_format_setting(value, monkeypatch):
    import importlib

    import escp4i.settings as base

    monkeypatch.setenv("ESCP4I_LOG_FORMAT", value)
    monkeypatch.setenv("SECRET_KEY", "x")
    reloaded = importlib.reload(base)
    try:
        assert reloaded.LOGGING["handlers"]["console"]["formatter"] == value
    finally:
        monkeypatch.delenv("ESCP4I_LOG_FORMAT")
        importlib.reload(base)


@pytest.mark.skipif(
    not os.environ.get("ESCP4I_TEST_REDIS_URL"), reason="needs ESCP4I_TEST_REDIS_URL (CI sets it)"
)
def test_readiness_ok_with_reachable_broker_and_cache(client, settings, db):
    url = os.environ["ESCP4I_TEST_REDIS_URL"]
    settings.CELERY_BROKER_URL = url
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    }
    response = client.get("/health/ready")
    assert response.status_code == 200, response.json()
    assert response.json()["checks"]["broker"] == {"ok": True, "detail": "reachable"}
    assert response.json()["checks"]["cache"] == {"ok": True, "detail": "read back"}
