"""The shipped process layout, tested: the systemd units are valid, and the exact commands in
their ExecStart lines start a working web process (gunicorn, production settings) and, with a
Redis server (ESCP4I_TEST_REDIS_URL, set by .ci/run), a Celery worker and beat."""

from __future__ import annotations

import configparser
import json
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
UNITS = ROOT / "deploy" / "systemd"
VENV_BIN = Path(sys.executable).parent
INSTALLED_BIN = "/opt/escp4i/venv/bin/"
REDIS_URL = os.environ.get("ESCP4I_TEST_REDIS_URL", "")
UNIT_NAMES = ("escp4i-web.service", "escp4i-worker.service", "escp4i-beat.service")


def _unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=True, interpolation=None)
    parser.optionxform = str  # systemd keys are case-sensitive
    parser.read(UNITS / name, encoding="utf-8")
    return parser


def _command(name: str) -> list[str]:
    """The unit's ExecStart, with the installed venv replaced by this test run's venv."""
    exec_start = _unit(name)["Service"]["ExecStart"]
    assert exec_start.startswith(INSTALLED_BIN), exec_start
    return shlex.split(exec_start.replace(INSTALLED_BIN, f"{VENV_BIN}/"))


@pytest.mark.parametrize("name", UNIT_NAMES)
def test_unit_file_is_complete_and_its_command_exists(name):
    unit = _unit(name)
    assert set(unit.sections()) == {"Unit", "Service", "Install"}
    service = unit["Service"]
    assert service["User"] == "escp4i"
    assert service["EnvironmentFile"] == "/etc/escp4i/escp4i.env"
    assert service["Restart"] == "on-failure"
    program = Path(_command(name)[0])
    assert program.is_file() and os.access(program, os.X_OK), program
    assert unit["Install"]["WantedBy"] == "multi-user.target"


