"""Two officers acting on the same label at the same moment: exactly one transition wins, and the
core audit entry and the label event both record the winner only. PostgreSQL only (SQLite
serialises writers without row locks)."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, connections, transaction

from escp4i.core.errors import DomainError
from escp4i.core.models import AuditEntry
from escp4i.labels import services
from escp4i.labels.models import Label, LabelEvent
from escp4i.labels.workflow import LabelState
from tests.labels.conftest import reach

S = LabelState

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def _postgres_only(db):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://...)")


def in_thread(fn, results, index, barrier):
    def run():
        try:
            barrier.wait(timeout=10)
            results[index] = ("ok", fn())
        except DomainError as exc:
            results[index] = ("refused", exc)
        finally:
            connections.close_all()

    return threading.Thread(target=run)


def race(*fns):
    barrier = threading.Barrier(len(fns))
    results: list = [None] * len(fns)
    threads = [in_thread(fn, results, i, barrier) for i, fn in enumerate(fns)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def award(label, actor):
    return lambda: services.label_award(label=label, actor=actor, expected_state=S.SIGNED)


def revoke(label, actor):
    return lambda: services.label_revoke(
        label=label, actor=actor, reason=f"by {actor.username}", expected_state=S.SIGNED
    )


def trail(label, action):
    events = list(LabelEvent.objects.filter(label=label, action=action).select_related("actor"))
    audits = list(AuditEntry.objects.filter(action=f"label.{action}", target_pk=str(label.pk)))
    return events, audits


@pytest.mark.parametrize("kinds", [("award", "award"), ("award", "revoke"), ("revoke", "revoke")])
def test_two_officers_at_once_exactly_one_wins(kinds, world, officer, officer2, charter, today):
    label = reach(S.SIGNED, world, officer, today)
    makers = {"award": award, "revoke": revoke}
    officers = (officer, officer2)
    results = race(*(makers[k](label, o) for k, o in zip(kinds, officers, strict=True)))
    outcomes = [r[0] for r in results]
    assert sorted(outcomes) == ["ok", "refused"], results
    winner = outcomes.index("ok")
    loser = 1 - winner
    assert results[loser][1].code in {"conflict", "invalid_transition"}
    final = Label.objects.get(pk=label.pk)
    assert final.state == (S.AWARDED if kinds[winner] == "award" else S.REVOKED)
    events, audits = trail(label, kinds[winner])
    assert len(events) == len(audits) == 1
    assert events[0].actor == officers[winner]
    assert audits[0].actor_id == officers[winner].pk
    assert events[0].audit_entry_id == audits[0].pk
    assert audits[0].data["from"] == "signed"
    if kinds[loser] != kinds[winner]:
        assert trail(label, kinds[loser]) == ([], [])


def test_second_officer_waits_for_the_lock_and_sees_the_first_result(
    world, officer, officer2, charter, today
):
    """Deterministic interleaving: officer A has awarded but not committed when officer B tries;
    B blocks on the row lock, then sees "awarded" and is refused. Without select_for_update, B
    would read the committed "signed" state and award a second time."""
    label = reach(S.SIGNED, world, officer, today)
    a_awarded = threading.Event()
    results: dict[str, object] = {}

    def officer_a():
        try:
            with transaction.atomic():
                services.label_award(label=label, actor=officer)
                a_awarded.set()
                time.sleep(0.5)  # hold the row lock while B tries
            results["a"] = "ok"
        finally:
            connections.close_all()

    def officer_b():
        try:
            a_awarded.wait(timeout=10)
            services.label_award(label=label, actor=officer2)
            results["b"] = "ok"
        except DomainError as exc:
            results["b"] = exc.code
        finally:
            connections.close_all()

    threads = [threading.Thread(target=officer_a), threading.Thread(target=officer_b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert results == {"a": "ok", "b": "invalid_transition"}
    events, audits = trail(label, "award")
    assert [e.actor for e in events] == [officer]
    assert [a.actor_id for a in audits] == [officer.pk]
