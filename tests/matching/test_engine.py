"""The pure recommender: profiles without leakage, rankings, reasons, TF-IDF, evaluation maths.
No database and no Django settings are needed here."""

from __future__ import annotations

import subprocess
import sys

import pytest

from escp4i.matching import (
    DEFAULT_PARTICIPANT_WEIGHTS,
    DEFAULT_WEIGHTS,
    CooperationOpportunity,
    MarketGeography,
    OrganisationRecord,
    ParticipantProfile,
    PartnerSearchRequest,
    PartnershipQuery,
    PartnershipRecord,
    TfidfModel,
    organisation_profiles,
    recommend_for_request,
    recommend_participants,
    recommend_partners,
)
from escp4i.matching.evaluation import expected_rank_metrics, leave_one_member_out
from escp4i.matching.text import char_ngrams, words

ORGS = [
    OrganisationRecord("hamburg", "Hamburg Aviation", "DE", frozenset({"mobility-transport"})),
    OrganisationRecord("valley", "Aerospace Valley", "FR", frozenset({"mobility-transport"})),
    OrganisationRecord("skywin", "Skywin", "BE"),
    OrganisationRecord("food", "FoodValleyNL", "NL", frozenset({"agro-food-packaging"})),
    OrganisationRecord("madrid", "Madrid AeroSpace Cluster", "ES", frozenset({"space"})),
]
PARTNERSHIPS = [
    PartnershipRecord(
        "eacp",
        "European Aerospace Cluster Partnership",
        ("aerospace", "aviation"),
        frozenset({"mobility-transport", "space"}),
        frozenset({"US", "CA"}),
        ("hamburg", "valley", "skywin"),
    ),
    PartnershipRecord(
        "space2id",
        "Space Clusters International",
        ("space",),
        frozenset({"space"}),
        frozenset({"CN", "south-america"}),
        ("valley", "skywin"),
    ),
    PartnershipRecord(
        "nf4",
        "New Frontiers in Food",
        ("agri-food",),
        frozenset({"agro-food-packaging"}),
        frozenset({"CA"}),
        ("food",),
    ),
]
GEO = MarketGeography({"south-america": frozenset({"BR", "CO", "CL"})})


def test_profiles_exclude_the_partnership_under_test():
    profiles = organisation_profiles(ORGS, PARTNERSHIPS, exclude="eacp")
    hamburg = profiles["hamburg"]
    # Hamburg Aviation is only in EACP: without it, nothing from EACP may remain.
    assert hamburg.partnerships == ()
    assert hamburg.partners == frozenset()
    assert hamburg.markets == frozenset()
    assert "aviation" not in words(hamburg.text.replace("Aviation", ""))
    assert hamburg.sector_families == frozenset({"mobility-transport"})  # from its own record
    # The other members keep only SPACE2ID: they no longer "know" Hamburg through EACP.
    assert profiles["valley"].partners == frozenset({"skywin"})
    assert profiles["valley"].markets == frozenset({"CN", "south-america"})


def test_profiles_without_exclusion_use_every_partnership():
    profiles = organisation_profiles(ORGS, PARTNERSHIPS)
    assert profiles["valley"].partnerships == ("eacp", "space2id")
    assert profiles["valley"].partners == frozenset({"hamburg", "skywin"})


