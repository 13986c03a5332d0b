import pytest

from escp4i.collaboration import selectors
from escp4i.core.errors import NotFound
from escp4i.registry.models import Partnership


def test_services_for_market_includes_region_coverage(collaboration_data):
    # Singapore is named by no service directly, but it is in South-East Asia.
    slugs = {s.slug for s in selectors.services_for_market(code="sg")}
    assert slugs == {"ipr-sme-helpdesks", "eu-gateway"}
    assert {s.slug for s in selectors.services_for_market(code="CN")} == {
        "een",
        "eu-sme-centre-china",
        "ipr-sme-helpdesks",
    }
    assert "elan-network" in {s.slug for s in selectors.services_for_market(code="latin-america")}


def test_directory_filters_by_kind_and_country(collaboration_data):
    ipr = selectors.support_service_list(kind="ipr_advice")
    assert [s.slug for s in ipr] == ["ipr-sme-helpdesks"]
    japan = {s.slug for s in selectors.support_service_list(country="JP")}
    assert {"eu-japan-centre", "eu-gateway", "eccp"} <= japan  # eccp: any market
    strict = {s.slug for s in selectors.support_service_list(country="JP", include_general=False)}
    assert "eccp" not in strict


def test_dialogues_for_country(collaboration_data):
    us = list(selectors.dialogues_for_country(code="us"))
    assert [d.date.isoformat() for d in us] == ["2015-02-27", "2015-04-22"]
    assert {d.slug for d in selectors.dialogues_for_country(code="north-america")} >= {
        "eu-canada-administrative-arrangement-clusters-2019",
        "eccp-discussion-paper-mexico",
    }


def test_third_country_view_aggregates_partnerships_services_dialogues(collaboration_data):
    view = selectors.third_country_view(code="ca")
    acronyms = {t.partnership.acronym for t in view.partnerships}
    assert {"EACP-ABROAD", "bioXclusters PLUS", "AdPack2"} <= acronyms
    via = {t.partnership.acronym: t.via for t in view.partnerships}
    assert via["EACP-ABROAD"] == ""
    assert "North America" in via["LASER-GO"]  # LASER-GO targets "North America"
    assert {d.slug for d in view.dialogues} == {
        "eu-canada-administrative-arrangement-clusters-2019",
        "eccp-discussion-paper-canada",
    }
    years = {row.year: row for row in view.activity}
    assert years[2019].dialogues == 1
    assert years[2016].partnerships >= 3
    assert [row.year for row in view.activity] == list(range(2016, 2020))


def test_third_country_view_for_region_and_unknown_code(collaboration_data):
    view = selectors.third_country_view(code="asean")
    assert view.region is not None
    assert "NATUREEF" in {t.partnership.acronym for t in view.partnerships}
    assert "LASER-GO" in {t.partnership.acronym for t in view.partnerships}  # via MY, SG
    with pytest.raises(NotFound):
        selectors.third_country_view(code="zz")


def test_events_are_omitted_while_the_events_app_has_no_event_model(collaboration_data):
    from django.apps import apps

    has_model = True
    try:
        apps.get_model("events", "Event")
    except LookupError:
        has_model = False
    view = selectors.third_country_view(code="US")
    assert (view.events is None) is (not has_model)


def test_recommend_members_suggests_non_members_with_reasons(collaboration_data):
    partnership = Partnership.objects.get(acronym="AdPack2")
    members = set(partnership.memberships.values_list("organisation_id", flat=True))
    recs = selectors.recommend_members(partnership=partnership, limit=5)
    assert 0 < len(recs) <= 5
    assert not {r.organisation.pk for r in recs} & members
    assert all(r.reasons for r in recs)
    assert recs[0].score >= recs[-1].score


def test_market_list_counts(collaboration_data):
    markets = {m.code: m for m in selectors.market_list()}
    assert markets["US"].dialogues == 2
    assert markets["US"].partnerships >= 5
    assert markets["asean"].is_region
