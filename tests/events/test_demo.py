from django.core.management import call_command

from escp4i.events.models import Event, Meeting, Registration


def test_seed_demo_events_is_idempotent(registry_data):
    call_command("seed_demo_events", "--time-limit", "2")
    us = Event.objects.get(slug="eu-us-cluster-matchmaking-hannover-2016")
    tw = Event.objects.get(slug="taiwan-eu-ict-cluster-matchmaking-computex-2016")
    assert us.source_urls[0].startswith("https://")
    assert us.host_fair == "Hannover Messe 2016" and tw.host_fair == "COMPUTEX 2016"
    assert us.schedule_published_at is not None
    assert Meeting.objects.filter(event=us, status="scheduled", published_at__isnull=False).exists()
    third = Registration.objects.filter(event=us, organisation__country_id="US")
    assert third.exists() and all(r.is_synthetic and r.organisation.is_synthetic for r in third)
    eu = Registration.objects.filter(event=us).exclude(organisation__country_id="US")
    assert eu.exists() and not eu.filter(organisation__is_synthetic=True).exists()
    counts = (Event.objects.count(), Meeting.objects.count(), Registration.objects.count())
    call_command("seed_demo_events")
    assert (Event.objects.count(), Meeting.objects.count(), Registration.objects.count()) == counts


def test_demo_event_page_shows_sources_schedule_and_sample_label(client, registry_data):
    call_command("seed_demo_events", "--time-limit", "2")
    html = client.get("/events/eu-us-cluster-matchmaking-hannover-2016/").content.decode()
    assert "EU participants" in html and "eu_participants" not in html.lower().replace(
        "eu participants", ""
    )
    assert "Published schedule" in html
    assert "generated sample data" in html
    assert "https://impr-0001-1260-partners.eccp.hosted-temp.com/content/eu-us-cluster" in html
