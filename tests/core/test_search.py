"""core.search: the query language, the PostgreSQL search vectors and the SQLite fallback,
through the registry selectors that use them."""

from __future__ import annotations

import pytest
from django.db import connection

from escp4i.core.search import SearchDocument, Term, parse_query, search, search_filter
from escp4i.registry import selectors
from escp4i.registry.models import ClusterOrganisation, Country, Partnership
from escp4i.registry.services import partnership_members_text_refresh
from escp4i.registry.services.profiles import organisation_update


def test_parse_query_reads_the_web_search_syntax():
    assert parse_query('smart "cold chain" -dairy or Lyon') == [
        [Term("smart"), Term("cold chain"), Term("dairy", negated=True)],
        [Term("lyon")],
    ]
    assert parse_query("  ") == []
    assert parse_query("-only -negated") == []  # nothing to match positively
    assert parse_query('or "unterminated') == [[Term("unterminated")]]


def test_search_document_refuses_bad_definitions():
    with pytest.raises(ValueError, match="weight"):
        SearchDocument(("name", "E"))
    with pytest.raises(ValueError, match="configuration"):
        SearchDocument(("name", "A"), config="english'; DROP TABLE x; --")
    with pytest.raises(ValueError, match="at least one"):
        SearchDocument()


def _org(name: str, country: str = "DE", **fields) -> ClusterOrganisation:
    return ClusterOrganisation.objects.create(
        name=name, slug=name.lower().replace(" ", "-"), country_id=country, **fields
    )


@pytest.fixture
def orgs(db):
    return {
        "packaging": _org("Bavarian Packaging Cluster", sectors_text="smart packaging; dairy"),
        "dairy": _org("Lyon Food Network", "FR", sectors_text="dairy; cold chain"),
        "photonics": _org("Photonics Valley Jena", region="Thuringia"),
        "space": _org("Toulouse Space Hub", "FR", sectors_text="earth observation"),
    }


def _names(queryset) -> set[str]:
    return {o.name for o in queryset}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("packaging", {"Bavarian Packaging Cluster"}),  # a word of the name
        ("dairy", {"Bavarian Packaging Cluster", "Lyon Food Network"}),  # sectors as described
        ("Thuringia", {"Photonics Valley Jena"}),  # the region
        ("dairy -packaging", {"Lyon Food Network"}),  # exclusion
        ("photonics or space", {"Photonics Valley Jena", "Toulouse Space Hub"}),
        ('"cold chain"', {"Lyon Food Network"}),  # phrase
        ("DAIRY lyon", {"Lyon Food Network"}),  # case and AND
        ("zeppelin", set()),
    ],
)
def test_organisation_search_matches_on_both_backends(orgs, query, expected):
    assert _names(selectors.organisation_search(query=query)) == expected


def test_search_helper_annotates_a_rank_and_keeps_other_filters(orgs):
    qs = search(ClusterOrganisation.objects.filter(country_id="FR"), "dairy")
    assert [(o.name, isinstance(o.search_rank, float)) for o in qs] == [("Lyon Food Network", True)]


def test_partnership_search_finds_member_names_kept_by_the_services(orgs):
    partnership = Partnership.objects.create(acronym="ALPHA", slug="alpha", name="Alpha")
    partnership.memberships.create(organisation=orgs["photonics"])
    assert not selectors.partnership_search(query="Jena").exists()  # text not refreshed yet
    partnership_members_text_refresh(partnership_ids=[partnership.pk])
    assert [p.acronym for p in selectors.partnership_search(query="Jena")] == ["ALPHA"]


def test_renaming_a_member_refreshes_the_partnership_search_text(orgs, officer):
    partnership = Partnership.objects.create(acronym="BETA", slug="beta", name="Beta")
    partnership.memberships.create(organisation=orgs["space"])
    partnership_members_text_refresh()
    organisation_update(
        actor=officer, organisation=orgs["space"], data={"name": "Occitanie Orbit Alliance"}
    )
    assert [p.acronym for p in selectors.partnership_search(query="Occitanie")] == ["BETA"]
    assert not selectors.partnership_search(query="Toulouse").exists()


def test_a_query_without_a_positive_term_matches_nothing(orgs):
    assert list(selectors.organisation_search(query="-packaging")) == []
    assert list(selectors.organisation_search(query=" or ")) == []


@pytest.mark.postgres
def test_postgresql_ranks_name_hits_above_description_hits_and_stems(orgs):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://...)")
    _org("Dairy Innovation Cluster", "IT")
    ranked = list(selectors.organisation_search(query="dairy"))
    assert ranked[0].name == "Dairy Innovation Cluster"  # weight A (name) beats B (sectors)
    assert ranked[0].search_rank > ranked[-1].search_rank
    # English stemming: "clusters" finds "Cluster"; the trigram branch finds word fragments.
    assert "Bavarian Packaging Cluster" in _names(selectors.organisation_search(query="clusters"))
    assert _names(selectors.organisation_search(query="otonic")) == {"Photonics Valley Jena"}


@pytest.mark.postgres
def test_postgresql_search_uses_the_gin_index(orgs):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://...)")
    qs = ClusterOrganisation.objects.filter(search_filter(ClusterOrganisation, "dairy"))
    with connection.cursor() as cursor:
        # A tiny table: rule out the scans that read every row, leaving the index conditions.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        plan = qs.explain()
    assert "registry_clusterorganisation_search_document_gin" in plan


def test_sqlite_fallback_document_is_the_lower_cased_text(orgs):
    if connection.vendor == "postgresql":
        pytest.skip("the fallback document exists on other databases only")
    doc = ClusterOrganisation.objects.values_list("search_document", flat=True).get(
        pk=orgs["photonics"].pk
    )
    assert doc == "photonics valley jena  thuringia"


def test_country_choices_flags_countries_with_activity(orgs):
    flags = {c.code: (c.has_organisations, c.is_targeted) for c in selectors.country_choices()}
    assert flags["DE"] == (True, False)
    assert "PL" not in flags
    assert Country.objects.filter(code="PL").exists()
