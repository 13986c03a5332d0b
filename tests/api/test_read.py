"""Public read endpoints against the shipped registry data."""

from __future__ import annotations

import pytest

from escp4i.registry.models import ClusterOrganisation, Partnership


def test_partnership_list_pages_with_cursors(client, registry_data):
    total = Partnership.objects.count()
    body = client.get("/api/v1/partnerships", {"limit": 5}).json()
    assert body["count"] == total
    assert body["count_capped"] is False
    assert body["previous"] is None
    pages = [body]
    while pages[-1]["next"]:
        pages.append(
            client.get("/api/v1/partnerships", {"limit": 5, "cursor": pages[-1]["next"]}).json()
        )
    slugs = [p["slug"] for page in pages for p in page["items"]]
    assert len(slugs) == len(set(slugs)) == total
    assert [len(page["items"]) for page in pages] == [5, 5, 5, 5, 4]
    back = client.get("/api/v1/partnerships", {"limit": 5, "cursor": pages[-1]["previous"]})
    assert [p["slug"] for p in back.json()["items"]] == [p["slug"] for p in pages[-2]["items"]]


def test_list_with_a_tampered_cursor_is_400(client, registry_data):
    response = client.get("/api/v1/organisations", {"cursor": "eyJkIjoibiIsInYiOlsxXX0"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_cursor"


def test_partnership_list_limit_is_capped(client, registry_data):
    response = client.get("/api/v1/partnerships", {"limit": 1000})
    assert response.status_code == 422


@pytest.mark.parametrize(
    ("params", "check"),
    [
        ({"generation": "2016"}, lambda p: p["generation"]["code"] == "2016"),
        ({"generation": "none"}, lambda p: p["generation"] is None),
        ({"category": "strand1"}, lambda p: p["category"] == "strand1"),
        (
            {"sector": "environmental-technologies"},
            lambda p: "environmental-technologies" in {s["slug"] for s in p["sectors"]},
        ),
    ],
)
def test_partnership_list_filters(client, registry_data, params, check):
    body = client.get("/api/v1/partnerships", {**params, "limit": 100}).json()
    assert body["count"] > 0
    assert all(check(p) for p in body["items"])
    assert body["count"] < Partnership.objects.count()


def test_partnership_list_member_country_and_query_filters(client, registry_data):
    body = client.get("/api/v1/partnerships", {"member_country": "se", "limit": 100}).json()
    expected = set(
        Partnership.objects.filter(memberships__organisation__country_id="SE").values_list(
            "slug", flat=True
        )
    )
    assert {p["slug"] for p in body["items"]} == expected
    body = client.get("/api/v1/partnerships", {"q": "circular construction"}).json()
    assert [p["acronym"] for p in body["items"]] == ["ECCA"]


def test_partnership_list_target_country_includes_regions(client, registry_data):
    body = client.get("/api/v1/partnerships", {"target_country": "SG", "limit": 100}).json()
    slugs = {p["slug"] for p in body["items"]}
    # LASER-GO names Singapore directly; others reach it through a region such as ASEAN.
    assert "laser-go" in slugs
    assert any(
        any(r["slug"] in {"asean", "southeast-asia"} for r in p["target_regions"])
        for p in body["items"]
    )


def test_partnership_detail_has_members_targets_sectors_and_sources(client, registry_data):
    body = client.get("/api/v1/partnerships/ecca").json()
    assert body["acronym"] == "ECCA"
    assert body["generation"] == {"code": "2016", "name": "First generation (2016)"}
    assert body["source_urls"] and all(u.startswith("http") for u in body["source_urls"])
    assert body["members"], "ECCA has documented members"
    assert {"organisation", "name", "country", "role"} <= set(body["members"][0])
    assert {s["slug"] for s in body["sectors"]} >= {"environmental-technologies"}


def test_not_found_is_json_with_code_message_extra(client, registry_data):
    response = client.get("/api/v1/partnerships/no-such-thing")
    assert response.status_code == 404
    assert response.json() == {
        "code": "not_found",
        "message": "No partnership 'no-such-thing'.",
        "extra": {"slug": "no-such-thing"},
    }
    assert client.get("/api/v1/organisations/nope").json()["code"] == "not_found"
    assert client.get("/api/v1/countries/XX").status_code == 404
    assert client.get("/api/v1/key-figures", {"generation": "1999"}).status_code == 404


def test_organisation_list_filters_and_detail(client, registry_data):
    body = client.get("/api/v1/organisations", {"country": "SE", "limit": 100}).json()
    assert body["count"] == ClusterOrganisation.objects.filter(country_id="SE").count()
    assert all(o["country"]["code"] == "SE" for o in body["items"])
    body = client.get("/api/v1/organisations", {"q": "packbridge"}).json()
    assert [o["name"] for o in body["items"]] == ["Packbridge"]
    detail = client.get(f"/api/v1/organisations/{body['items'][0]['slug']}").json()
    assert detail["country"]["code"] == "SE"
    assert [p["acronym"] for p in detail["partnerships"]] == ["AdPack"]


def test_countries_list_and_detail(client, registry_data):
    countries = {c["code"]: c for c in client.get("/api/v1/countries").json()}
    se_organisations = ClusterOrganisation.objects.filter(country_id="SE").count()
    assert countries["SE"]["organisation_count"] == se_organisations
    assert all(c["organisation_count"] > 0 or c["target_count"] > 0 for c in countries.values())
    detail = client.get("/api/v1/countries/se").json()
    assert detail["code"] == "SE"
    assert "packbridge-se" in {o["slug"] for o in detail["organisations"]}
    assert "adpack" in {p["slug"] for p in detail["member_of"]}


def test_key_figures_computed_beside_reported(client, registry_data):
    body = client.get("/api/v1/key-figures", {"generation": "2016"}).json()
    assert body["generation"] == "2016"
    figures = {f["key"]: f for f in body["figures"]}
    partnerships = figures["partnerships"]
    assert partnerships["computed"] == Partnership.objects.filter(generation__code="2016").count()
    assert partnerships["reported"]["value"] == 24
    assert partnerships["reported"]["source_url"].startswith("https://")
    assert figures["smes"]["unknown"] >= 0 and "coverage" in figures["smes"]
    assert sum(body["by_category"].values()) == partnerships["computed"]
    assert client.get("/api/v1/key-figures").json()["generation"] == "2016"


def test_generations(client, registry_data):
    body = client.get("/api/v1/generations").json()
    assert [g["code"] for g in body] == ["2016", "2018"]


def test_export_endpoints(client, registry_data):
    response = client.get("/api/v1/export/partnerships.csv", {"generation": "2016"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="escp4i-partnerships-2016.csv"' in response["Content-Disposition"]
    assert response.content.startswith(b"acronym,name,generation")
    response = client.get("/api/v1/export/memberships", {"format": "json"})
    assert response.status_code == 200
    assert len(response.json()) == registry_data.memberships.rows
    response = client.get("/api/v1/export/organisations.xlsx")
    assert response.content[:2] == b"PK"
    assert client.get("/api/v1/export/users.csv").status_code == 422


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/partnerships?limit=100",
        "/api/v1/partnerships?target_country=SG&q=a",
        "/api/v1/organisations?limit=100",
        "/api/v1/countries",
    ],
)
def test_list_query_ceiling(client, registry_data, django_assert_max_num_queries, url):
    with django_assert_max_num_queries(6):
        assert client.get(url).status_code == 200


def test_detail_query_ceiling(client, registry_data, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        assert client.get("/api/v1/partnerships/ecca").status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get("/api/v1/countries/SE").status_code == 200
