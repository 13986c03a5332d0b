"""The key-figures page joins labels, calls and event outcomes to the registry figures."""

from __future__ import annotations

from django.urls import reverse

from escp4i.calls.seed import calls_seed_shipped


def test_key_figures_page_shows_labels_calls_and_outcomes(client, registry_data):
    calls_seed_shipped()
    response = client.get(reverse("web:keyfigure-list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "ESCP-4i labels" in html
    assert "COS-CLUSTER-2014-3-03" in html
    assert "COS-CLUSINT-2016-03-01" in html
    assert "Matchmaking outcomes per partnership" in html


def test_key_figures_page_query_ceiling_with_calls(
    client, registry_data, django_assert_max_num_queries
):
    calls_seed_shipped()
    with django_assert_max_num_queries(24):
        client.get(reverse("web:keyfigure-list"))
