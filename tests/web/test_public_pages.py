"""Public pages through HTTP, on the shipped ESCP-4i data."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from escp4i.registry.models import Partnership

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _result_acronyms(html: str) -> list[str]:
    return re.findall(r'<th scope="row"><a href="/partnerships/[^/]+/">([^<]+)</a>', html)


def test_home_shows_live_figures_and_charts(client, registry_data, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        response = client.get(reverse("web:home"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "European Strategic Cluster Partnerships" in html
    assert '<title id="map-members-title">' in html
    assert 'role="img"' in html
    assert "Data: public sources, coverage partial" in html


def test_home_renders_with_an_empty_registry(client, db):
    response = client.get(reverse("web:home"))
    assert response.status_code == 200


def test_base_has_landmarks_skip_link_and_post_logout(client, registry_data, user):
    client.force_login(user)
    html = client.get(reverse("web:partnership-list")).content.decode()
    assert 'href="#main"' in html
    assert '<main id="main"' in html
    assert '<nav aria-label="Main">' in html
    assert re.search(r'<form class="logout-form" action="/accounts/logout/" method="post">', html)
    assert 'action="/i18n/setlang/"' in html
    assert "/api/v1/docs" in html
    assert ">Admin<" not in html


def test_admin_link_only_for_staff(client, officer):
    client.force_login(officer)
    assert ">Admin<" in client.get(reverse("web:home")).content.decode()


def test_catalogue_lists_all_partnerships(client, registry_data, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        response = client.get(reverse("web:partnership-list"))
    html = response.content.decode()
    assert "24 partnerships found" in html
    assert len(_result_acronyms(html)) == 20  # first page (ESCP4I_PAGE_SIZE)
    assert "<caption" in html


def test_catalogue_filters_by_category_and_generation(client, registry_data):
    response = client.get(
        reverse("web:partnership-list"), {"generation": "2016", "category": "strand1"}
    )
    html = response.content.decode()
    assert "5 partnerships found" in html
    assert sorted(_result_acronyms(html)) == ["AdPack", "ECCA", "EnW", "LASER-GO", "MOVE"]


def test_catalogue_filters_by_target_country_including_regions(
    client, registry_data, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        response = client.get(reverse("web:partnership-list"), {"target_country": "US", "q": "e"})
    assert "EnW" in _result_acronyms(response.content.decode())
    html = client.get(reverse("web:partnership-list"), {"target_country": "US"}).content.decode()
    assert "EnW" in _result_acronyms(html)


def test_catalogue_filters_by_member_country_sector_and_text(client, registry_data):
    by_member = client.get(reverse("web:partnership-list"), {"member_country": "SI"})
    assert "ECCA" in _result_acronyms(by_member.content.decode())
    by_sector = client.get(reverse("web:partnership-list"), {"sector": "construction"})
    assert "ECCA" in _result_acronyms(by_sector.content.decode())
    by_text = client.get(reverse("web:partnership-list"), {"q": "circular construction"})
    assert _result_acronyms(by_text.content.decode()) == ["ECCA"]


def test_catalogue_empty_state(client, registry_data):
    html = client.get(reverse("web:partnership-list"), {"q": "zzz-nothing"}).content.decode()
    assert "0 partnerships found" in html
    assert "No partnership matches these filters." in html


def test_catalogue_ignores_an_invalid_filter_value(client, registry_data):
    response = client.get(reverse("web:partnership-list"), {"category": "bogus"})
    assert response.status_code == 200
    assert "24 partnerships found" in response.content.decode()


def test_catalogue_htmx_returns_only_the_results_fragment(client, registry_data):
    response = client.get(
        reverse("web:partnership-list"), {"generation": "2016", "category": "strand1"}, **HTMX
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert 'id="results-heading"' in html
    assert "5 partnerships found" in html
    assert "HX-Request" in response["Vary"]


def test_catalogue_htmx_history_restore_gets_the_whole_page(client, registry_data):
    response = client.get(
        reverse("web:partnership-list"), HTTP_HX_HISTORY_RESTORE_REQUEST="true", **HTMX
    )
    assert "<html" in response.content.decode()


def test_catalogue_filter_form_is_a_plain_get_form_with_htmx(client, registry_data):
    html = client.get(reverse("web:partnership-list")).content.decode()
    assert 'method="get" action="/partnerships/"' in html
    assert 'hx-get="/partnerships/"' in html
    assert 'hx-push-url="true"' in html
    assert 'hx-target="#results"' in html
    assert re.search(r'<label for="id_category">Category</label>', html)
    assert "/static/web/vendor/htmx.min.js" in html


def _link(html: str, rel: str) -> str | None:
    match = re.search(rf'<a href="([^"]*)"[^>]*rel="{rel}"', html)
    return match.group(1).replace("&amp;", "&") if match else None


def test_catalogue_pagination_walks_every_row_once_with_next_and_previous(
    client, registry_data, settings
):
    settings.ESCP4I_PAGE_SIZE = 10
    url = reverse("web:partnership-list")
    pages = [client.get(url).content.decode()]
    while (link := _link(pages[-1], "next")) is not None:
        pages.append(client.get(url + link).content.decode())
    seen = [a for page in pages for a in _result_acronyms(page)]
    assert [len(_result_acronyms(p)) for p in pages] == [10, 10, 4]
    assert len(seen) == len(set(seen)) == 24
    assert _link(pages[0], "prev") is None
    assert "24 partnerships found" in pages[2]
    back = client.get(url + _link(pages[2], "prev")).content.decode()
    assert _result_acronyms(back) == _result_acronyms(pages[1])
    filtered = client.get(url, {"generation": "2016"}).content.decode()
    assert _link(filtered, "next").startswith("?generation=2016&cursor=")


def test_catalogue_rejects_a_tampered_cursor(client, registry_data):
    response = client.get(reverse("web:partnership-list"), {"cursor": "not-a-cursor"})
    assert response.status_code == 400


def test_partnership_detail_shows_members_and_sources(
    client, registry_data, django_assert_max_num_queries
):
    partnership = Partnership.objects.get(acronym="ECCA")
    with django_assert_max_num_queries(5):
        response = client.get(reverse("web:partnership-detail", args=[partnership.slug]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "European Circular Construction Alliance" in html
    assert "Construction Cluster of Slovenia" in html
    assert ">Sources<" in html
    for url in partnership.source_urls:
        assert f'href="{url}"' in html
    assert "Strand 1 (strategy preparation)" in html


def test_partnership_detail_shows_not_stated_for_unknown_values(client, registry_data):
    html = client.get(reverse("web:partnership-detail", args=["ecca"])).content.decode()
    sme = re.search(r"<dt>SMEs \(as stated\)</dt>\s*<dd>(.*?)</dd>", html, re.S)
    assert sme and "not stated" in sme.group(1)
    enw = client.get(reverse("web:partnership-detail", args=["enw"])).content.decode()
    assert re.search(r"<dt>SMEs \(as stated\)</dt>\s*<dd>650</dd>", enw)
    assert "United States" in enw
    assert "South America" in enw


def test_synthetic_rows_get_a_badge(client, registry_data):
    Partnership.objects.filter(acronym="ECCA").update(is_synthetic=True)
    html = client.get(reverse("web:partnership-detail", args=["ecca"])).content.decode()
    assert "badge-synthetic" in html
    real = client.get(reverse("web:partnership-detail", args=["enw"])).content.decode()
    assert "badge-synthetic" not in real


def test_unknown_slugs_are_404(client, registry_data):
    assert client.get(reverse("web:partnership-detail", args=["nope"])).status_code == 404
    assert client.get(reverse("web:organisation-detail", args=["nope"])).status_code == 404
    assert client.get(reverse("web:country-detail", args=["QQ"])).status_code == 404
    assert client.get(reverse("web:keyfigure-list"), {"generation": "1999"}).status_code == 404


def test_organisation_list_search_and_pagination(
    client, registry_data, settings, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):
        html = client.get(reverse("web:organisation-list")).content.decode()
    assert "83 organisations found" in html
    assert 'rel="next"' in html
    found = client.get(reverse("web:organisation-list"), {"q": "Slovenia"}).content.decode()
    assert "Construction Cluster of Slovenia" in found
    fragment = client.get(reverse("web:organisation-list"), {"country": "SE"}, **HTMX)
    assert "<html" not in fragment.content.decode()
    assert "Packbridge" in fragment.content.decode()


def test_organisation_detail_lists_partnerships(
    client, registry_data, django_assert_max_num_queries
):
    # Organisation, focus areas, memberships, SME member records (no count: one page).
    with django_assert_max_num_queries(4):
        response = client.get(
            reverse("web:organisation-detail", args=["construction-cluster-of-slovenia-si"])
        )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="/partnerships/ecca/"' in html
    assert "Slovenia" in html
    assert ">Sources<" in html


def test_country_pages(client, registry_data, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        index = client.get(reverse("web:country-list")).content.decode()
    assert 'href="/countries/SI/"' in index
    assert 'href="/countries/US/"' in index
    with django_assert_max_num_queries(6):  # +1: EU support services for this market
        response = client.get(reverse("web:country-detail", args=["si"]))
    html = response.content.decode()
    assert "Slovenia" in html
    assert "Construction Cluster of Slovenia" in html
    assert 'href="/partnerships/ecca/"' in html
    us = client.get(reverse("web:country-detail", args=["US"])).content.decode()
    assert 'href="/partnerships/enw/"' in us


def test_key_figures_computed_beside_reported(client, registry_data, django_assert_max_num_queries):
    with django_assert_max_num_queries(15):
        response = client.get(reverse("web:keyfigure-list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "First generation (2016)" in html
    assert "8 partnerships of unknown category" in html
    assert "57 of 138 organisations documented" in html
    assert "more than 17,000" in html
    assert "4,443" in html
    assert 'href="https://' in html  # reported sources are links
    row = re.search(r"<th scope=\"row\">Strand 1 partnerships</th>(.*?)</tr>", html, re.S)
    assert row is not None
    cells = re.findall(r'<td class="num">\s*(.*?)\s*</td>', row.group(1), re.S)
    assert cells[:2] == ["5", "9"]


def test_key_figures_other_generation(client, registry_data):
    html = client.get(reverse("web:keyfigure-list"), {"generation": "2018"}).content.decode()
    assert "Second generation (2018)" in html
    assert '<option value="2018" selected>' in html


def test_charts_are_accessible_svg(client, registry_data):
    html = client.get(reverse("web:keyfigure-list")).content.decode()
    assert html.count("<svg") == 3
    for chart_id in ("chart-sectors", "chart-targets", "map-members"):
        assert f'<title id="{chart_id}-title">' in html
        assert f'<desc id="{chart_id}-desc">' in html
    assert 'role="img"' in html
    assert 'data-country="FR" ' in html or 'data-country="FR">' in html
    assert re.search(r'class="map-q[1-4]" data-country="SI"', html)
    assert re.search(r'class="map-q0" data-country="NO"', html)
    assert 'class="visually-hidden"' in html
    assert "<caption>Partnerships by focus area</caption>" in html


def test_export_links_and_download(client, registry_data):
    html = client.get(reverse("web:partnership-list")).content.decode()
    assert 'href="/registry/export/partnerships.csv"' in html
    response = client.get(reverse("web:registry-export", args=["partnerships", "csv"]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert b"ECCA" in response.content
    response = client.get(reverse("web:registry-export", args=["organisations", "json"]))
    assert response.status_code == 200
    assert client.get("/registry/export/nonsense.csv").status_code == 404
