"""Collaboration API: public partner-search reads, token-authenticated writes with permission
and validation errors, forum reads and writes behind a token."""

from __future__ import annotations

import json

import pytest

from escp4i.accounts.services import api_token_create
from escp4i.collaboration import services
from escp4i.collaboration.models import PartnerSearch

from .conftest import in_days

BASE = "/api/v1/collaboration"


@pytest.fixture
def tokens(world) -> dict[str, str]:
    return {
        name: api_token_create(user=getattr(world, name), name="tests")[1]
        for name in ("author", "colleague", "other", "third", "loner", "officer")
    }


@pytest.fixture
def call(client, tokens):
    def call(method: str, path: str, data=None, who: str | None = None):
        headers = {"Authorization": f"Bearer {tokens[who]}"} if who else {}
        return getattr(client, method)(
            f"{BASE}{path}",
            data=json.dumps(data) if data is not None else None,
            content_type="application/json",
            headers=headers,
        )

    return call


NEW = {
    "kind": "technology_cooperation",
    "title": "Sensor fusion for agri drones",
    "description": "Looking for ICT clusters.",
    "sectors": ["ict-microelectronics", "agro-food-packaging"],
    "countries_sought": ["fi", "EE"],
    "target_markets": ["south-america"],
}


def test_create_read_list_and_filter(call, world, django_assert_max_num_queries):
    response = call("post", "/partner-searches", {**NEW, "deadline": str(in_days(15))}, "author")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["organisation"] == "Alpha Packaging Cluster" and body["status"] == "open"
    assert sorted(body["countries_sought"]) == ["EE", "FI"]
    assert body["target_markets"] == ["south-america"]
    read = call("get", f"/partner-searches/{body['id']}")
    assert read.status_code == 200 and read.json()["title"] == NEW["title"]
    with django_assert_max_num_queries(8):
        listing = call("get", "/partner-searches?target_market=BR&status=open")
    assert listing.json()["count"] == 1
    assert call("get", "/partner-searches?kind=market_entry").json()["count"] == 0
    assert call("get", "/partner-searches?q=drones").json()["count"] == 1
    assert call("get", "/partner-searches?status=whatever").status_code == 422


def test_create_errors(call, world):
    assert (
        call("post", "/partner-searches", {**NEW, "deadline": str(in_days(5))}).status_code == 401
    )
    no_org = call("post", "/partner-searches", {**NEW, "deadline": str(in_days(5))}, "loner")
    assert no_org.status_code == 403 and no_org.json()["code"] == "permission_denied"
    bad = call(
        "post",
        "/partner-searches",
        {**NEW, "deadline": "2020-01-01", "countries_sought": ["ZZ"]},
        "author",
    )
    assert bad.status_code == 422
    fields = bad.json()["extra"]["fields"]
    assert fields["deadline"] == ["The deadline must be in the future."]
    assert "ZZ" in fields["countries_sought"][0]
    assert not PartnerSearch.objects.exists()


def test_patch_close_permissions(call, world, make_search):
    search = make_search()
    path = f"/partner-searches/{search.pk}"
    assert call("patch", path, {"title": "Mine now"}, "other").status_code == 403
    response = call("patch", path, {"title": "Better title"}, "colleague")
    assert response.status_code == 200 and response.json()["title"] == "Better title"
    assert response.json()["sectors"] == ["agro-food-packaging"]  # untouched
    assert call("post", f"{path}/close", {"outcome": "found_partners"}, "other").status_code == 403
    closed = call("post", f"{path}/close", {"outcome": "found_partners", "note": "B"}, "author")
    assert closed.json()["status"] == "closed" and closed.json()["outcome"] == "found_partners"
    again = call("patch", path, {"title": "After"}, "author")
    assert again.status_code == 409 and again.json()["code"] == "conflict"


def test_interest_follow_comments(call, world, make_search):
    search = make_search()
    path = f"/partner-searches/{search.pk}"
    created = call("post", f"{path}/interests", {"message": "Count us in"}, "other")
    assert created.status_code == 201 and created.json()["organisation"] == "Beta Food Valley"
    assert call("post", f"{path}/interests", {"message": "Twice"}, "other").status_code == 409
    own = call("post", f"{path}/interests", {"message": "Self"}, "colleague")
    assert own.status_code == 403
    assert [i["message"] for i in call("get", f"{path}/interests", who="author").json()] == [
        "Count us in"
    ]
    assert call("get", f"{path}/interests", who="third").json() == []
    assert call("get", f"{path}/interests").status_code == 401
    interest_id = created.json()["id"]
    assert call("post", f"/interests/{interest_id}/withdraw", who="third").status_code == 404
    withdrawn = call("post", f"/interests/{interest_id}/withdraw", who="other")
    assert withdrawn.status_code == 200 and withdrawn.json()["withdrawn_at"]
    assert call("put", f"{path}/follow", who="third").status_code == 204
    assert search.follows.filter(user=world.third).exists()
    assert call("delete", f"{path}/follow", who="third").status_code == 204
    comment = call("post", f"{path}/comments", {"body": "<b>hi</b> **there**"}, "third")
    assert comment.status_code == 201
    assert comment.json()["body_html"] == "<p>&lt;b&gt;hi&lt;/b&gt; <strong>there</strong></p>"
    assert len(call("get", f"{path}/comments").json()) == 1


def test_hidden_request_is_not_served_publicly(call, world, make_search):
    search = make_search()
    services.partner_search_hide(search=search, actor=world.officer, reason="Spam")
    assert call("get", f"/partner-searches/{search.pk}").status_code == 404
    assert call("get", "/partner-searches").json()["count"] == 0
    assert (
        call(
            "post", f"/partner-searches/{search.pk}/interests", {"message": "x"}, "third"
        ).status_code
        == 404
    )


def test_forum_reads_and_writes_need_a_token(call, world, spaces):
    assert call("get", "/forum/spaces").status_code == 401
    spaces_seen = {s["slug"] for s in call("get", "/forum/spaces", who="third").json()}
    assert "programme" in spaces_seen and "partnership-abpack" not in spaces_seen
    assert call("get", "/forum/spaces/partnership-abpack/threads", who="third").status_code == 404
    created = call(
        "post",
        "/forum/spaces/programme/threads",
        {"title": "Hello", "body": "First *post* <script>x</script>"},
        "author",
    )
    assert created.status_code == 201 and created.json()["post_count"] == 1
    thread_id = created.json()["id"]
    threads = call("get", "/forum/spaces/programme/threads", who="third").json()
    assert threads["count"] == 1 and threads["items"][0]["title"] == "Hello"
    reply = call("post", f"/forum/threads/{thread_id}/posts", {"body": "Reply"}, "third")
    assert reply.status_code == 201
    posts = call("get", f"/forum/threads/{thread_id}/posts", who="other").json()["items"]
    assert posts[0]["body_html"] == "<p>First <em>post</em> &lt;script&gt;x&lt;/script&gt;</p>"
    edit = call("patch", f"/forum/posts/{reply.json()['id']}", {"body": "Edited"}, "third")
    assert edit.status_code == 200 and edit.json()["edited_at"]
    assert (
        call("patch", f"/forum/posts/{reply.json()['id']}", {"body": "x"}, "other").status_code
        == 403
    )
    thread = world.author.forum_threads.get()
    services.forum_thread_lock(thread=thread, actor=world.officer)
    locked = call("post", f"/forum/threads/{thread_id}/posts", {"body": "Late"}, "other")
    assert locked.status_code == 409
    assert locked.json()["message"] == "This thread is locked: it takes no new posts."
