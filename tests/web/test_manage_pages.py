"""Write pages: permission checks, profile edits through the services, officer import."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from escp4i.registry.models import ClusterOrganisation, Membership, Partnership
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

ECCA_EDIT = reverse("web:partnership-edit", args=["ecca"])


def _partnership_post(**overrides):
    data = {
        "name": "European Circular Construction Alliance",
        "coordinator_name": "Construction Cluster of Slovenia",
        "website": "http://circularconstruction.eu/",
        "sectors_text": "construction; circular economy",
        "target_countries": ["US", "CA"],
        "sectors": ["construction"],
        "sme_count": "120",
        "start_date": "",
        "end_date": "",
        "notes": "Edited in a test.",
    }
    data.update(overrides)
    return data


def test_partnership_edit_anonymous_is_redirected_to_login(client, registry_data):
    response = client.get(ECCA_EDIT)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    response = client.post(ECCA_EDIT, _partnership_post())
    assert response.status_code == 302
    assert Partnership.objects.get(slug="ecca").sme_count is None


@pytest.mark.parametrize(
    ("actor", "status"),
    [("coordinator", 200), ("officer", 200), ("cluster_manager", 403), ("user", 403)],
)
def test_partnership_edit_access(client, registry_data, request, actor, status):
    client.force_login(request.getfixturevalue(actor))
    assert client.get(ECCA_EDIT).status_code == status
    response = client.post(ECCA_EDIT, _partnership_post())
    expected = 302 if status == 200 else 403
    assert response.status_code == expected
    assert (Partnership.objects.get(slug="ecca").sme_count == 120) is (status == 200)


def test_partnership_edit_of_another_partnership_is_403(client, coordinator):
    client.force_login(coordinator)
    assert client.get(reverse("web:partnership-edit", args=["enw"])).status_code == 403


def test_partnership_edit_unknown_slug_is_404(client, officer):
    client.force_login(officer)
    assert client.get(reverse("web:partnership-edit", args=["nope"])).status_code == 404


def test_partnership_edit_saves_and_shows_the_new_profile(client, coordinator):
    client.force_login(coordinator)
    response = client.post(ECCA_EDIT, _partnership_post(), follow=True)
    html = response.content.decode()
    assert "The partnership profile was saved." in html
    ecca = Partnership.objects.get(slug="ecca")
    assert ecca.sme_count == 120
    assert sorted(ecca.target_countries.values_list("code", flat=True)) == ["CA", "US"]
    assert "Edited in a test." in html


def test_partnership_edit_form_errors_are_shown_and_nothing_saved(client, coordinator):
    client.force_login(coordinator)
    response = client.post(
        ECCA_EDIT, _partnership_post(start_date="2017-01-01", end_date="2016-01-01", sme_count="-3")
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "The end date is before the start date." in html
    assert Partnership.objects.get(slug="ecca").start_date is None


def test_detail_page_offers_edit_link_only_to_editors(client, coordinator, user):
    detail = reverse("web:partnership-detail", args=["ecca"])
    assert ECCA_EDIT not in client.get(detail).content.decode()
    client.force_login(user)
    assert ECCA_EDIT not in client.get(detail).content.decode()
    client.force_login(coordinator)
    assert ECCA_EDIT in client.get(detail).content.decode()


def _organisation_post(**overrides):
    data = {
        "name": "Packbridge",
        "region": "Skåne",
        "website": "https://www.packbridge.se/",
        "sectors_text": "packaging",
        "sectors": ["agro-food-packaging"],
        "sme_members": "40",
        "total_members": "100",
        "notes": "",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("actor", "status"), [("cluster_manager", 200), ("officer", 200), ("coordinator", 403)]
)
def test_organisation_edit_access(client, registry_data, request, actor, status):
    packbridge = ClusterOrganisation.objects.get(name="Packbridge", country_id="SE")
    url = reverse("web:organisation-edit", args=[packbridge.slug])
    client.force_login(request.getfixturevalue(actor))
    assert client.get(url).status_code == status
    response = client.post(url, _organisation_post())
    assert response.status_code == (302 if status == 200 else 403)
    packbridge.refresh_from_db()
    assert (packbridge.total_members == 100) is (status == 200)


def test_organisation_edit_anonymous_redirects_and_errors_are_shown(client, cluster_manager):
    packbridge = ClusterOrganisation.objects.get(name="Packbridge", country_id="SE")
    url = reverse("web:organisation-edit", args=[packbridge.slug])
    assert client.get(url).status_code == 302
    client.force_login(cluster_manager)
    response = client.post(url, _organisation_post(sme_members="200", total_members="100"))
    assert response.status_code == 422
    assert "More SME members than members in total." in response.content.decode()


IMPORT_URL = reverse("web:registry-import")

BAD_CSV = (
    b"acronym,name,generation,category,website,sme_count\n"
    b"NEWONE,A new partnership,2016,strand1,https://example.org,10\n"
    b"BAD1,Bad generation,1999,strand1,,\n"
    b",Missing acronym,2016,,,\n"
    b"BAD3,Bad category and website,2016,strand9,not a url,\n"
)

GOOD_CSV = (
    b"acronym,name,generation,category\n"
    b"NEWONE,A new partnership,2016,strand1\n"
    b"NEWTWO,Another new partnership,2018,\n"
)


def _upload(content: bytes, *, dry_run: bool = False, kind: str = "partnerships"):
    data = {"kind": kind, "file": SimpleUploadedFile("table.csv", content, "text/csv")}
    if dry_run:
        data["dry_run"] = "on"
    return data


@pytest.mark.parametrize(("actor", "status"), [("officer", 200), ("coordinator", 403)])
def test_import_page_is_officer_only(client, registry_data, request, actor, status):
    client.force_login(request.getfixturevalue(actor))
    assert client.get(IMPORT_URL).status_code == status
    response = client.post(IMPORT_URL, _upload(GOOD_CSV))
    assert response.status_code == status
    assert Partnership.objects.filter(acronym="NEWONE").exists() is (status == 200)


def test_import_page_anonymous_redirects(client, db):
    response = client.get(IMPORT_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_import_shows_every_bad_row_and_writes_nothing(client, officer, registry_data):
    client.force_login(officer)
    before = (Partnership.objects.count(), Membership.objects.count())
    response = client.post(IMPORT_URL, _upload(BAD_CSV))
    html = response.content.decode()
    assert response.status_code == 422
    assert "Nothing was imported." in html
    for line in (3, 4, 5):
        assert f'<td class="num">{line}</td>' in html
    for field in ("generation", "acronym", "category", "website"):
        assert f"<td>{field}</td>" in html
    assert '<td class="num">2</td>' not in html  # the good row is not listed
    assert (Partnership.objects.count(), Membership.objects.count()) == before
    assert not Partnership.objects.filter(acronym="NEWONE").exists()


def test_import_dry_run_saves_nothing_then_real_run_saves(client, officer, registry_data):
    client.force_login(officer)
    response = client.post(IMPORT_URL, _upload(GOOD_CSV, dry_run=True))
    assert response.status_code == 200
    assert "Dry run: nothing was saved" in response.content.decode()
    assert not Partnership.objects.filter(acronym="NEWONE").exists()
    response = client.post(IMPORT_URL, _upload(GOOD_CSV))
    assert "Import done" in response.content.decode()
    assert Partnership.objects.filter(acronym__in=["NEWONE", "NEWTWO"]).count() == 2


def test_import_rejects_an_unsupported_file_type(client, officer):
    client.force_login(officer)
    data = {"kind": "partnerships", "file": SimpleUploadedFile("table.pdf", b"%PDF", "x/pdf")}
    response = client.post(IMPORT_URL, data)
    assert response.status_code == 422
    assert "Unsupported file type" in response.content.decode()


def test_login_and_logout_pages(client, user):
    page = client.get(reverse("login"))
    assert page.status_code == 200
    assert 'href="#main"' in page.content.decode()  # our base template
    response = client.post(reverse("login"), {"username": "plain", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("logout")).status_code == 405  # logout is POST only
    assert client.post(reverse("logout")).status_code == 302


def test_password_reset_flow_uses_our_templates(client, user, mailoutbox):
    # Needs "escp4i.web" above "django.contrib.admin" in INSTALLED_APPS: the admin app ships
    # registration/password_reset_*.html templates that would otherwise win.
    page = client.get(reverse("password_reset"))
    assert page.status_code == 200
    assert 'href="#main"' in page.content.decode()
    response = client.post(reverse("password_reset"), {"email": user.email}, follow=True)
    assert "Check your email" in response.content.decode()
    assert len(mailoutbox) == 1
    link = next(line for line in mailoutbox[0].body.splitlines() if "/accounts/reset/" in line)
    form = client.get(link.replace("http://testserver", ""), follow=True)
    assert "Choose a new password" in form.content.decode()
    new_password = "Another-good-pass-99"
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
        follow=True,
    )
    assert "Your password has been set" in done.content.decode()
    assert client.login(username=user.username, password=new_password)
