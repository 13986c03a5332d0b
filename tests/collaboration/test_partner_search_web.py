"""Partner-search pages through the Django client: list with htmx filters and text search,
post/edit/close forms with field errors, interests, follow (htmx), comments, moderation
markers, permissions, query ceilings and the recommendations fragment."""

from __future__ import annotations

import pytest
from django.urls import reverse

from escp4i.collaboration import services
from escp4i.collaboration.models import PartnerSearch
from escp4i.notifications.models import Notification

from .conftest import in_days

LIST = reverse("collaboration:partner-search-list")


def _detail(search) -> str:
    return reverse("collaboration:partner-search-detail", args=[search.pk])


def test_list_filters_search_htmx_and_query_ceiling(
    client, world, make_search, django_assert_max_num_queries
):
    japan = make_search()
    make_search(
        title="Battery recycling consortium",
        kind="project_consortium",
        sectors=["environmental-technologies"],
        countries_sought=["US"],
        target_markets=["US"],
        description="Horizon call.",
    )
    closed = make_search(title="Old request")
    services.partner_search_close(search=closed, actor=world.author, outcome="withdrawn")
    for n in range(25):  # enough for two pages
        make_search(title=f"Filler {n}", sectors=["space"], target_markets=[])
    with django_assert_max_num_queries(16):
        page = client.get(LIST)
    body = page.content.decode()
    assert page.status_code == 200 and "<html" in body
    assert "28 partner searches found" in body and 'rel="next"' in body
    fragment = client.get(LIST, {"target_market": "SG", "status": "open"}, HTTP_HX_REQUEST="true")
    body = fragment.content.decode()
    assert "<html" not in body  # ASEAN contains Singapore
    assert japan.title in body and "1 partner search found" in body
    assert "HX-Request" in fragment["Vary"]
    body = client.get(LIST, {"q": "recycling horizon"}).content.decode()
    assert "Battery recycling consortium" in body and "1 partner search found" in body
    body = client.get(LIST, {"status": "closed"}).content.decode()
    assert "Old request" in body and "1 partner search found" in body
    body = client.get(LIST, {"kind": "project_consortium", "country_sought": "US"}).content.decode()
    assert "Battery recycling consortium" in body and "Filler" not in body
    body = client.get(LIST, {"sector": "construction"}).content.decode()
    assert "No partner search matches these filters." in body


def test_expired_requests_are_shown_as_such_and_filterable(client, make_search):
    search = make_search(title="Past request")
    PartnerSearch.objects.filter(pk=search.pk).update(deadline=in_days(-3))
    body = client.get(LIST, {"status": "expired"}).content.decode()
    assert "Past request" in body and "expired" in body
    assert "Past request" not in client.get(LIST, {"status": "open"}).content.decode()
    page = client.get(_detail(search)).content.decode()
    assert "has passed: no new interest is accepted" in page


def test_post_form_shows_field_errors_and_keeps_input(client, world):
    client.force_login(world.author)
    url = reverse("collaboration:partner-search-create")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "kind": "market_entry",
            "title": "Looking for partners",
            "description": "",
            "deadline": "2020-01-01",
            "countries_sought": ["DE"],
        },
    )
    body = response.content.decode()
    assert response.status_code == 422
    assert "The deadline must be in the future." in body
    assert "Give at least one sector or a description." in body
    assert 'value="Looking for partners"' in body  # nothing lost
    assert not PartnerSearch.objects.exists()
    response = client.post(
        url,
        {
            "kind": "market_entry",
            "title": "Looking for partners",
            "sectors": ["agro-food-packaging"],
            "target_markets": ["asean", "JP"],
            "countries_sought": ["DE"],
            "deadline": in_days(20).isoformat(),
        },
    )
    search = PartnerSearch.objects.get()
    assert response.status_code == 302 and response["Location"] == _detail(search)
    assert {r.slug for r in search.target_regions.all()} == {"asean"}


def test_post_needs_login_and_an_organisation(client, world):
    url = reverse("collaboration:partner-search-create")
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(world.loner)
    response = client.get(url, follow=True)
    assert "act for a registry organisation" in response.content.decode()


@pytest.mark.parametrize(("who", "status"), [("colleague", 200), ("other", 403)])
def test_edit_and_close_pages_only_for_posting_organisation(
    client, world, make_search, who, status
):
    search = make_search()
    client.force_login(getattr(world, who))
    edit = reverse("collaboration:partner-search-edit", args=[search.pk])
    close = reverse("collaboration:partner-search-close", args=[search.pk])
    assert client.get(edit).status_code == status
    assert client.get(close).status_code == status
    response = client.post(close, {"outcome": "found_partners", "note": "Done"})
    search.refresh_from_db()
    if status == 200:
        assert response.status_code == 302 and search.is_closed
        page = client.get(_detail(search)).content.decode()
        assert "Closed: Found partners" in page and "read-only" in page
        assert edit not in page  # no edit link on a closed request
        assert client.get(edit).status_code == 403
    else:
        assert response.status_code == 403 and not search.is_closed


def test_close_form_requires_an_outcome(client, world, make_search):
    search = make_search()
    client.force_login(world.author)
    response = client.post(reverse("collaboration:partner-search-close", args=[search.pk]), {})
    assert response.status_code == 422 and "This field is required." in response.content.decode()


