"""Concurrent writes on PostgreSQL: one interest per organisation, one close per request."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from escp4i.accounts.models import User
from escp4i.collaboration import services
from escp4i.collaboration.models import PartnerSearch, PartnerSearchInterest
from escp4i.core.errors import DomainError

pytestmark = pytest.mark.postgres


def _race(calls) -> list[str]:
    barrier = threading.Barrier(len(calls))
    outcomes: list[str] = []

    def run(call):
        try:
            barrier.wait()
            call()
            outcomes.append("ok")
        except DomainError as exc:
            outcomes.append(exc.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parallel_interests_and_closes(world, make_search):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://...)")
    search = make_search()
    colleagues = [
        User.objects.create_user(username=f"beta{n}", organisation=world.org_b) for n in range(8)
    ]
    outcomes = _race(
        [
            lambda u=u: services.partner_interest_express(
                search=PartnerSearch.objects.get(pk=search.pk), actor=u, message="Us!"
            )
            for u in colleagues
        ]
    )
    assert sorted(outcomes) == ["conflict"] * 7 + ["ok"]
    assert PartnerSearchInterest.objects.filter(search=search).count() == 1
    closers = [world.author, world.colleague] * 3
    outcomes = _race(
        [
            lambda u=u: services.partner_search_close(
                search=PartnerSearch.objects.get(pk=search.pk), actor=u, outcome="found_partners"
            )
            for u in closers
        ]
    )
    assert sorted(outcomes) == ["conflict"] * 5 + ["ok"]
