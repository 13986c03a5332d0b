"""The label lifecycle as a pure, table-driven state machine (no database, no side effects).

``TRANSITIONS`` is the single source of truth: services ask ``ensure_transition`` before they
change a label, ``docs/label-lifecycle.md`` draws the same table as a diagram, and the tests walk
every (state, action) pair. ``TRIGGERED_BY`` documents who may trigger each action; the services
enforce it.

    proposed -> charter_open -> signed -> awarded -> expiring -> expired
                                            |           |
                                            +-----------+--> renewed (a successor label starts)
    every non-final state --revoke--> revoked
    awarded --expire--> expired   (no reminder lead time configured, or the job missed the window)
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from escp4i.core.errors import InvalidTransition


class LabelState(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    CHARTER_OPEN = "charter_open", _("Charter open for signature")
    SIGNED = "signed", _("Charter signed by all members")
    AWARDED = "awarded", _("Awarded")
    EXPIRING = "expiring", _("Expiring")
    EXPIRED = "expired", _("Expired")
    RENEWED = "renewed", _("Renewed")
    REVOKED = "revoked", _("Revoked")


class LabelAction(models.TextChoices):
    OPEN_CHARTER = "open_charter", _("Open the charter for signature")
    COMPLETE_SIGNATURES = "complete_signatures", _("Last member signs the charter")
    AWARD = "award", _("Award the label")
    START_EXPIRING = "start_expiring", _("Enter the reminder window")
    EXPIRE = "expire", _("Expire at the end of validity")
    RENEW = "renew", _("Renew for a new period")
    REVOKE = "revoke", _("Revoke")


class RenewalBasis(models.TextChoices):
    LATER_CALL = "later_call", _("Selected in a later call (strand 1 / voluntary)")
    SUSTAINABLE_STRATEGY = "sustainable_strategy", _("Sustainable strategy approved (strand 2)")


S = LabelState
A = LabelAction

TRANSITIONS: dict[tuple[LabelState, LabelAction], LabelState] = {
    (S.PROPOSED, A.OPEN_CHARTER): S.CHARTER_OPEN,
    (S.CHARTER_OPEN, A.COMPLETE_SIGNATURES): S.SIGNED,
    (S.SIGNED, A.AWARD): S.AWARDED,
    (S.AWARDED, A.START_EXPIRING): S.EXPIRING,
    (S.AWARDED, A.EXPIRE): S.EXPIRED,
    (S.EXPIRING, A.EXPIRE): S.EXPIRED,
    (S.AWARDED, A.RENEW): S.RENEWED,
    (S.EXPIRING, A.RENEW): S.RENEWED,
    (S.PROPOSED, A.REVOKE): S.REVOKED,
    (S.CHARTER_OPEN, A.REVOKE): S.REVOKED,
    (S.SIGNED, A.REVOKE): S.REVOKED,
    (S.AWARDED, A.REVOKE): S.REVOKED,
    (S.EXPIRING, A.REVOKE): S.REVOKED,
}

#: Who may trigger each action (enforced by the services; drawn in docs/label-lifecycle.md).
TRIGGERED_BY: dict[LabelAction, str] = {
    A.OPEN_CHARTER: "programme officer; partnership coordinator; a member's user; calls decision",
    A.COMPLETE_SIGNATURES: "automatic, when the last member representative signs",
    A.AWARD: "programme officer",
    A.START_EXPIRING: "daily job (labels_daily)",
    A.EXPIRE: "daily job (labels_daily)",
    A.RENEW: "programme officer (later-call selection, or approved strategy for strand 2)",
    A.REVOKE: "programme officer, with a reason",
}

#: States in which the label is in force (verification page and badge say "active").
ACTIVE_STATES: frozenset[LabelState] = frozenset({S.AWARDED, S.EXPIRING})
#: States from which nothing follows; a partnership has at most one label outside them.
FINAL_STATES: frozenset[LabelState] = frozenset(
    state for state in LabelState if not any(s == state for s, _a in TRANSITIONS)
)
#: States in which a validity period exists (set at award, never cleared).
VALIDITY_STATES: frozenset[LabelState] = frozenset({S.AWARDED, S.EXPIRING, S.EXPIRED, S.RENEWED})


def next_states(state: LabelState | str) -> frozenset[LabelState]:
    """The states reachable from ``state`` in one transition."""
    current = LabelState(state)
    return frozenset(target for (source, _a), target in TRANSITIONS.items() if source == current)


def allowed_actions(state: LabelState | str) -> frozenset[LabelAction]:
    current = LabelState(state)
    return frozenset(action for (source, action) in TRANSITIONS if source == current)


def transition(state: LabelState | str, action: LabelAction | str) -> LabelState:
    """The state after ``action``; raises InvalidTransition when the table has no such edge."""
    current, wanted = LabelState(state), LabelAction(action)
    target = TRANSITIONS.get((current, wanted))
    if target is None:
        raise InvalidTransition(
            gettext("A label that is “%(state)s” cannot be changed by “%(action)s”.")
            % {"state": current.label, "action": wanted.label},
            state=current.value,
            action=wanted.value,
            allowed=sorted(a.value for a in allowed_actions(current)),
        )
    return target


def ensure_transition(state: LabelState | str, target: LabelState | str) -> None:
    """Raise InvalidTransition unless ``target`` is one step away from ``state``."""
    current, wanted = LabelState(state), LabelState(target)
    if wanted not in next_states(current):
        raise InvalidTransition(
            gettext("A label cannot go from “%(state)s” to “%(target)s”.")
            % {"state": current.label, "target": wanted.label},
            state=current.value,
            target=wanted.value,
            allowed=sorted(s.value for s in next_states(current)),
        )


def public_status(state: LabelState | str) -> str:
    """The one word the verification page and the badge show: active, expiring, in preparation,
    expired, renewed or revoked."""
    current = LabelState(state)
    if current == S.AWARDED:
        return "active"
    if current == S.EXPIRING:
        return "expiring"
    if current in (S.PROPOSED, S.CHARTER_OPEN, S.SIGNED):
        return "in preparation"
    return current.value
