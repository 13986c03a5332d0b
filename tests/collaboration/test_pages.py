from django.urls import reverse

from escp4i.registry.models import Partnership


def test_service_directory_filters_and_htmx_fragment(
    client, collaboration_data, django_assert_max_num_queries
):
    url = reverse("collaboration:service-list")
    with django_assert_max_num_queries(12):
        page = client.get(url)
    assert page.status_code == 200
    assert "European Cluster Collaboration Platform" in page.content.decode()
    fragment = client.get(url, {"kind": "ipr_advice"}, HTTP_HX_REQUEST="true")
    body = fragment.content.decode()
    assert "International IPR SME Helpdesks" in body
    assert "<html" not in body
    assert "Enterprise Europe Network" not in body


def test_service_detail_shows_sources_and_missing_contact(client, collaboration_data):
    page = client.get(reverse("collaboration:service-detail", args=["eu-sme-centre-china"]))
    body = page.content.decode()
    assert "eeas.europa.eu" in body
    assert "Not stated in the sources" in body
    assert client.get(reverse("collaboration:service-detail", args=["nope"])).status_code == 404


def test_dialogue_list_and_filter(client, collaboration_data):
    body = client.get(reverse("collaboration:dialogue-list")).content.decode()
    assert "EU-US Cooperation Arrangement on Clusters" in body
    assert "Hannover Messe" in body
    body = client.get(
        reverse("collaboration:dialogue-list"), {"instrument": "discussion_paper"}
    ).content.decode()
    assert "Mexico" in body
    assert "Hannover Messe" not in body


def test_market_pages(client, collaboration_data, django_assert_max_num_queries):
    assert client.get(reverse("collaboration:market-list")).status_code == 200
    with django_assert_max_num_queries(40):
        page = client.get(reverse("collaboration:market-detail", args=["us"]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in body and "chart-activity" in body
    assert "EU-US Cooperation Arrangement on Clusters" in body
    assert client.get(reverse("collaboration:market-detail", args=["asean"])).status_code == 200
    assert client.get(reverse("collaboration:market-detail", args=["zz"])).status_code == 404


def test_partnership_embeds(client, collaboration_data):
    slug = Partnership.objects.get(acronym="EACP-ABROAD").slug
    rec = client.get(
        reverse("collaboration:partnership-recommendations", args=[slug]), HTTP_HX_REQUEST="true"
    )
    body = rec.content.decode()
    assert rec.status_code == 200 and "Recommended partners" in body and "<html" not in body
    full = client.get(reverse("collaboration:partnership-recommendations", args=[slug]))
    assert "<html" in full.content.decode()
    services = client.get(reverse("collaboration:partnership-services", args=[slug]))
    assert "EU-Japan Centre" in services.content.decode()  # EACP-ABROAD targets JP
