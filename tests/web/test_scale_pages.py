"""Pages and API lists over a generated dataset (scale 0.001): keyset pages, constant query
counts, SME member records, capped country pages, synthetic labels."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from escp4i.events.models import Event
from escp4i.registry import selectors
from escp4i.registry.models import ClusterOrganisation, SmeMember
from escp4i.synthetic.services import scale_data_generate


@pytest.fixture
def scale_data(registry_data):
    return scale_data_generate(scale=0.001, seed=5)


def _busiest_cluster() -> ClusterOrganisation:
    return max(
        ClusterOrganisation.objects.filter(slug__startswith="scale-", sme_members__gt=0),
        key=lambda o: (o.sme_members, -o.pk),
    )


@pytest.mark.parametrize(
    ("url", "ceiling"),
    [
        ("/organisations/", 4),
        ("/organisations/?q=cluster", 4),
        ("/partnerships/", 8),
        ("/partnerships/?q=european", 8),
        ("/events/", 3),
        ("/api/v1/organisations?q=university", 4),
        ("/api/v1/partnerships", 6),
        ("/api/v1/events", 2),
        ("/key-figures/", 15),  # registry, labels, calls and events sections, uncached
    ],
)
def test_list_pages_keep_a_query_ceiling_at_scale(
    client, scale_data, django_assert_max_num_queries, url, ceiling
):
    with django_assert_max_num_queries(ceiling):
        assert client.get(url).status_code == 200


def test_organisation_page_lists_its_sme_members_by_pages(client, scale_data, settings):
    settings.ESCP4I_PAGE_SIZE = 5
    organisation = _busiest_cluster()
    url = reverse("web:organisation-detail", args=[organisation.slug])
    html = client.get(url).content.decode()
    expected = list(SmeMember.objects.filter(organisation=organisation).order_by("name", "pk")[:5])
    assert f"{organisation.sme_members} SME members recorded" in html
    for sme in expected:
        assert sme.name.replace("&", "&amp;") in html
    assert "badge-synthetic" in html
    link = re.search(r'<a href="(\?cursor=[^"]+)"[^>]*rel="next"', html)
    assert link
    second = client.get(url + link.group(1).replace("&amp;", "&")).content.decode()
    assert expected[0].name.replace("&", "&amp;") not in second


def test_api_pages_through_sme_members_of_an_organisation(client, scale_data):
    organisation = _busiest_cluster()
    url = f"/api/v1/organisations/{organisation.slug}/sme-members"
    names, cursor = [], None
    while True:
        body = client.get(url, {"limit": 3, **({"cursor": cursor} if cursor else {})}).json()
        names += [item["name"] for item in body["items"]]
        assert body["count"] == organisation.sme_members
        cursor = body["next"]
        if not cursor:
            break
    assert names == list(
        SmeMember.objects.filter(organisation=organisation)
        .order_by("name", "pk")
        .values_list("name", flat=True)
    )
    assert {"name", "country", "nace_code", "size_class", "is_synthetic"} <= set(body["items"][0])
    assert client.get("/api/v1/organisations/nope/sme-members").status_code == 404


def test_api_key_figures_leave_synthetic_rows_out_unless_asked(client, scale_data):
    def partnerships(**params):
        body = client.get("/api/v1/key-figures", params).json()
        return next(f for f in body["figures"] if f["key"] == "partnerships")["computed"]

    real = partnerships()
    assert real == 13
    assert partnerships(include_synthetic="true") > real
    assert partnerships(include_synthetic="false") == real


def test_event_list_pages_and_labels_synthetic_events(client, scale_data, settings, user):
    for i in range(3):
        Event.objects.create(
            slug=f"real-{i}",
            name=f"Real event {i}",
            city="Lyon",
            country_id="FR",
            start_date="2031-01-01",
            end_date="2031-01-01",
            organiser=user,
        )
    settings.ESCP4I_PAGE_SIZE = 2
    html = client.get("/events/").content.decode()
    assert re.search(r"\d+ events", html)
    assert 'rel="next"' in html
    api = client.get("/api/v1/events", {"limit": 2}).json()
    assert api["count"] == Event.objects.count()
    slugs = []
    cursor = None
    while True:
        body = client.get("/api/v1/events", {"limit": 2, **({"cursor": cursor} if cursor else {})})
        slugs += [e["slug"] for e in body.json()["items"]]
        cursor = body.json()["next"]
        if not cursor:
            break
    assert slugs == list(
        Event.objects.order_by("-start_date", "name", "pk").values_list("slug", flat=True)
    )
    synthetic = Event.objects.filter(is_synthetic=True).first()
    page = client.get(reverse("events:event-detail", args=[synthetic.slug])).content.decode()
    assert "badge-synthetic" in page


def test_country_page_shows_the_first_rows_and_links_to_all(client, scale_data, monkeypatch):
    monkeypatch.setattr(selectors, "COUNTRY_LIST_LIMIT", 2)
    code = "DE"  # the largest member state in the generator's weights
    total = ClusterOrganisation.objects.filter(country_id=code).count()
    assert total > 2
    html = client.get(reverse("web:country-detail", args=[code])).content.decode()
    assert f"The first 2 of {total} organisations: see them all" in html
    assert f'href="/organisations/?country={code}"' in html
    body = client.get(f"/api/v1/countries/{code}").json()
    assert len(body["organisations"]) == 2
    assert body["organisation_count"] == total