def test_recommend_partners_ranks_complementary_organisation_first_with_reasons():
    profiles = organisation_profiles(ORGS, PARTNERSHIPS, exclude="eacp")
    query = PartnershipQuery(
        name="European Aerospace Cluster Partnership",
        members=frozenset({"valley"}),
        sector_terms=("aerospace", "aviation"),
        sector_families=frozenset({"mobility-transport", "space"}),
        markets=frozenset({"US", "CO"}),
    )
    ranked = recommend_partners(query, profiles, geography=GEO, limit=None)
    keys = [s.key for s in ranked]
    assert "valley" not in keys  # current members are never suggested
    assert "skywin" in keys[:3]
    by_key = {s.key: s for s in ranked}
    # Skywin worked with Aerospace Valley on SPACE2ID and targets South America (CO is in it).
    codes = {r.code for r in by_key["skywin"].reasons}
    assert {"worked_with_members", "overlapping_markets", "new_country"} <= codes
    # Madrid AeroSpace Cluster has no partnership history here: it is found by its name.
    assert by_key["madrid"].reasons[0].code == "similar_profile"
    assert "aerospace" in by_key["madrid"].reasons[0].params["terms"]
    assert all(r.text for s in ranked for r in s.reasons)
    only_history = recommend_partners(
        query, profiles, geography=GEO, weights=DEFAULT_WEIGHTS.only("collaboration")
    )
    assert only_history[0].key == "skywin"
    assert ranked[-1].key == "food"
    assert [s.score for s in ranked] == sorted((s.score for s in ranked), reverse=True)


def test_recommend_partners_limit_and_empty_partnership():
    profiles = organisation_profiles(ORGS, PARTNERSHIPS)
    query = PartnershipQuery(name="Aviation", sector_families=frozenset({"mobility-transport"}))
    ranked = recommend_partners(query, profiles, limit=2)
    assert len(ranked) == 2
    assert {s.key for s in ranked} <= {"hamburg", "valley", "madrid", "skywin"}


def test_market_overlap_gives_half_credit_through_a_region():
    from escp4i.matching.engine import market_overlap

    assert market_overlap(frozenset({"CO"}), frozenset({"CO"}), GEO) == (1.0, ["CO"])
    assert market_overlap(frozenset({"south-america"}), frozenset({"CO"}), GEO) == (0.5, ["CO"])
    assert market_overlap(frozenset({"US"}), frozenset({"CO"}), GEO) == (0.0, [])


def test_tfidf_matches_across_languages_by_character_ngrams():
    model = TfidfModel(["Logistics in Wallonia", "Asociación Clúster Alimentario", "Photonics"])
    logistica = model.similarity("logística portuaria", "Logistics in Wallonia")
    assert logistica > model.similarity("logística portuaria", "Photonics")
    assert model.similarity("same text", "same text") == pytest.approx(1.0)
    assert model.similarity("", "anything") == 0.0
    assert words("Clúster de la Energía") == ["cluster", "energia"]
    assert char_ngrams(["ab"]) == [" ab "]


def test_tfidf_shared_terms_explain_similarity():
    model = TfidfModel(["Hamburg Aviation", "Niedersachsen Aviation", "Skywin"])
    assert model.shared_terms("aviation aerospace", "Hamburg Aviation") == ["aviation"]


def test_recommend_for_request_ranks_organisations_and_requests():
    profiles = organisation_profiles(ORGS, PARTNERSHIPS)
    request = PartnerSearchRequest(
        "r1",
        "Looking for aviation clusters to go to Canada",
        frozenset({"mobility-transport"}),
        frozenset({"CA"}),
        frozenset({"DE"}),
        "food",
    )
    other = PartnerSearchRequest("r2", "aviation mission Canada", frozenset(), frozenset({"CA"}))
    ranked = recommend_for_request(request, profiles, [other], geography=GEO, limit=None)
    assert ranked[0].key == "hamburg"
    assert "wanted_country" in {r.code for r in ranked[0].reasons}
    assert "food" not in [s.key for s in ranked]  # the requester itself
    assert any(s.kind == "request" and s.key == "r2" for s in ranked)