def test_interest_flow_private_messages_and_withdraw(client, world, make_search):
    search = make_search()
    client.force_login(world.other)
    page = client.get(_detail(search)).content.decode()
    assert "Express interest" in page
    empty = client.post(
        reverse("collaboration:partner-search-interest", args=[search.pk]), {"message": ""}
    )
    assert empty.status_code == 422
    response = client.post(
        reverse("collaboration:partner-search-interest", args=[search.pk]),
        {"message": "We have Japanese retail contacts."},
        follow=True,
    )
    body = response.content.decode()
    assert "Your interest was sent to Alpha Packaging Cluster." in body
    assert "Withdraw our interest" in body and "Express interest" not in body
    # The message is private: the posting organisation sees it, a third organisation does not.
    client.force_login(world.colleague)
    assert "We have Japanese retail contacts." in client.get(_detail(search)).content.decode()
    client.force_login(world.third)
    third = client.get(_detail(search)).content.decode()
    assert "We have Japanese retail contacts." not in third
    assert 'data-testid="interest-count">1<' in third
    client.logout()
    assert "We have Japanese retail contacts." not in client.get(_detail(search)).content.decode()
    # Withdraw: only the interested organisation.
    interest = search.interests.get()
    url = reverse("collaboration:partner-search-interest-withdraw", args=[interest.pk])
    client.force_login(world.third)
    assert client.post(url).status_code == 404
    client.force_login(world.other)
    body = client.post(url, follow=True).content.decode()
    assert "Your interest was withdrawn." in body and "Express interest" in body


def test_follow_toggle_with_htmx(client, world, make_search):
    search = make_search()
    client.force_login(world.third)
    url = reverse("collaboration:partner-search-follow", args=[search.pk])
    response = client.post(url, {"action": "follow"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body and "Unfollow" in body
    assert search.follows.filter(user=world.third).exists()
    response = client.post(url, {"action": "unfollow"})
    assert response.status_code == 302
    assert not search.follows.filter(user=world.third).exists()


def test_comment_renders_markdown_and_notifies_followers(client, world, make_search):
    search = make_search()
    client.force_login(world.other)
    url = reverse("collaboration:partner-search-comment", args=[search.pk])
    assert client.post(url, {"body": " "}).status_code == 422
    response = client.post(url, {"body": "Is *Korea* in scope?"})
    comment = search.comments.get()
    assert response["Location"].endswith(f"#comment-{comment.pk}")
    page = client.get(_detail(search)).content.decode()
    assert "Is <em>Korea</em> in scope?" in page
    assert Notification.objects.filter(user=world.author, kind="partner_search_commented")


def test_hidden_request_visible_only_to_moderators_and_owners_with_marker(
    client, world, make_search
):
    search = make_search(title="Dubious offer")
    services.partner_search_hide(search=search, actor=world.officer, reason="Advertising")
    client.force_login(world.other)
    assert client.get(_detail(search)).status_code == 404
    assert "Dubious offer" not in client.get(LIST).content.decode()
    for who in ("officer", "colleague"):
        client.force_login(getattr(world, who))
        page = client.get(_detail(search)).content.decode()
        assert 'data-testid="hidden-marker"' in page and "Advertising" in page
        assert "Dubious offer" in client.get(LIST).content.decode()
    client.logout()
    assert client.get(_detail(search)).status_code == 404


def test_moderation_through_the_page(client, world, make_search):
    search = make_search()
    url = reverse("collaboration:partner-search-moderate", args=[search.pk])
    client.force_login(world.author)
    assert client.post(url, {"action": "hide", "reason": "x"}).status_code == 403
    client.force_login(world.officer)
    page = client.get(_detail(search)).content.decode()
    assert "Hide this request" in page
    body = client.post(url, {"action": "hide", "reason": ""}, follow=True).content.decode()
    assert "Give a reason" in body
    client.post(url, {"action": "hide", "reason": "Off topic"})
    search.refresh_from_db()
    assert search.hidden_reason == "Off topic"
    client.post(url, {"action": "unhide"})
    search.refresh_from_db()
    assert not search.is_hidden


def test_detail_query_ceiling(client, world, make_search, django_assert_max_num_queries):
    search = make_search()
    for n in range(5):
        services.partner_search_comment_add(search=search, actor=world.other, body=f"c{n}")
    services.partner_interest_express(search=search, actor=world.other, message="Hi")
    client.force_login(world.author)
    with django_assert_max_num_queries(14):
        response = client.get(_detail(search))
    assert response.status_code == 200


def test_recommendations_fragment(client, world, make_search, django_assert_max_num_queries):
    search = make_search()
    other = services.partner_search_create(
        actor=world.other,
        kind="market_entry",
        title="Food packaging partners for Japan",
        sectors=["agro-food-packaging"],
        target_markets=["JP"],
        deadline=in_days(40),
    )
    for n in range(10):  # the number of other requests does not change the query count
        make_search(
            actor=world.third,
            title=f"Satellite ground stations {n}",
            description="Antennas.",
            sectors=["space"],
            countries_sought=[],
            target_markets=["BR"],
        )
    url = reverse("collaboration:partner-search-recommendations", args=[search.pk])
    with django_assert_max_num_queries(24):
        response = client.get(url, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert "Recommended organisations" in body and "Matching requests" in body
    # Beta Food Valley works in agro-food & packaging: recommended, with the reason.
    assert "Beta Food Valley" in body and "Works in the same sector family" in body
    assert other.title in body
    assert "Alpha Packaging Cluster</a>" not in body  # never the posting organisation itself
    assert "<html" in client.get(url).content.decode()


def test_garbage_deadline_is_rejected_by_the_form(client, world):
    client.force_login(world.author)
    response = client.post(
        reverse("collaboration:partner-search-create"),
        {"kind": "market_entry", "title": "x", "description": "y", "deadline": "soon"},
    )
    assert response.status_code == 422 and "Enter a valid date." in response.content.decode()
    assert not PartnerSearch.objects.exists()
