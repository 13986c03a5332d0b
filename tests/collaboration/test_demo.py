"""The collaboration demo sample: everything synthetic and labelled, idempotent."""

from __future__ import annotations

from django.core.management import call_command
from django.urls import reverse

from escp4i.accounts.models import User
from escp4i.collaboration.models import ForumPost, ForumThread, PartnerSearch


def test_demo_sample_is_synthetic_labelled_and_idempotent(client, db, capsys):
    call_command("seed_demo_collaboration")
    assert "3 organisations, 3 partner searches, 2 forum threads" in capsys.readouterr().out
    searches = list(PartnerSearch.objects.select_related("organisation"))
    assert len(searches) == 3
    assert all(s.is_synthetic and s.organisation.is_synthetic for s in searches)
    assert all(s.title.startswith("[Sample]") for s in searches)
    assert {s.display_status for s in searches} == {"open", "closed"}
    assert all(t.is_synthetic for t in ForumThread.objects.all())
    assert all(p.is_synthetic for p in ForumPost.objects.all())
    assert not User.objects.get(username="sample-packaging").has_usable_password()
    call_command("seed_demo_collaboration")
    assert "0 organisations, 0 partner searches, 0 forum threads" in capsys.readouterr().out
    assert PartnerSearch.objects.count() == 3
    page = client.get(reverse("collaboration:partner-search-list")).content.decode()
    assert page.count("badge-synthetic") >= 3
    detail = client.get(
        reverse("collaboration:partner-search-detail", args=[searches[0].pk])
    ).content.decode()
    assert "Sample data: this request was generated for the demo and is not real." in detail
