"""The shipped 2014 and 2016 calls: sourced figures, links to the real partnerships, idempotency."""

from __future__ import annotations

import io
from decimal import Decimal

from django.core.management import call_command

from escp4i.calls.models import PROGRAMME_BRIEF, Call, CallFigure, CallPartnership
from escp4i.calls.seed import calls_seed_shipped
from escp4i.calls.selectors import call_figures


def test_seed_links_generations_and_partnerships(registry_data):
    first = calls_seed_shipped()
    again = calls_seed_shipped()
    assert first == again
    assert Call.objects.count() == 2 and first.unlinked_calls == []
    c2014 = Call.objects.get(identifier="COS-CLUSTER-2014-3-03")
    c2016 = Call.objects.get(identifier="COS-CLUSINT-2016-03-01")
    assert c2014.generation.code == "2016" and c2016.generation.code == "2018"
    ecca = CallPartnership.objects.get(call=c2014, partnership__acronym="ECCA")
    assert ecca.outcome == "co_funded" and ecca.strand.code == "1"
    assert CallPartnership.objects.filter(call=c2016, partnership__acronym="AdPack2").exists()
    assert c2016.strands.get(code="1.a").reserved_places.get().places == 2


def test_every_figure_has_a_source_and_brief_figures_are_marked(registry_data):
    calls_seed_shipped()
    for figure in CallFigure.objects.all():
        assert figure.source_url or figure.source_label == PROGRAMME_BRIEF
        assert figure.from_programme_brief == (figure.source_label == PROGRAMME_BRIEF)
    budgets = dict(
        CallFigure.objects.filter(
            call__identifier="COS-CLUSINT-2016-03-01", kind="budget"
        ).values_list("source_label", "value")
    )
    assert budgets[PROGRAMME_BRIEF] == Decimal("4425000")
    assert Decimal("5790000") in budgets.values()
    assert all(
        f.note
        for f in CallFigure.objects.filter(call__identifier="COS-CLUSINT-2016-03-01", kind="budget")
    )


def test_call_figures_counts_partnerships_by_strand(registry_data, django_assert_max_num_queries):
    out = io.StringIO()
    call_command("seed_calls", stdout=out)
    assert "2 calls" in out.getvalue()
    with django_assert_max_num_queries(5):
        figures = {f.identifier: f for f in call_figures()}
    first = figures["COS-CLUSTER-2014-3-03"]
    strand1 = [s for s in first.by_strand if s.strand == "1" and s.outcome == "co_funded"]
    assert strand1 and strand1[0].partnerships == 5
    assert first.budget == Decimal("3750000")
    assert (
        first.partnerships
        == CallPartnership.objects.filter(call__identifier=first.identifier).count()
    )
