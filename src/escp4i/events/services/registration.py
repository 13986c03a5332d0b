"""Registrations and profiles: register for an organisation (existing or created on the fly),
sessions, unavailable slots, meeting limit, cooperation opportunities, organiser validation and
check-in on the day."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from escp4i.accounts.models import User
from escp4i.core.audit import audit_record
from escp4i.core.errors import Conflict, DomainError, PermissionDenied
from escp4i.events.models import (
    Event,
    EventSession,
    Opportunity,
    OpportunityKind,
    ParticipantKind,
    ParticipantType,
    Registration,
    RegistrationStatus,
    Slot,
)
from escp4i.events.services.setup import require_manage
from escp4i.registry.models import ClusterOrganisation, Country, Sector


def _organisation_on_the_fly(
    *, name: str, country: Country, is_synthetic: bool
) -> ClusterOrganisation:
    existing = ClusterOrganisation.objects.filter(name__iexact=name, country=country).first()
    if existing is not None:
        return existing
    base = slugify(f"{name}-{country.code}")[:240] or "organisation"
    slug, n = base, 2
    while ClusterOrganisation.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    organisation = ClusterOrganisation(
        name=name,
        slug=slug,
        country=country,
        is_synthetic=is_synthetic,
        notes=_("Created at event registration."),
    )
    organisation.full_clean()
    organisation.save()
    return organisation


@transaction.atomic
def registration_create(
    *,
    event: Event,
    user: User,
    participant_kind: ParticipantKind | str,
    organisation: ClusterOrganisation | None = None,
    new_organisation_name: str = "",
    new_organisation_country: Country | None = None,
    profile: str = "",
    max_meetings: int = 10,
    sessions: Iterable[EventSession] = (),
    unavailable_slots: Iterable[Slot] = (),
    is_synthetic: bool = False,
) -> Registration:
    """Register ``user`` for ``event`` on behalf of an organisation; approved at once unless the
    event requires validation. Raises DomainError/Conflict when the window, cap or type forbid."""
    now = timezone.now()
    if event.registration_opens_at and now < event.registration_opens_at:
        raise DomainError(_("Registration has not opened yet."))
    if event.registration_closes_at and now > event.registration_closes_at:
        raise DomainError(_("Registration is closed."))
    if Registration.objects.filter(event=event, user=user).exists():
        raise Conflict(_("You are already registered for this event."))
    ptype = (
        ParticipantType.objects.select_for_update()
        .filter(event=event, kind=participant_kind)
        .first()
    )
    if ptype is None:
        raise DomainError(_("This event does not accept this type of participant."))
    if ptype.cap is not None:
        taken = ptype.registrations.exclude(
            status__in=[RegistrationStatus.CANCELLED, RegistrationStatus.REJECTED]
        ).count()
        if taken >= ptype.cap:
            raise Conflict(
                _("The places for %(kind)s are all taken (%(cap)d).")
                % {"kind": ptype, "cap": ptype.cap}
            )
    if organisation is None:
        if not new_organisation_name.strip() or new_organisation_country is None:
            raise DomainError(_("Choose an organisation or give a new one's name and country."))
        organisation = _organisation_on_the_fly(
            name=new_organisation_name.strip(),
            country=new_organisation_country,
            is_synthetic=is_synthetic,
        )
    if max_meetings < 1:
        raise DomainError(_("The maximum number of meetings must be at least 1."))
    sessions = list(sessions)
    unavailable = list(unavailable_slots)
    if any(s.event_id != event.pk for s in sessions) or any(
        s.event_id != event.pk for s in unavailable
    ):
        raise DomainError(_("Sessions and slots must belong to this event."))
    registration = Registration(
        event=event,
        user=user,
        organisation=organisation,
        participant_type=ptype,
        profile=profile,
        max_meetings=max_meetings,
        is_synthetic=is_synthetic,
        status=(
            RegistrationStatus.PENDING if event.requires_validation else RegistrationStatus.APPROVED
        ),
    )
    registration.full_clean()
    registration.save()
    registration.sessions.set(sessions)
    registration.unavailable_slots.set(unavailable)
    audit_record(
        actor=user,
        action="event.register",
        target=registration,
        data={"event": event.slug, "organisation": organisation.slug},
    )
    return registration


@transaction.atomic
def registration_update(
    *,
    registration: Registration,
    actor: User,
    profile: str,
    max_meetings: int,
    sessions: Iterable[EventSession],
    unavailable_slots: Iterable[Slot],
) -> Registration:
    """Change one's profile, availability and meeting limit (existing meetings stay)."""
    if registration.user_id != actor.pk:
        raise PermissionDenied(_("You may only change your own registration."))
    if max_meetings < 1:
        raise DomainError(_("The maximum number of meetings must be at least 1."))
    registration.profile = profile
    registration.max_meetings = max_meetings
    registration.full_clean()
    registration.save(update_fields=["profile", "max_meetings", "updated_at"])
    registration.sessions.set(list(sessions))
    registration.unavailable_slots.set(list(unavailable_slots))
    return registration


@transaction.atomic
def registration_validate(
    *, registration: Registration, actor: User | None, approve: bool
) -> Registration:
    """Organiser validation: approve (visible in the directory) or reject a registration."""
    require_manage(actor=actor, event=registration.event)
    if registration.status not in (RegistrationStatus.PENDING, RegistrationStatus.REJECTED):
        if approve and registration.status == RegistrationStatus.APPROVED:
            return registration
        raise Conflict(_("This registration cannot be validated now."))
    registration.status = RegistrationStatus.APPROVED if approve else RegistrationStatus.REJECTED
    registration.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action="event.registration_approve" if approve else "event.registration_reject",
        target=registration,
    )
    return registration


@transaction.atomic
def registration_check_in(*, registration: Registration, actor: User | None) -> Registration:
    require_manage(actor=actor, event=registration.event)
    if registration.checked_in_at is None:
        registration.checked_in_at = timezone.now()
        registration.save(update_fields=["checked_in_at", "updated_at"])
        audit_record(actor=actor, action="event.check_in", target=registration)
    return registration


@transaction.atomic
def opportunity_add(
    *,
    registration: Registration,
    actor: User | None,
    kind: OpportunityKind | str,
    title: str,
    description: str = "",
    sectors: Iterable[Sector] = (),
    countries: Iterable[Country] = (),
) -> Opportunity:
    """Add a cooperation opportunity (EEN kinds) to one's own profile."""
    if actor is not None and registration.user_id != actor.pk:
        raise PermissionDenied(_("You may only change your own profile."))
    opportunity = Opportunity(
        registration=registration,
        kind=OpportunityKind(kind),
        title=title,
        description=description,
    )
    opportunity.full_clean()
    opportunity.save()
    opportunity.sectors.set(list(sectors))
    opportunity.countries.set(list(countries))
    return opportunity


@transaction.atomic
def opportunity_delete(*, opportunity: Opportunity, actor: User) -> None:
    if opportunity.registration.user_id != actor.pk:
        raise PermissionDenied(_("You may only change your own profile."))
    opportunity.delete()
