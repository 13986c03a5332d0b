"""Login throttling and lockout (per account name and per address), password policy on every
path that sets a password, and the cache counters shared between processes through Redis."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client

from escp4i.accounts.lockout import login_failure_record, login_lock_remaining
from escp4i.accounts.services import user_create
from escp4i.core.models import AuditEntry
from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
LOGIN = "/accounts/login/"


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.ESCP4I_LOGIN_MAX_FAILURES = 3
    settings.ESCP4I_LOGIN_MAX_FAILURES_PER_IP = 6
    settings.ESCP4I_LOGIN_WINDOW_S = 900
    settings.ESCP4I_LOGIN_LOCKOUT_S = 600


def _login(client, username, password, ip="10.0.0.1", url=LOGIN):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=ip)


def _error_text(response) -> str:
    html = response.content.decode()
    return " ".join(re.findall(r'<p class="error">(.*?)</p>', html))


def test_account_locked_after_failures_even_with_right_password(client, officer):
    for _ in range(2):
        response = _login(client, "officer", "wrong-password")
        assert response.status_code == 200
        assert "correct username and password" in _error_text(response)
    response = _login(client, "officer", "wrong-password")
    assert response.status_code == 429
    assert 599 <= int(response["Retry-After"]) <= 600
    assert "Too many failed log-in attempts" in _error_text(response)
    response = _login(client, "officer", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    lockout = AuditEntry.objects.get(action="login.lockout")
    assert lockout.target_pk == str(officer.pk) and lockout.data["scope"] == "account"
    # Another address is locked out of this account too: the lock is on the account.
    assert _login(client, "officer", PASSWORD, ip="10.0.0.9").status_code == 429


def test_lockout_does_not_reveal_whether_the_account_exists(client, officer):
    pages = {}
    for name in ("officer", "nobody-by-this-name"):
        for _ in range(3):
            response = _login(Client(), name, "wrong-password", ip=f"10.1.0.{len(pages)}")
        pages[name] = (response.status_code, _error_text(response))
    assert pages["officer"] == pages["nobody-by-this-name"]


def test_success_resets_the_account_counter(client, officer):
    _login(client, "officer", "wrong-password")
    _login(client, "officer", "wrong-password")
    assert _login(client, "officer", PASSWORD).status_code == 302
    client.logout()
    _login(client, "officer", "wrong-password")
    assert _login(client, "officer", PASSWORD).status_code == 302


def test_address_locked_after_failures_on_many_accounts(client, db):
    for i in range(6):
        response = _login(client, f"guess-{i}", "wrong-password", ip="10.2.0.1")
    assert response.status_code == 429
    assert _login(client, "someone-else", "x", ip="10.2.0.1").status_code == 429
    assert _login(client, "someone-else", "x", ip="10.2.0.2").status_code == 200
    assert AuditEntry.objects.filter(action="login.lockout", data__scope="ip").count() == 1


def test_lockout_ends_by_time(db):
    start = 1_000_000.0
    for _ in range(3):
        login_failure_record(username="officer", ip="10.3.0.1", now=start)
    assert login_lock_remaining(username="officer", ip="10.3.0.1", now=start) > 0
    assert login_lock_remaining(username="OFFICER ", ip="10.3.0.7", now=start) > 0
    assert login_lock_remaining(username="officer", ip="10.3.0.1", now=start + 599) > 0
    # The cache forgets the lock after its timeout; remaining time is 0 once it has passed.
    assert login_lock_remaining(username="officer", ip="10.3.0.1", now=start + 601) == 0


def test_officer_unlocks_with_the_command(client, officer):
    for _ in range(3):
        _login(client, "officer", "wrong-password")
    out = io.StringIO()
    call_command("unlock_login", "officer", stdout=out)
    assert "Unlocked account 'officer'" in out.getvalue()
    assert AuditEntry.objects.filter(action="login.unlock", target_pk=str(officer.pk)).exists()
    assert _login(client, "officer", PASSWORD).status_code == 302
    with pytest.raises(CommandError):
        call_command("unlock_login")


def test_officer_unlocks_in_the_admin(client, officer, user):
    for _ in range(3):
        _login(Client(), "plain", "wrong-password", ip="10.4.0.1")
    client.force_login(officer)
    response = client.post(
        "/admin/accounts/user/",
        {"action": "unlock_login", "_selected_action": [user.pk]},
        follow=True,
    )
    assert "1 lockout(s) lifted." in response.content.decode()
    assert _login(Client(), "plain", PASSWORD, ip="10.4.0.1").status_code == 302


def test_admin_login_is_throttled_too(client, officer):
    for _ in range(3):
        response = _login(client, "officer", "wrong-password", url="/admin/login/")
    assert "Too many failed log-in attempts" in response.content.decode()
    response = _login(client, "officer", PASSWORD, url="/admin/login/")
    assert "Too many failed log-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.skipif(
    not os.environ.get("ESCP4I_TEST_REDIS_URL"), reason="set ESCP4I_TEST_REDIS_URL (CI does)"
)
def test_failures_counted_across_processes_with_redis(settings, db):
    """Two failures counted by another process and one here lock the account: the Redis cache
    shares the counters (the other process has no database, so it counts at the cache layer)."""
    url = os.environ["ESCP4I_TEST_REDIS_URL"]
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": f"test-{os.getpid()}-{time.time_ns()}",
        }
    }
    prefix = settings.CACHES["default"]["KEY_PREFIX"]
    script = (
        "import django; django.setup()\n"
        "from escp4i.accounts.lockout import FAIL_SCOPE_ACCOUNT\n"
        "from escp4i.core.ratelimit import rate_hit\n"
        "for _ in range(2):\n"
        "    rate_hit(scope=FAIL_SCOPE_ACCOUNT, identity='shared', limit=3, window_s=900)\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.accounts.redis_settings",
        "ESCP4I_TEST_CACHE_PREFIX": prefix,
        "ESCP4I_LOGIN_MAX_FAILURES": "3",
    }
    subprocess.run([sys.executable, "-c", script], env=env, check=True, cwd=ROOT, timeout=120)
    assert login_lock_remaining(username="shared", ip="10.5.0.1") == 0
    login_failure_record(username="shared", ip="10.5.0.2")
    assert login_lock_remaining(username="shared", ip="10.5.0.3") > 0


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("Sh0rt-pass!", "at least 12 characters"),
        ("123456789012345", "entirely numeric"),
        ("1q2w3e4r5t6y", "too common"),
        ("plain-example-org", "too similar"),
    ],
)
def test_password_policy(password, reason, db):
    from escp4i.accounts.models import User

    with pytest.raises(ValidationError, match=reason):
        validate_password(password, User(username="plain", email="plain@example-org.eu"))


def test_password_policy_in_user_create_and_command(db, monkeypatch):
    with pytest.raises(ValidationError, match="at least 12 characters"):
        user_create(username="new-user", password="Short-1-pas")
    with pytest.raises(CommandError, match="at least 12 characters"):
        monkeypatch.setattr("sys.stdin", io.StringIO("too-short\n"))
        call_command("create_user", "cmd-user", "--password-stdin")
    user = user_create(username="new-user", password="a-long-enough-passphrase")
    assert user.check_password("a-long-enough-passphrase")


def test_password_policy_on_change_and_reset_pages(client, user):
    client.force_login(user)
    response = client.post(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": "Short-1-ab", "new_password2": "Short-1-ab"},
    )
    assert response.status_code == 200
    assert "at least 12 characters" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
