"""Suggested matches on the participant pages come from the matching engine (offer ↔ request,
sectors, target countries, profile text), with translated reasons and a constant query count;
the event page lists the support services for its third-country focus."""

from __future__ import annotations

import pytest

from escp4i.collaboration.models import SupportService
from escp4i.events import selectors, services
from escp4i.events.models import OpportunityKind, ParticipantKind, RegistrationStatus
from escp4i.registry.models import Country, Region, Sector


def _offer(registration, kind, title, description="", countries=(), sectors=()):
    return services.opportunity_add(
        registration=registration,
        actor=registration.user,
        kind=kind,
        title=title,
        description=description,
        countries=Country.objects.filter(pk__in=countries),
        sectors=Sector.objects.filter(slug__in=sectors),
    )


def test_complementary_opportunity_and_target_country_rank_first_with_reasons(
    make_event, make_participant
):
    event = make_event()
    a = make_participant(event, country="DE")
    b = make_participant(event, country="US", kind=ParticipantKind.THIRD_COUNTRY)
    make_participant(event, country="IT")  # nothing in common with a: never suggested
    _offer(a, OpportunityKind.TECHNOLOGY_OFFER, "Laser welding", countries=["US"])
    _offer(b, OpportunityKind.TECHNOLOGY_REQUEST, "Welding partner")
    suggestions = selectors.participant_recommendations(registration=a)
    assert [s.registration for s in suggestions] == [b]
    codes = {r.code for r in suggestions[0].reasons}
    assert {"opportunity_match", "in_target_market", "other_country"} <= codes
    text = " ".join(suggestions[0].texts)
    assert "Their technology request “Welding partner” answers your technology offer" in text
    assert "United States" in text and "one of your target countries" in text


def test_both_directions_sectors_and_text_order_the_ranking(make_event, make_participant):
    event = make_event()
    me = make_participant(event, country="FR")
    distributor = make_participant(event, country="CA", kind=ParticipantKind.THIRD_COUNTRY)
    same_sector = make_participant(event, country="ES")
    colleague = make_participant(event, country="FR")
    colleague.organisation = me.organisation
    colleague.save()
    sector = Sector.objects.order_by("slug").first()
    _offer(
        me,
        OpportunityKind.BUSINESS_REQUEST,
        "Distributor for organic cosmetics",
        "We look for a distributor of organic cosmetics in Canada",
        countries=["CA"],
        sectors=[sector.slug],
    )
    _offer(me, OpportunityKind.BUSINESS_OFFER, "Private-label cosmetics manufacturing")
    _offer(
        distributor,
        OpportunityKind.BUSINESS_OFFER,
        "Distribution of cosmetics across Canada",
        "Importer and distributor of organic cosmetics",
    )
    _offer(distributor, OpportunityKind.BUSINESS_REQUEST, "Cosmetics manufacturer (private label)")
    _offer(
        colleague, OpportunityKind.BUSINESS_OFFER, "Cosmetics distribution", sectors=[sector.slug]
    )
    _offer(same_sector, OpportunityKind.TECHNOLOGY_OFFER, "Packaging line", sectors=[sector.slug])
    ranked = selectors.participant_recommendations(registration=me, limit=None)
    assert [s.registration for s in ranked] == [distributor, same_sector]  # never a colleague
    first = ranked[0]
    assert [r.code for r in first.reasons].count("opportunity_match") == 2  # both directions
    assert any("answers your business request" in t for t in first.texts)
    assert any("answers your business offer" in t for t in first.texts)
    assert any(sector.name in t for t in ranked[1].texts)


def test_only_approved_participants_are_suggested(make_event, make_participant):
    event = make_event(requires_validation=True)
    me = make_participant(event, country="DE")
    other = make_participant(event, country="US")
    _offer(me, OpportunityKind.BUSINESS_OFFER, "Robots")
    _offer(other, OpportunityKind.BUSINESS_REQUEST, "Robots")
    assert other.status == RegistrationStatus.PENDING
    assert selectors.participant_recommendations(registration=me) == []
    services.registration_validate(registration=other, actor=None, approve=True)
    assert [s.registration for s in selectors.participant_recommendations(registration=me)] == [
        other
    ]


@pytest.mark.parametrize("participants", [4, 16])
def test_recommendations_query_count_is_constant(
    make_event, make_participant, participants, django_assert_max_num_queries
):
    event = make_event()
    me = make_participant(event, country="DE")
    _offer(me, OpportunityKind.TECHNOLOGY_REQUEST, "Sensors", countries=["US", "CA"])
    for i in range(participants):
        p = make_participant(event, country="US" if i % 2 else "CA")
        _offer(p, OpportunityKind.TECHNOLOGY_OFFER, f"Sensor {i}", countries=["DE"])
    me.refresh_from_db()
    with django_assert_max_num_queries(5):
        ranked = selectors.participant_recommendations(registration=me, limit=None)
    assert len(ranked) == participants


def test_participant_pages_show_suggestions_and_why(
    client, make_event, make_participant, django_assert_max_num_queries
):
    event = make_event()
    me = make_participant(event, country="DE")
    match = make_participant(event, name="Welding Works", country="US")
    for _ in range(10):
        make_participant(event, country="IT")
    _offer(me, OpportunityKind.TECHNOLOGY_OFFER, "Laser welding", countries=["US"])
    _offer(match, OpportunityKind.TECHNOLOGY_REQUEST, "Welding partner")
    client.force_login(me.user)
    with django_assert_max_num_queries(22):
        page = client.get(f"/events/{event.slug}/participants/")
    html = page.content.decode()
    assert "Suggested matches" in html
    assert "Their technology request “Welding partner” answers your technology offer" in html
    detail = client.get(f"/events/{event.slug}/participants/{match.pk}/").content.decode()
    assert "Why you could meet" in detail
    assert "one of your target countries" in detail


def test_event_page_lists_services_for_its_third_country_focus(client, make_event):
    event = make_event()
    event.focus_countries.set(Country.objects.filter(pk="JP"))
    direct = SupportService.objects.create(
        slug="jp-centre", name="EU-Japan Centre", description="x"
    )
    direct.countries.set(Country.objects.filter(pk="JP"))
    asia = Region.objects.filter(countries__code="JP").first()
    elsewhere = SupportService.objects.create(slug="latam", name="LatAm desk", description="x")
    elsewhere.countries.set(Country.objects.filter(pk="BR"))
    html = client.get(f"/events/{event.slug}/").content.decode()
    assert "EU support services for these target markets" in html
    assert "EU-Japan Centre" in html
    assert "LatAm desk" not in html
    if asia is not None:  # a service covering a region that contains the focus country
        regional = SupportService.objects.create(slug="asia", name="Asia desk", description="x")
        regional.regions.set([asia])
        assert "Asia desk" in client.get(f"/events/{event.slug}/").content.decode()


def test_event_page_without_focus_has_no_services_block(client, make_event):
    event = make_event()
    html = client.get(f"/events/{event.slug}/").content.decode()
    assert "EU support services for these target markets" not in html
