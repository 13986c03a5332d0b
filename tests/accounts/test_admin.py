"""The Django admin is for programme officers (and superusers) only."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from escp4i.accounts.admin_site import OfficerAdminSite
from escp4i.accounts.models import ApiToken, User
from escp4i.accounts.services import api_token_create
from escp4i.registry.models import Partnership
from tests.conftest import PASSWORD


def test_officer_reaches_admin_and_registry_tables(client, officer, registry_data):
    client.login(username=officer.username, password=PASSWORD)
    assert client.get("/admin/").status_code == 200
    for url in (
        "/admin/registry/partnership/",
        "/admin/registry/clusterorganisation/",
        "/admin/registry/country/",
        "/admin/accounts/user/",
        "/admin/accounts/apitoken/",
    ):
        assert client.get(url).status_code == 200, url
    partnership = Partnership.objects.get(slug="ecca")
    assert client.get(f"/admin/registry/partnership/{partnership.pk}/change/").status_code == 200


def test_plain_user_is_redirected_to_login(client, user):
    client.login(username=user.username, password=PASSWORD)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_staff_without_officer_role_gets_no_tables(client, db):
    User.objects.create_user(
        username="staff", email="staff@example.org", password=PASSWORD, is_staff=True
    )
    client.login(username="staff", password=PASSWORD)
    assert client.get("/admin/registry/partnership/").status_code in {302, 403}


@pytest.mark.parametrize(
    ("who", "allowed"),
    [("officer", True), ("superuser", True), ("staff", False), ("user", False)],
)
def test_officer_admin_site_permission(officer, user, who, allowed):
    people = {
        "officer": officer,
        "user": user,
        "superuser": User.objects.create_superuser(username="root", email="r@example.org"),
        "staff": User.objects.create_user(
            username="staff", email="staff@example.org", is_staff=True
        ),
    }
    request = RequestFactory().get("/admin/")
    request.user = people[who]
    assert OfficerAdminSite().has_permission(request) is allowed


def test_token_admin_never_shows_the_digest(client, officer):
    token, _secret = api_token_create(user=officer, name="script")
    client.login(username=officer.username, password=PASSWORD)
    page = client.get(f"/admin/accounts/apitoken/{token.pk}/change/").content.decode()
    assert token.prefix in page
    assert token.digest not in page


def test_token_admin_revoke_action(client, officer):
    token, _secret = api_token_create(user=officer, name="script")
    client.login(username=officer.username, password=PASSWORD)
    client.post(
        "/admin/accounts/apitoken/",
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None


def test_staff_without_officer_role_is_kept_out_once_the_officer_site_is_installed(client, db):
    """With OfficerAdminConfig installed (see accounts/admin_config.py) even /admin/ redirects."""
    from django.contrib import admin

    if not isinstance(admin.site, OfficerAdminSite):
        pytest.skip("INSTALLED_APPS still uses django.contrib.admin's default site")
    User.objects.create_user(
        username="staff", email="staff@example.org", password=PASSWORD, is_staff=True
    )
    client.login(username="staff", password=PASSWORD)
    assert client.get("/admin/").status_code == 302
