"""Helpers shared by the calls services: audit, clock, state guards."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from escp4i.accounts.models import User
from escp4i.calls.models import (
    Call,
    CallState,
)
from escp4i.calls.selectors import (
    call_is_open,
)
from escp4i.core.audit import audit_record
from escp4i.core.errors import Conflict, InvalidTransition

ScoreInput = Mapping[int, tuple[Decimal, str]]


def audit(*, actor: User | None, action: str, target: Model, data: dict[str, object]) -> None:
    audit_record(actor=actor, action=action, target=target, data=data)


def current_time(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def ensure_open(call: Call, now: dt.datetime | None) -> None:
    if not call_is_open(call=call, now=now):
        raise Conflict(_("The call does not take proposals now (closed or past its deadline)."))


def ensure_evaluation(call: Call) -> None:
    if call.state != CallState.EVALUATION:
        raise InvalidTransition(_("The call is not under evaluation."), state=call.state)
