"""POST /imports/{kind}: officers only, all or nothing, every bad row listed."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from escp4i.registry.models import ClusterOrganisation, Membership, Partnership

GOOD = (
    "name,country,sectors,sme_members,total_members\n"
    "Cluster Alpha,FR,ICT,10,20\n"
    "Cluster Beta,Germany,food,,5\n"
)
BAD = (
    "name,country,sme_members,total_members,website\n"
    "Cluster Alpha,FR,10,20,https://alpha.example.org\n"
    "Cluster Gamma,Atlantis,,,\n"
    ",DE,,,\n"
    "Cluster Delta,NL,many,,notaurl\n"
)


def _post(client, token, content: str, *, name="orgs.csv", kind="organisations", **query):
    upload = SimpleUploadedFile(name, content.encode("utf-8"), content_type="text/csv")
    params = "&".join(f"{k}={v}" for k, v in query.items())
    return client.post(
        f"/api/v1/imports/{kind}" + (f"?{params}" if params else ""),
        {"file": upload},
        headers={"Authorization": f"Bearer {token}"} if token else {},
    )


def _snapshot():
    return (
        list(Partnership.objects.order_by("pk").values()),
        list(ClusterOrganisation.objects.order_by("pk").values()),
        list(Membership.objects.order_by("pk").values()),
    )


def test_officer_import_writes_rows(client, officer_token):
    response = _post(client, officer_token, GOOD)
    assert response.status_code == 200, response.content
    assert response.json() == {
        "kind": "organisations",
        "rows": 2,
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "organisations_created": 0,
        "dry_run": False,
    }
    assert ClusterOrganisation.objects.get(name="Cluster Beta").country_id == "DE"


def test_dry_run_reports_without_writing(client, officer_token):
    response = _post(client, officer_token, GOOD, dry_run="true")
    assert response.status_code == 200
    assert response.json()["created"] == 2 and response.json()["dry_run"] is True
    assert not ClusterOrganisation.objects.exists()


def test_malformed_file_is_422_with_every_bad_row_and_db_unchanged(
    client, officer_token, registry_data
):
    before = _snapshot()
    response = _post(client, officer_token, BAD)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "import_rejected"
    problems = {(e["line"], e["field"]) for e in body["extra"]["errors"]}
    assert problems == {
        (3, "country"),
        (4, "name"),
        (5, "sme_members"),
        (5, "website"),
    }
    assert _snapshot() == before


@pytest.mark.parametrize("fixture", ["coordinator_token", "participant_token"])
def test_import_needs_officer(client, request, fixture):
    token = request.getfixturevalue(fixture)
    before = ClusterOrganisation.objects.count()
    response = _post(client, token, GOOD)
    assert response.status_code == 403
    assert ClusterOrganisation.objects.count() == before


def test_import_needs_a_token(client, db):
    assert _post(client, None, GOOD).status_code == 401


def test_import_rejects_unsupported_file_type(client, officer_token):
    response = _post(client, officer_token, GOOD, name="orgs.pdf")
    assert response.status_code == 422
    assert response.json()["code"] == "import_rejected"