def test_env_file_example_sets_only_documented_variables():
    doc = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    names = re.findall(r"^([A-Z][A-Z0-9_]+)=", (UNITS / "escp4i.env.example").read_text(), re.M)
    assert "SECRET_KEY" in names and "DATABASE_URL" in names
    assert [n for n in names if f"`{n}`" not in doc] == []


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="needs systemd-analyze")
def test_systemd_analyze_verify(tmp_path):
    env_file = tmp_path / "escp4i.env"
    env_file.write_text("SECRET_KEY=x\n")
    for name in UNIT_NAMES:
        text = (UNITS / name).read_text(encoding="utf-8")
        text = text.replace(INSTALLED_BIN, f"{VENV_BIN}/").replace(
            "/etc/escp4i/escp4i.env", str(env_file)
        )
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = subprocess.run(
        ["systemd-analyze", "verify", *(str(tmp_path / n) for n in UNIT_NAMES)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    problems = [
        line
        for line in (result.stdout + result.stderr).splitlines()
        if str(tmp_path) in line or "escp4i" in line
    ]
    assert result.returncode == 0, result.stderr
    assert problems == []


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str, headers: dict[str, str] | None = None):
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310  # http://127.0.0.1 only
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _wait_until(predicate, what: str, timeout_s: float, procs) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for proc, log in procs:
            if proc.poll() is not None:
                raise AssertionError(f"process exited ({proc.returncode}):\n{log.read_text()}")
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def _database_url(tmp_path: Path):
    """A fresh database for the started processes: PostgreSQL when the suite runs on it."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        return None, lambda: None
    import psycopg

    name = f"escp4i_deploy_{uuid.uuid4().hex[:8]}"
    params = {
        "host": db["HOST"] or "127.0.0.1",
        "port": db["PORT"] or 5432,
        "user": db["USER"],
        "password": db["PASSWORD"],
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    url = (
        f"postgres://{params['user']}:{params['password']}@{params['host']}:{params['port']}/{name}"
    )
    return url, drop


# Same xdist worker as tests/events/test_celery_redis.py: both run a Celery worker on the broker.
@pytest.mark.xdist_group("celery-broker")
def test_processes_start_from_the_unit_commands(tmp_path):
    port = _free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("ESCP4I_", "CELERY_", "DJANGO_", "DATABASE_URL", "SECRET_KEY"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="escp4i.settings",
        SECRET_KEY="deploy-test-" + uuid.uuid4().hex * 2,
        ESCP4I_DEBUG="false",
        ESCP4I_ALLOWED_HOSTS="127.0.0.1",
        ESCP4I_VAR_DIR=str(tmp_path / "var"),
        ESCP4I_HTTPS="true",
        ESCP4I_BEHIND_PROXY="true",
        ESCP4I_LOG_FORMAT="json",
        ESCP4I_WEB_BIND=f"127.0.0.1:{port}",
        ESCP4I_WEB_WORKERS="2",
        ESCP4I_WORKER_CONCURRENCY="1",
    )
    database_url, drop_database = _database_url(tmp_path)
    if database_url:
        env["DATABASE_URL"] = database_url
    if REDIS_URL:
        env.update(
            CELERY_BROKER_URL=REDIS_URL, CELERY_RESULT_BACKEND=REDIS_URL, ESCP4I_CACHE_URL=REDIS_URL
        )
    (tmp_path / "var").mkdir()
    escp4i = str(VENV_BIN / "escp4i")
    procs: list[tuple[subprocess.Popen, Path]] = []
    try:
        # The upgrade steps of docs/deploy.md, then the units' commands.
        for step in (
            ["migrate", "--noinput", "-v", "0"],
            ["collectstatic", "--noinput", "-v", "0"],
        ):
            subprocess.run([escp4i, *step], env=env, check=True, timeout=300, cwd=tmp_path)
        names = ["escp4i-web.service"]
        if REDIS_URL:
            names += ["escp4i-worker.service", "escp4i-beat.service"]
        for name in names:
            log = tmp_path / f"{name}.log"
            with log.open("wb") as out:
                proc = subprocess.Popen(  # the unit's own command line
                    _command(name),
                    env=env,
                    cwd=tmp_path,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            procs.append((proc, log))
        base = f"http://127.0.0.1:{port}"
        _wait_until(lambda: _ping(base), "gunicorn to answer /health", 60, procs)

        status, _headers, body = _get(f"{base}/health")
        assert status == 200 and json.loads(body) == {"status": "ok"}
        status, _headers, body = _get(f"{base}/health/ready")
        ready = json.loads(body)
        assert status == 200, ready
        assert ready["checks"]["database"]["ok"] and ready["checks"]["migrations"]["ok"]
        if REDIS_URL:
            assert ready["checks"]["cache"]["ok"] and ready["checks"]["broker"]["ok"]

        # Plain http is redirected to https (health probes above were not) ...
        status, headers, _body = _get(f"{base}/partnerships/")
        assert status == 301 and headers["Location"].startswith("https://127.0.0.1")
        # ... and through the TLS-terminating proxy the page is served with the secure headers.
        request_id = "deploy-test-" + uuid.uuid4().hex[:8]
        status, headers, body = _get(
            f"{base}/partnerships/",
            {"X-Forwarded-Proto": "https", "X-Request-ID": request_id},
        )
        assert status == 200
        assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
        assert "script-src 'self'" in headers["Content-Security-Policy"]
        assert headers["X-Request-ID"] == request_id
        assert "Secure" in headers.get("Set-Cookie", "Secure")
        css = re.search(rb'href="(/static/web/site\.[0-9a-f]{12}\.css)"', body)
        assert css, "hashed (manifest) static file name expected"
        status, headers, _body = _get(base + css.group(1).decode(), {"X-Forwarded-Proto": "https"})
        assert status == 200 and "max-age=315360000" in headers["Cache-Control"]

        web_log = procs[0][1]
        _wait_until(lambda: request_id in web_log.read_text(), "the access line", 10, procs)
        access = [
            json.loads(line)
            for line in web_log.read_text().splitlines()
            if line.startswith("{") and request_id in line
        ]
        assert access[0]["path"] == "/partnerships/" and access[0]["status"] == 200
        assert access[0]["logger"] == "escp4i.request" and "duration_ms" in access[0]

        if REDIS_URL:
            from celery import Celery

            client = Celery("deploy-test", broker=REDIS_URL, backend=REDIS_URL)
            try:
                result = client.send_task("ops.ping", args=["round trip"])
                reply = result.get(timeout=60)
            finally:
                client.close()
            assert reply["pong"] == "round trip"
            assert reply["database"] == ("postgresql" if database_url else "sqlite")
            var = tmp_path / "var"
            _wait_until(
                lambda: any(var.glob("celerybeat-schedule*")), "beat's schedule file", 30, procs
            )
    finally:
        for proc, _log in procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc, _log in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
        drop_database()
    for proc, log in procs:
        assert proc.returncode in (0, -signal.SIGTERM), log.read_text()


def _ping(base: str) -> bool:
    try:
        return _get(f"{base}/health")[0] == 200
    except OSError:
        return False
