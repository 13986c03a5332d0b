"""Errors never show a stack trace: friendly pages in the site layout for the web, the shared
``{"code", "message", "extra"}`` JSON under /api/ (also for unknown URLs, wrong methods and
unexpected exceptions). DEBUG is off in the test settings, as in production."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client, RequestFactory

from escp4i.registry import selectors as registry_selectors
from escp4i.web.views import errors as error_views

pytestmark = pytest.mark.django_db


def _boom(*args, **kwargs):
    raise RuntimeError("secret internal detail")


def _assert_no_trace(response):
    content = response.content.decode()
    assert "Traceback" not in content
    assert "secret internal detail" not in content
    assert 'File "' not in content


def test_debug_is_off_in_the_tests():
    assert settings.DEBUG is False


def test_unknown_page_is_a_friendly_404_in_the_layout(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    content = response.content.decode()
    assert "Page not found" in content
    assert 'class="site-header"' in content  # the site layout, with its navigation
    assert "/no/such/page/" not in content.split('class="lead"')[1].split("</p>")[0]


def test_missing_object_page_says_what_is_missing(client):
    response = client.get("/partnerships/no-such-partnership/")
    assert response.status_code == 404
    assert "no-such-partnership" in response.content.decode()


def test_forbidden_page_explains_and_keeps_the_layout(client, user):
    client.force_login(user)
    response = client.get("/registry/import/")
    assert response.status_code == 403
    content = response.content.decode()
    assert "Access denied" in content
    assert 'class="site-header"' in content


def test_unexpected_exception_is_a_friendly_500_without_traceback(monkeypatch):
    monkeypatch.setattr(registry_selectors, "generation_list", _boom)
    client = Client(raise_request_exception=False)
    response = client.get("/partnerships/")
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()
    assert 'class="site-header"' in response.content.decode()
    _assert_no_trace(response)


def test_500_page_falls_back_to_plain_html_when_the_layout_fails(monkeypatch):
    monkeypatch.setattr(error_views, "_page", _boom)
    request = RequestFactory().get("/partnerships/")
    response = error_views.server_error(request)
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()
    _assert_no_trace(response)


def test_bad_request_is_a_friendly_400(client):
    response = client.get("/", HTTP_HOST="attacker.example")  # not in ALLOWED_HOSTS
    assert response.status_code == 400
    assert "Bad request" in response.content.decode()


def test_csrf_failure_page_tells_what_to_do():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    content = response.content.decode()
    assert "The form has expired" in content
    assert "Reload the page" in content
    assert "CSRF" not in content.split('class="lead"')[1].split("</p>")[0]


def test_api_unknown_url_is_json_404(client):
    response = client.get("/api/v1/no-such-endpoint")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "code": "not_found",
        "message": "Nothing was found at this address.",
        "extra": {},
    }


def test_api_path_parameter_of_the_wrong_type_is_json_404(client):
    response = client.get("/api/v1/calls/not-a-number")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_api_wrong_method_is_json_405_with_allow(client):
    response = client.delete("/api/v1/partnerships")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"
    assert response["Allow"] == "GET"


def test_api_unexpected_exception_is_json_500_without_traceback(monkeypatch):
    monkeypatch.setattr(registry_selectors, "generation_list", _boom)
    client = Client(raise_request_exception=False)
    response = client.get("/api/v1/generations")
    assert response.status_code == 500
    assert response.json() == {
        "code": "server_error",
        "message": "An unexpected error occurred; it has been logged.",
        "extra": {},
    }
    _assert_no_trace(response)


def test_api_missing_token_is_json_401(client):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_api_unreadable_body_is_json_400(client, officer):
    from escp4i.accounts.services import api_token_create

    token = api_token_create(user=officer, name="t")[1]
    response = client.post(
        "/api/v1/calls",
        data="{not json",
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 400
    assert response.json()["code"] == "bad_request"


def test_api_schema_violation_is_422_in_the_shared_shape(client):
    response = client.get("/api/v1/partnerships", {"limit": "many"})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_request"
    assert body["extra"]["errors"][0]["loc"] == ["query", "limit"]


def test_api_docs_page_is_not_rewritten(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
