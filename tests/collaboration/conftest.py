"""Collaboration fixtures: the shipped directory, and a small hand-made world for partner
search and the forum (three organisations, one partnership, users acting for them)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from escp4i.accounts.models import Role, User
from escp4i.accounts.services import role_grant

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def collaboration_data(registry_data):
    """The shipped registry data plus the shipped support services and policy dialogues."""
    from escp4i.collaboration.services import collaboration_load_shipped

    return collaboration_load_shipped()


@dataclass
class World:
    org_a: object  # posts partner searches
    org_b: object
    org_c: object
    partnership: object  # members: A and B
    author: User  # acts for A
    colleague: User  # also acts for A
    other: User  # acts for B
    third: User  # acts for C
    loner: User  # acts for no organisation
    officer: User


def _user(username: str, organisation=None) -> User:
    return User.objects.create_user(
        username=username,
        email=f"{username}@example.org",
        password=PASSWORD,
        organisation=organisation,
    )


@pytest.fixture
def world(db) -> World:
    from escp4i.registry.models import (
        ClusterOrganisation,
        Country,
        Membership,
        Partnership,
        Sector,
    )

    def org(name: str, country: str, sector: str) -> ClusterOrganisation:
        o = ClusterOrganisation.objects.create(
            name=name, slug=name.lower().replace(" ", "-"), country=Country.objects.get(pk=country)
        )
        o.sectors.set([Sector.objects.get(slug=sector)])
        return o

    a = org("Alpha Packaging Cluster", "FR", "agro-food-packaging")
    b = org("Beta Food Valley", "DE", "agro-food-packaging")
    c = org("Gamma Mobility Hub", "US", "mobility-transport")
    partnership = Partnership.objects.create(
        acronym="ABPACK", slug="abpack", name="Alpha Beta Packaging Abroad"
    )
    partnership.target_countries.set([Country.objects.get(pk="JP")])
    Membership.objects.create(partnership=partnership, organisation=a, role="coordinator")
    Membership.objects.create(partnership=partnership, organisation=b)
    author = _user("author", a)
    role_grant(user=author, role=Role.CLUSTER_MANAGER)
    officer = _user("officer")
    role_grant(user=officer, role=Role.PROGRAMME_OFFICER)
    return World(
        org_a=a,
        org_b=b,
        org_c=c,
        partnership=partnership,
        author=author,
        colleague=_user("colleague", a),
        other=_user("other", b),
        third=_user("third", c),
        loner=_user("loner"),
        officer=officer,
    )


def in_days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


@pytest.fixture
def make_search(world):
    from escp4i.collaboration.services import partner_search_create

    def make(**overrides):
        kwargs = {
            "actor": world.author,
            "kind": "market_entry",
            "title": "Partners for smart packaging in Japan",
            "description": "We look for clusters with food-packaging SMEs.",
            "sectors": ["agro-food-packaging"],
            "countries_sought": ["DE", "IT"],
            "target_markets": ["JP", "asean"],
            "deadline": in_days(30),
            **overrides,
        }
        return partner_search_create(**kwargs)

    return make


@pytest.fixture
def spaces(world):
    from escp4i.collaboration.services import forum_spaces_sync

    forum_spaces_sync()
    from escp4i.collaboration.models import ForumSpace

    return {s.slug: s for s in ForumSpace.objects.all()}