def test_recommend_participants_matches_offers_with_requests_both_ways():
    me = ParticipantProfile(
        "p1", "Me", "FR", offers="drone testing", seeks="battery suppliers", organisation="o1"
    )
    seller = ParticipantProfile(
        "p2", "Cells Inc", "CA", offers="battery cells suppliers", seeks="drone testing partners"
    )
    colleague = ParticipantProfile(
        "p3", "Colleague", "FR", offers="battery suppliers", organisation="o1"
    )
    stranger = ParticipantProfile("p4", "Bakery", "FR", offers="bread", seeks="flour")
    ranked = recommend_participants(me, [me, seller, colleague, stranger], limit=None)
    assert [s.key for s in ranked] == ["p2", "p4"]
    assert {"offer_matches_request", "request_matches_offer", "other_country"} <= {
        r.code for r in ranked[0].reasons
    }


def test_recommend_participants_pairs_een_opportunities_sectors_and_markets():
    geo = MarketGeography({"east-asia": frozenset({"JP", "KR"})})
    me = ParticipantProfile(
        "me",
        "Drone Cluster",
        "FR",
        opportunities=(
            CooperationOpportunity(
                "technology_offer",
                "Drone inspection of power lines",
                "autonomous drone inspection",
                sectors=frozenset({"energy"}),
                markets=frozenset({"CA", "east-asia"}),
            ),
        ),
    )
    utility = ParticipantProfile(
        "utility",
        "Hydro Utility",
        "CA",
        opportunities=(
            CooperationOpportunity("technology_request", "Drone inspection of power lines"),
        ),
    )
    rival = ParticipantProfile(  # offers the same thing: no complementary pair
        "rival",
        "Other Drones",
        "DE",
        opportunities=(CooperationOpportunity("technology_offer", "Drone inspection services"),),
    )
    tokyo = ParticipantProfile("tokyo", "Tokyo Grid", "JP", sectors=frozenset({"energy"}))
    nobody = ParticipantProfile("nobody", "Bakery", "FR", text="bread and pastries")
    ranked = recommend_participants(me, [utility, rival, tokyo, nobody], geography=geo, limit=None)
    by_key = {s.key: s for s in ranked}
    assert ranked[0].key == "utility"
    first = {r.code: r for r in ranked[0].reasons}
    assert first["opportunity_match"].params["their_title"] == "Drone inspection of power lines"
    assert "in_target_market" in first and "other_country" in first
    assert by_key["utility"].features["request"] == 1.0  # kinds complement and texts agree
    assert "opportunity_match" not in {r.code for r in by_key["rival"].reasons}
    tokyo_codes = {r.code for r in by_key["tokyo"].reasons}
    assert {"in_target_market", "same_sector"} <= tokyo_codes  # JP through the region
    assert by_key["nobody"].score == 0.0 and by_key["nobody"].reasons == ()
    total = sum(getattr(DEFAULT_PARTICIPANT_WEIGHTS, f) for f in by_key["tokyo"].features)
    assert total == pytest.approx(1.0)


def test_expected_rank_metrics_handle_ties():
    assert expected_rank_metrics({"a": 3, "b": 2, "c": 1}, "b", 1) == (0.0, 0.5)
    recall, rr = expected_rank_metrics(dict.fromkeys("abcd", 0.0), "a", 2)
    assert recall == pytest.approx(0.5)
    assert rr == pytest.approx((1 + 1 / 2 + 1 / 3 + 1 / 4) / 4)


def test_leave_one_member_out_never_sees_the_hidden_partnership():
    seen = []

    def spy(query, profiles):
        seen.append((query.key, profiles))
        return dict.fromkeys(profiles, 0.0)

    results = leave_one_member_out(ORGS, PARTNERSHIPS, {"spy": spy}, k=2)
    assert results[0].count() == 6
    for key, profiles in seen:
        assert all(key not in p.partnerships for p in profiles.values())
    assert results[0].count("warm") == 4  # valley and skywin: two partnerships each


def test_importing_matching_loads_no_django():
    code = (
        "import sys, escp4i.matching, escp4i.matching.evaluation, escp4i.matching.semantic;"
        "bad=[m for m in sys.modules if m.split('.')[0] in ('django','torch') "
        "or m.startswith('escp4i.') and not m.startswith('escp4i.matching')];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
