"""Setting up and moving a call through its states (officers)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from escp4i.accounts.models import User
from escp4i.calls.models import (
    Call,
    CallState,
    Criterion,
    ProposalState,
    ReservedPlace,
    Strand,
)
from escp4i.calls.selectors import (
    require_officer,
)
from escp4i.calls.services._common import (
    audit,
    current_time,
)
from escp4i.core.errors import Conflict, DomainError, InvalidTransition
from escp4i.registry.models import (
    PartnershipCategory,
)


@transaction.atomic
def call_create(
    *,
    actor: User,
    identifier: str,
    title: str,
    budget: Decimal | None,
    opens_at: dt.datetime | None,
    deadline: dt.datetime | None,
    programme: str = "",
    description: str = "",
    overall_threshold: Decimal = Decimal(0),
    min_partners: int = 3,
    min_countries: int = 3,
) -> Call:
    require_officer(actor)
    call = Call(
        identifier=identifier,
        title=title,
        budget=budget,
        opens_at=opens_at,
        deadline=deadline,
        programme=programme,
        description=description,
        overall_threshold=overall_threshold,
        min_partners=min_partners,
        min_countries=min_countries,
    )
    call.full_clean()
    call.save()
    audit(actor=actor, action="call.create", target=call, data={"identifier": identifier})
    return call


def _ensure_draft(call: Call) -> None:
    if call.state != CallState.DRAFT:
        raise InvalidTransition(_("Only a draft call can be changed."), state=call.state)


@transaction.atomic
def strand_add(
    *,
    actor: User,
    call: Call,
    code: str,
    title: str,
    places: int,
    max_grant: Decimal | None = None,
    duration_months: int | None = None,
    category: str = PartnershipCategory.STRAND1,
) -> Strand:
    require_officer(actor)
    _ensure_draft(call)
    strand = Strand(
        call=call,
        code=code,
        title=title,
        places=places,
        max_grant=max_grant,
        duration_months=duration_months,
        category=category,
    )
    strand.full_clean()
    strand.save()
    audit(actor=actor, action="call.strand_add", target=call, data={"strand": code})
    return strand


@transaction.atomic
def reserved_place_add(*, actor: User, strand: Strand, theme: str, places: int) -> ReservedPlace:
    """Reserve ``places`` of the strand for ``theme``; reserved places never exceed the strand's."""
    require_officer(actor)
    _ensure_draft(strand.call)
    already = strand.reserved_places.aggregate(n=Sum("places"))["n"] or 0
    if strand.places is not None and already + places > strand.places:
        raise DomainError(
            _("Reserved places (%(n)s) would exceed the strand's %(places)s places.")
            % {"n": already + places, "places": strand.places}
        )
    reserved = ReservedPlace(strand=strand, theme=theme, places=places)
    reserved.full_clean()
    reserved.save()
    audit(
        actor=actor,
        action="call.reserved_place_add",
        target=strand.call,
        data={"strand": strand.code, "theme": theme, "places": places},
    )
    return reserved


@transaction.atomic
def criterion_add(
    *,
    actor: User,
    call: Call,
    code: str,
    title: str,
    weight: Decimal = Decimal(1),
    max_score: Decimal = Decimal(5),
    threshold: Decimal = Decimal(0),
    position: int = 0,
) -> Criterion:
    require_officer(actor)
    _ensure_draft(call)
    criterion = Criterion(
        call=call,
        code=code,
        title=title,
        weight=weight,
        max_score=max_score,
        threshold=threshold,
        position=position,
    )
    criterion.full_clean()
    criterion.save()
    audit(actor=actor, action="call.criterion_add", target=call, data={"criterion": code})
    return criterion


@transaction.atomic
def call_publish(*, actor: User, call: Call) -> Call:
    """Publish a draft call; it needs a budget, dates, strands with places and criteria."""
    require_officer(actor)
    _ensure_draft(call)
    missing = []
    if call.budget is None:
        missing.append(_("budget"))
    if call.opens_at is None or call.deadline is None:
        missing.append(_("opening and deadline"))
    if not call.strands.exists() or call.strands.filter(places__isnull=True).exists():
        missing.append(_("strands with places"))
    if not call.criteria.exists():
        missing.append(_("evaluation criteria"))
    if missing:
        raise DomainError(
            _("The call cannot be published without: %(missing)s.")
            % {"missing": ", ".join(missing)},
            missing=missing,
        )
    call.state = CallState.OPEN
    call.save(update_fields=["state", "updated_at"])
    audit(actor=actor, action="call.publish", target=call, data={})
    return call


@transaction.atomic
def call_evaluation_start(*, actor: User, call: Call, now: dt.datetime | None = None) -> Call:
    """Close submissions (after the deadline) and start the evaluation."""
    require_officer(actor)
    if call.state != CallState.OPEN:
        raise InvalidTransition(_("Only a published call can go to evaluation."), state=call.state)
    if call.deadline is not None and current_time(now) <= call.deadline:
        raise Conflict(_("The deadline has not passed yet."))
    call.state = CallState.EVALUATION
    call.save(update_fields=["state", "updated_at"])
    audit(actor=actor, action="call.evaluation_start", target=call, data={})
    return call


@transaction.atomic
def call_close(*, actor: User, call: Call) -> Call:
    """Close the call once every submitted proposal has a decision or was found ineligible."""
    require_officer(actor)
    if call.state != CallState.EVALUATION:
        raise InvalidTransition(_("Only a call under evaluation can be closed."), state=call.state)
    pending = call.proposals.filter(state__in=[ProposalState.SUBMITTED, ProposalState.ELIGIBLE])
    if pending.exists():
        raise Conflict(
            _("%(n)s proposals still need a decision.") % {"n": pending.count()},
            pending=pending.count(),
        )
    call.state = CallState.CLOSED
    call.save(update_fields=["state", "updated_at"])
    audit(actor=actor, action="call.close", target=call, data={})
    return call
