"""core.pagination: keyset pages walk every row exactly once, in a stable order, ties included."""

from __future__ import annotations

import base64
import datetime as dt
import json

import pytest

from escp4i.core.pagination import (
    InvalidCursor,
    capped_count,
    cursor_after,
    keyset_page,
)
from escp4i.events.models import Event
from escp4i.events.selectors import event_list
from escp4i.registry import selectors
from escp4i.registry.models import ClusterOrganisation

pytestmark = pytest.mark.django_db

COUNTRIES = [
    *("AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT"),
    *("LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "NO", "CH", "IS"),
]
NAMES = ["Beta", "Alpha", "Gamma", "Alpha", "Delta", "Beta", "Alpha", "Epsilon", "Beta", "Zeta"]


@pytest.fixture
def organisations():
    # Many equal names (ties broken by the primary key), each in another country.
    return [
        ClusterOrganisation.objects.create(name=name, slug=f"org-{i}", country_id=COUNTRIES[i])
        for i, name in enumerate(NAMES * 3)
    ]


def _walk_forward(queryset, size):
    pages, cursor = [], None
    while True:
        page = keyset_page(queryset, size=size, cursor=cursor)
        pages.append(page)
        if not page.has_next:
            return pages
        cursor = page.next_cursor


@pytest.mark.parametrize("size", [1, 4, 7, 30, 31])
def test_forward_pages_hold_every_row_once_in_order(organisations, size):
    qs = selectors.organisation_search()
    pages = _walk_forward(qs, size)
    walked = [o.pk for page in pages for o in page]
    assert walked == [o.pk for o in qs]  # the full ordering: name, then pk
    assert len(walked) == len(set(walked)) == len(organisations)
    assert not pages[0].has_previous
    assert all(page.has_previous for page in pages[1:])


def test_previous_pages_walk_back_to_the_first(organisations):
    qs = selectors.organisation_search()
    forward = _walk_forward(qs, 4)
    page = forward[-1]
    back = [page]
    while page.has_previous:
        page = keyset_page(qs, size=4, cursor=page.previous_cursor)
        back.append(page)
    assert [[o.pk for o in p] for p in reversed(back)] == [[o.pk for o in p] for p in forward]
    assert back[-1].next_cursor is not None


def test_pages_are_stable_when_rows_are_added_before_them(organisations):
    qs = selectors.organisation_search()
    first = keyset_page(qs, size=5)
    ClusterOrganisation.objects.create(name="Aardvark", slug="aardvark", country_id="DE")
    second = keyset_page(qs, size=5, cursor=first.next_cursor)
    assert second.object_list[0].pk == list(qs)[6].pk  # "Aardvark" shifted offsets, not seeks
    assert {o.pk for o in first}.isdisjoint({o.pk for o in second})


def test_filtered_and_ranked_orderings_page_the_same_way(organisations):
    qs = selectors.organisation_search(query="alpha or beta")
    walked = [o.pk for page in _walk_forward(qs, 2) for o in page]
    assert walked == [o.pk for o in qs]
    assert len(walked) == len(set(walked)) == 18


def test_descending_orderings_with_ties(user):
    for i in range(7):
        day = dt.date(2030, 1, 1 + i // 3)
        Event.objects.create(
            slug=f"e{i}",
            name=("B", "A")[i % 2],
            city="Lyon",
            country_id="FR",
            start_date=day,
            end_date=day,
            organiser=user,
        )
    qs = event_list()  # -start_date, name, pk
    walked = [e.pk for page in _walk_forward(qs, 3) for e in page]
    expected = sorted(Event.objects.all(), key=lambda e: (-e.start_date.toordinal(), e.name, e.pk))
    assert walked == [e.pk for e in expected]


def test_cursor_after_starts_the_next_page_after_a_row(organisations):
    qs = selectors.organisation_search()
    rows = list(qs)
    page = keyset_page(qs, size=3, cursor=cursor_after(rows[10], selectors.ORGANISATION_ORDERING))
    assert [o.pk for o in page] == [o.pk for o in rows[11:14]]


def _raw(payload) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "cursor",
    [
        "not base64 !",
        _raw(["n", "Alpha", 1]),  # not an object
        _raw({"d": "x", "v": ["Alpha", 1]}),  # unknown direction
        _raw({"d": "n", "v": ["Alpha"]}),  # too few values
        _raw({"d": "n", "v": ["Alpha", "one"]}),  # not a primary key
        _raw({"d": "n", "v": ["Alpha", None]}),
        _raw({"d": "n", "v": [["Alpha"], 1]}),
        "x" * 3000,
    ],
)
def test_tampered_cursors_are_rejected(organisations, cursor):
    with pytest.raises(InvalidCursor):
        keyset_page(selectors.organisation_search(), size=5, cursor=cursor)


def test_orderings_must_end_in_the_primary_key(organisations):
    with pytest.raises(ValueError, match="primary key"):
        keyset_page(ClusterOrganisation.objects.order_by("name"), size=5)


def test_capped_count_stops_at_the_cap(organisations):
    qs = selectors.organisation_search()
    assert capped_count(qs, cap=100).value == 30
    assert not capped_count(qs, cap=100).capped
    assert capped_count(qs, cap=10) == type(capped_count(qs, cap=10))(10, True)
