"""API rate limits per address and per token (429 with Retry-After), and throttled token
authentication failures."""

from __future__ import annotations

import pytest

URL = "/api/v1/countries"


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.ESCP4I_API_RATE_LIMIT_IP = 3
    settings.ESCP4I_API_RATE_LIMIT_TOKEN = 5
    settings.ESCP4I_API_RATE_WINDOW_S = 60
    settings.ESCP4I_API_TOKEN_MAX_FAILURES = 2


def _get(client, ip="10.0.0.1", token=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.get(URL, REMOTE_ADDR=ip, headers=headers)


def test_address_limit_gives_429_with_retry_after(client, db):
    remaining = [_get(client)["X-RateLimit-Remaining"] for _ in range(3)]
    assert remaining == ["2", "1", "0"]
    response = _get(client)
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    body = response.json()
    assert body["code"] == "rate_limited" and body["extra"]["retry_after"] >= 1
    assert _get(client, ip="10.0.0.2").status_code == 200  # other addresses unaffected
    assert client.get("/partnerships/", REMOTE_ADDR="10.0.0.1").status_code == 200  # pages too


def test_token_limit_is_separate_from_the_address(client, officer_token):
    for _ in range(5):
        assert _get(client, token=officer_token).status_code == 200
    assert _get(client, token=officer_token).status_code == 429
    assert _get(client).status_code == 200  # the address still has its own allowance


def test_made_up_tokens_count_against_the_address(client, db):
    for i in range(3):
        assert _get(client, token=f"escp4i_made-up-{i}").status_code == 200
    assert _get(client, token="escp4i_made-up-99").status_code == 429


def test_failed_token_authentications_are_throttled(client, officer_token):
    for _ in range(2):
        response = client.get("/api/v1/me", headers={"Authorization": "Bearer escp4i_wrong"})
        assert response.status_code == 401
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {officer_token}"})
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    assert response.json()["code"] == "rate_limited"
    other = client.get(
        "/api/v1/me", headers={"Authorization": f"Bearer {officer_token}"}, REMOTE_ADDR="10.9.0.1"
    )
    assert other.status_code == 200


def test_zero_switches_the_limit_off(client, settings, db):
    settings.ESCP4I_API_RATE_LIMIT_IP = 0
    assert all(_get(client).status_code == 200 for _ in range(5))


def test_trusted_proxy_address(client, settings, db):
    settings.ESCP4I_TRUSTED_PROXY_COUNT = 1
    for _ in range(3):
        _get(client, ip="127.0.0.1")  # one client behind the proxy...
    spoofed = client.get(URL, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 10.7.0.1")
    assert spoofed.status_code == 200  # ...a different client (the proxy's own entry counts)
    for _ in range(2):
        client.get(URL, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="9.9.9.9, 10.7.0.1")
    limited = client.get(URL, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.7.0.1")
    assert limited.status_code == 429
