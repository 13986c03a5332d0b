"""Label writes: publishing charter versions, authorising representatives, signing the charter,
and every transition of the label lifecycle (``workflow.TRANSITIONS``), plus the daily job.

Each service runs in one transaction, locks the label row (``select_for_update``) before it reads
the state, writes a core ``AuditEntry`` and a ``LabelEvent`` linked to it, and sends its e-mail
after commit. Two officers acting on the same label at once are serialised by the lock: the second
sees the first one's result and gets ``InvalidTransition`` (or ``Conflict`` when it passed the
``expected_state`` it saw on its page).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from escp4i.accounts.models import Role, User
from escp4i.accounts.selectors import require_role, user_has_role, user_is_officer
from escp4i.core.audit import audit_record
from escp4i.core.errors import Conflict, DomainError, InvalidTransition, PermissionDenied
from escp4i.labels import selectors, workflow
from escp4i.labels.models import (
    CharterSignature,
    CharterVersion,
    Label,
    LabelEvent,
    LabelReminder,
    RepresentativeAuthorisation,
)
from escp4i.labels.notifications import notify_label_event
from escp4i.labels.workflow import (
    ACTIVE_STATES,
    FINAL_STATES,
    LabelAction,
    LabelState,
    RenewalBasis,
)
from escp4i.registry.models import (
    ClusterOrganisation,
    Membership,
    Partnership,
    PartnershipCategory,
)

#: States in which members may (still) sign: while the charter is open, and after the award for
#: members who joined later.
SIGNABLE_STATES = frozenset(
    {LabelState.CHARTER_OPEN, LabelState.SIGNED, LabelState.AWARDED, LabelState.EXPIRING}
)


def sha256_hex(text: str) -> str:
    """The hash a signature commits to: SHA-256 of the UTF-8 text, hex."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _require_officer(actor: User) -> None:
    require_role(actor=actor, role=Role.PROGRAMME_OFFICER)


def _lock(label: Label) -> Label:
    return (
        Label.objects.select_for_update(of=("self",)).select_related("partnership").get(pk=label.pk)
    )


def _check_expected(label: Label, expected_state: LabelState | str | None) -> None:
    if expected_state is not None and label.state != LabelState(expected_state):
        raise Conflict(
            _("The label changed meanwhile: it is now “%(state)s”. Reload and try again.")
            % {"state": label.get_state_display()},
            state=label.state,
            expected=LabelState(expected_state).value,
        )


def _record(
    *,
    label: Label,
    action: str,
    from_state: str,
    actor: User | None,
    data: dict[str, Any] | None = None,
    notify: bool = True,
    detail: str = "",
) -> LabelEvent:
    payload = {"from": from_state, "to": label.state, **(data or {})}
    entry = audit_record(actor=actor, action=f"label.{action}", target=label, data=payload)
    event = LabelEvent.objects.create(
        label=label,
        action=action,
        from_state=from_state,
        to_state=label.state,
        actor=actor,
        data=entry.data,
        audit_entry=entry,
    )
    if notify:
        transaction.on_commit(
            partial(notify_label_event, label_id=label.pk, action=action, detail=detail)
        )
    return event


def _move(
    label: Label,
    action: LabelAction,
    *,
    actor: User | None,
    data: dict[str, Any] | None = None,
    fields: tuple[str, ...] = (),
    detail: str = "",
) -> Label:
    """Apply ``action`` (InvalidTransition if the table has no such edge), save, record, notify."""
    source = label.state
    label.state = workflow.transition(source, action)
    label.state_changed_at = timezone.now()
    label.full_clean()
    label.save(update_fields=["state", "state_changed_at", "updated_at", *fields])
    _record(
        label=label, action=action.value, from_state=source, actor=actor, data=data, detail=detail
    )
    return label


# --- charter ---------------------------------------------------------------------------------


@transaction.atomic
def charter_version_publish(
    *, version: str, title: str, text: str, actor: User | None
) -> CharterVersion:
    """Publish a new charter version (officers; ``actor=None`` for seeding). Versions are
    immutable: republishing a version with a different text raises Conflict."""
    if actor is not None:
        _require_officer(actor)
    text = text.strip()
    existing = CharterVersion.objects.filter(version=version).first()
    if existing is not None:
        if existing.sha256 != sha256_hex(text):
            raise Conflict(
                _("Charter version %(version)s exists with another text; publish a new version.")
                % {"version": version}
            )
        return existing
    charter = CharterVersion(
        version=version,
        title=title,
        text=text,
        sha256=sha256_hex(text),
        published_at=timezone.now(),
        published_by=actor,
    )
    charter.full_clean()
    charter.save()
    audit_record(
        actor=actor, action="charter.publish", target=charter, data={"sha256": charter.sha256}
    )
    return charter


@transaction.atomic
def representative_authorise(
    *, organisation: ClusterOrganisation, user: User, actor: User
) -> RepresentativeAuthorisation:
    """Authorise ``user`` (who acts for ``organisation``) to sign the charter for it. Allowed to
    programme officers and to the organisation's cluster manager."""
    is_manager = actor.organisation_id == organisation.pk and user_has_role(
        actor, Role.CLUSTER_MANAGER
    )
    if not (user_is_officer(actor) or is_manager):
        raise PermissionDenied(
            _("Only officers and the organisation's cluster manager may do this.")
        )
    if user.organisation_id != organisation.pk:
        raise DomainError(
            _("%(user)s does not act for %(organisation)s.")
            % {"user": user.get_username(), "organisation": organisation.name}
        )
    authorisation, created = RepresentativeAuthorisation.objects.get_or_create(
        organisation=organisation,
        user=user,
        revoked_at=None,
        defaults={"granted_by": actor},
    )
    if created:
        audit_record(
            actor=actor,
            action="representative.authorise",
            target=authorisation,
            data={"organisation": organisation.slug, "user": user.get_username()},
        )
    return authorisation


@transaction.atomic
def representative_revoke(
    *, authorisation: RepresentativeAuthorisation, actor: User
) -> RepresentativeAuthorisation:
    if not user_is_officer(actor) and actor.organisation_id != authorisation.organisation_id:
        raise PermissionDenied(
            _("Only officers and the organisation's cluster manager may do this.")
        )
    if authorisation.revoked_at is None:
        authorisation.revoked_at = timezone.now()
        authorisation.save(update_fields=["revoked_at", "updated_at"])
        audit_record(actor=actor, action="representative.revoke", target=authorisation, data={})
    return authorisation


# --- creating and opening --------------------------------------------------------------------


def _public_id_for(partnership: Partnership) -> str:
    existing = Label.objects.filter(partnership=partnership).values_list("public_id", flat=True)
    for public_id in existing[:1]:
        return public_id
    generation = partnership.generation.code if partnership.generation else ""
    stem = slugify(partnership.acronym or partnership.slug).upper() or str(partnership.pk)
    candidate = "-".join(part for part in ("ESCP4I", generation, stem) if part)[:70]
    if Label.objects.filter(public_id__iexact=candidate).exists():
        candidate = f"{candidate}-{partnership.pk}"
    return candidate


def _create(partnership: Partnership, actor: User | None) -> Label:
    latest = selectors.label_latest_for_partnership(partnership=partnership)
    if latest is not None and latest.state not in FINAL_STATES:
        raise Conflict(
            _("%(partnership)s already has a label in progress (%(id)s).")
            % {"partnership": partnership.acronym, "id": latest.public_id}
        )
    label = Label(
        partnership=partnership,
        public_id=_public_id_for(partnership),
        sequence=(latest.sequence + 1) if latest is not None else 1,
        state=LabelState.PROPOSED,
        state_changed_at=timezone.now(),
    )
    label.full_clean()
    label.save()
    _record(label=label, action="create", from_state=label.state, actor=actor, notify=False)
    return label


def _lock_partnership(partnership: Partnership) -> Partnership:
    # Serialises label creation for one partnership (two decisions at once make one label).
    return (
        Partnership.objects.select_for_update(of=("self",))
        .select_related("generation")
        .get(pk=partnership.pk)
    )


@transaction.atomic
def label_propose(*, partnership: Partnership, actor: User | None) -> Label:
    """Start a label for ``partnership`` in state ``proposed`` (officers; ``actor=None`` for
    seeding). Conflict if the partnership already has a label in progress."""
    if actor is not None:
        _require_officer(actor)
    return _create(_lock_partnership(partnership), actor)


def _complete_if_all_signed(label: Label, actor: User | None) -> Label:
    if (
        label.state == LabelState.CHARTER_OPEN
        and Membership.objects.filter(partnership_id=label.partnership_id).exists()
        and not selectors.unsigned_members(label).exists()
    ):
        _move(label, LabelAction.COMPLETE_SIGNATURES, actor=actor)
    return label


def _open(label: Label, actor: User) -> Label:
    charter = selectors.charter_version_current()
    workflow.transition(label.state, LabelAction.OPEN_CHARTER)
    if charter is None:
        raise Conflict(_("No charter version has been published yet."))
    label.charter_version = charter
    _move(
        label,
        LabelAction.OPEN_CHARTER,
        actor=actor,
        data={"charter_version": charter.version, "charter_sha256": charter.sha256},
        fields=("charter_version",),
    )
    return _complete_if_all_signed(label, actor)


@transaction.atomic
def label_charter_open(
    *, label: Label, actor: User, expected_state: LabelState | str | None = None
) -> Label:
    """Open a proposed label's charter for signature, with the current charter version.

    Allowed to officers, the partnership's coordinators and users acting for a member. If every
    member already signed this version for the partnership, the label moves on to ``signed``.
    InvalidTransition unless the label is ``proposed``; Conflict when no charter is published.
    """
    label = _lock(label)
    if not selectors.label_can_open_charter(actor=actor, partnership=label.partnership):
        raise PermissionDenied(_("You may not open the charter of this partnership."))
    _check_expected(label, expected_state)
    return _open(label, actor)


@transaction.atomic
def label_open_charter(*, partnership: Partnership, actor: User) -> Label:
    """Make sure ``partnership`` has a label whose charter is open (the calls app's entry point).

    Creates the label when the partnership has none in progress (a co-funding decision, or an
    accepted voluntary invitation) and opens its charter. A label already open or further along
    is returned unchanged, so calling this twice is harmless. While no charter version is
    published the label stays ``proposed`` (the decision that called this must not fail for
    that); an officer opens it later. Permissions as ``label_charter_open``.
    """
    if not selectors.label_can_open_charter(actor=actor, partnership=partnership):
        raise PermissionDenied(_("You may not open the charter of this partnership."))
    partnership = _lock_partnership(partnership)
    latest = selectors.label_latest_for_partnership(partnership=partnership)
    if latest is None or latest.state in FINAL_STATES:
        latest = _create(partnership, actor)
    label = _lock(latest)
    if label.state != LabelState.PROPOSED or selectors.charter_version_current() is None:
        return label
    return _open(label, actor)


# --- signing ---------------------------------------------------------------------------------


@transaction.atomic
def label_charter_sign(
    *,
    label: Label,
    organisation: ClusterOrganisation,
    actor: User,
    representative_name: str,
    representative_title: str,
    text_sha256: str,
    ip_address: str | None = None,
) -> CharterSignature:
    """``actor`` signs the label's charter version for member ``organisation``.

    ``text_sha256`` is the hash of the text the signer was shown; it must equal the version's
    hash (Conflict otherwise). Only an authorised representative of the organisation may sign
    (``selectors.user_may_sign_for``). The last missing signature moves an open charter to
    ``signed``; signatures after the award make a new member a labelled member.
    """
    label = _lock(label)
    if label.state not in SIGNABLE_STATES or label.charter_version is None:
        raise InvalidTransition(
            _("The charter of this label is not open for signature (it is “%(state)s”).")
            % {"state": label.get_state_display()},
            state=label.state,
        )
    if not Membership.objects.filter(
        partnership_id=label.partnership_id, organisation=organisation
    ).exists():
        raise Conflict(
            _("%(organisation)s is not a member of %(partnership)s.")
            % {"organisation": organisation.name, "partnership": label.partnership.acronym}
        )
    if not selectors.user_may_sign_for(actor=actor, organisation=organisation):
        raise PermissionDenied(
            _("Only an authorised representative of %(organisation)s may sign for it.")
            % {"organisation": organisation.name}
        )
    charter = label.charter_version
    if text_sha256.strip().lower() != charter.sha256:
        raise Conflict(
            _("The charter text you accepted is not version %(version)s; reload and sign again.")
            % {"version": charter.version},
            expected=charter.sha256,
        )
    representative_name, representative_title = (
        representative_name.strip(),
        representative_title.strip(),
    )
    if not representative_name or not representative_title:
        raise DomainError(_("Give the representative's name and position."))
    if CharterSignature.objects.filter(
        partnership_id=label.partnership_id, organisation=organisation, charter_version=charter
    ).exists():
        raise Conflict(
            _("%(organisation)s has already signed this charter version.")
            % {"organisation": organisation.name}
        )
    signature = CharterSignature(
        partnership_id=label.partnership_id,
        organisation=organisation,
        charter_version=charter,
        label=label,
        signed_by=actor,
        signed_at=timezone.now(),
        text_sha256=charter.sha256,
        representative_name=representative_name,
        representative_title=representative_title,
        ip_address=ip_address or None,
    )
    signature.full_clean()
    signature.save()
    _record(
        label=label,
        action="sign",
        from_state=label.state,
        actor=actor,
        data={
            "organisation": organisation.slug,
            "charter_version": charter.version,
            "text_sha256": charter.sha256,
            "representative": f"{representative_name}, {representative_title}",
            "ip": ip_address or "",
        },
        notify=False,
    )
    _complete_if_all_signed(label, actor)
    return signature


# --- decisions -------------------------------------------------------------------------------


def _require_all_signed(label: Label) -> None:
    missing = list(selectors.unsigned_members(label).values_list("name", flat=True))
    if missing:
        raise Conflict(
            _("Not every member has signed the charter: %(names)s.")
            % {"names": ", ".join(missing)},
            unsigned=missing,
        )
    if not Membership.objects.filter(partnership_id=label.partnership_id).exists():
        raise Conflict(_("The partnership has no members."))


@transaction.atomic
def label_award(
    *,
    label: Label,
    actor: User,
    valid_from: dt.date | None = None,
    valid_until: dt.date | None = None,
    expected_state: LabelState | str | None = None,
    today: dt.date | None = None,
) -> Label:
    """A programme officer awards the label. Validity defaults to the project's start and end
    dates; both must be known, ordered, and the end not already past. Every current member must
    have signed (Conflict otherwise)."""
    _require_officer(actor)
    label = _lock(label)
    _check_expected(label, expected_state)
    workflow.transition(label.state, LabelAction.AWARD)  # fail early with the clear message
    _require_all_signed(label)
    partnership = label.partnership
    valid_from = valid_from or partnership.start_date
    valid_until = valid_until or partnership.end_date
    if valid_from is None or valid_until is None:
        raise DomainError(
            _("Give the validity period: the project's start and end dates are not recorded.")
        )
    if valid_until < valid_from:
        raise DomainError(_("The validity cannot end before it starts."))
    if valid_until < (today or timezone.localdate()):
        raise Conflict(_("This validity period is already over."))
    label.valid_from, label.valid_until = valid_from, valid_until
    label.awarded_at, label.awarded_by = timezone.now(), actor
    return _move(
        label,
        LabelAction.AWARD,
        actor=actor,
        data={"valid_from": valid_from, "valid_until": valid_until},
        fields=("valid_from", "valid_until", "awarded_at", "awarded_by"),
        detail=_("Valid from %(start)s to %(end)s.") % {"start": valid_from, "end": valid_until},
    )


@transaction.atomic
def label_revoke(
    *,
    label: Label,
    actor: User,
    reason: str,
    expected_state: LabelState | str | None = None,
) -> Label:
    """A programme officer revokes the label, giving a reason (DomainError without one)."""
    _require_officer(actor)
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Give the reason for the revocation."))
    label = _lock(label)
    _check_expected(label, expected_state)
    label.revoked_at, label.revocation_reason = timezone.now(), reason
    return _move(
        label,
        LabelAction.REVOKE,
        actor=actor,
        data={"reason": reason},
        fields=("revoked_at", "revocation_reason"),
        detail=_("Reason: %(reason)s") % {"reason": reason},
    )


@transaction.atomic
def label_strategy_submit(*, label: Label, actor: User, text: str, url: str = "") -> Label:
    """The coordinator submits the sustainable strategy a strand-2 renewal is based on."""
    label = _lock(label)
    if not selectors.label_can_coordinate(actor=actor, label=label):
        raise PermissionDenied(_("Only the partnership's coordinators may submit the strategy."))
    if label.state not in ACTIVE_STATES:
        raise InvalidTransition(
            _("A strategy can only be submitted for a label in force."), state=label.state
        )
    text = text.strip()
    if not text:
        raise DomainError(_("Describe the sustainable strategy."))
    label.strategy_text, label.strategy_url = text, url.strip()
    label.strategy_submitted_at, label.strategy_submitted_by = timezone.now(), actor
    label.full_clean()
    label.save()
    _record(
        label=label,
        action="strategy_submit",
        from_state=label.state,
        actor=actor,
        data={"url": label.strategy_url, "sha256": sha256_hex(text)},
    )
    return label


_BASIS_FOR_CATEGORY = {
    PartnershipCategory.STRAND1: RenewalBasis.LATER_CALL,
    PartnershipCategory.VOLUNTARY: RenewalBasis.LATER_CALL,
    PartnershipCategory.STRAND2: RenewalBasis.SUSTAINABLE_STRATEGY,
}


@transaction.atomic
def label_renew(
    *,
    label: Label,
    actor: User,
    basis: RenewalBasis | str,
    new_end: dt.date,
    expected_state: LabelState | str | None = None,
) -> Label:
    """Renew a label in force: the current period becomes ``renewed`` and a successor period
    (same public id, same charter version) starts the day after it ends, awarded until
    ``new_end``. Returns the successor.

    Strand 1 and voluntary partnerships renew through selection in a later call; strand 2 on an
    approved sustainable strategy, which the coordinator must have submitted. Every current member
    must have signed.
    """
    _require_officer(actor)
    basis = RenewalBasis(basis)
    label = _lock(label)
    _check_expected(label, expected_state)
    workflow.transition(label.state, LabelAction.RENEW)
    required = _BASIS_FOR_CATEGORY.get(PartnershipCategory(label.partnership.category))
    if required is not None and basis != required:
        raise DomainError(
            _("A %(category)s partnership is renewed on this basis: %(basis)s.")
            % {"category": label.partnership.get_category_display(), "basis": required.label},
            required=required.value,
        )
    if basis == RenewalBasis.SUSTAINABLE_STRATEGY and label.strategy_submitted_at is None:
        raise Conflict(_("No sustainable strategy has been submitted."))
    _require_all_signed(label)
    assert label.valid_until is not None  # noqa: S101  # DB constraint for awarded states
    new_start = label.valid_until + dt.timedelta(days=1)
    if new_end < new_start:
        raise DomainError(_("The renewed period must end after the current one."))
    _move(
        label,
        LabelAction.RENEW,
        actor=actor,
        data={"basis": basis.value, "new_from": new_start, "new_until": new_end},
    )
    now = timezone.now()
    successor = Label(
        partnership=label.partnership,
        public_id=label.public_id,
        sequence=label.sequence + 1,
        previous=label,
        state=LabelState.AWARDED,
        state_changed_at=now,
        charter_version=label.charter_version,
        valid_from=new_start,
        valid_until=new_end,
        awarded_at=now,
        awarded_by=actor,
        renewal_basis=basis,
    )
    successor.full_clean()
    successor.save()
    _record(
        label=successor,
        action="create",
        from_state=successor.state,
        actor=actor,
        data={"renews": label.sequence, "basis": basis.value},
        notify=False,
    )
    return successor


# --- the daily job ---------------------------------------------------------------------------


@transaction.atomic
def label_expiring_start(*, label: Label, today: dt.date) -> Label:
    """Daily job: an awarded label enters the reminder window."""
    label = _lock(label)
    return _move(label, LabelAction.START_EXPIRING, actor=None, data={"today": today})


@transaction.atomic
def label_expire(*, label: Label, today: dt.date) -> Label:
    """Daily job: a label whose validity ended before ``today`` expires."""
    label = _lock(label)
    workflow.transition(label.state, LabelAction.EXPIRE)
    if label.valid_until is None or label.valid_until >= today:
        raise Conflict(_("This label is still valid."), state=label.state)
    return _move(label, LabelAction.EXPIRE, actor=None, data={"today": today})


@transaction.atomic
def label_reminder_send(*, label: Label, lead_days: int, today: dt.date) -> LabelReminder | None:
    """Daily job: record and send the ``lead_days`` reminder once (None if already sent)."""
    label = _lock(label)
    if label.state not in ACTIVE_STATES:
        raise InvalidTransition(_("Only a label in force gets reminders."), state=label.state)
    reminder, created = LabelReminder.objects.get_or_create(
        label=label, lead_days=lead_days, defaults={"sent_at": timezone.now()}
    )
    if not created:
        return None
    _record(
        label=label,
        action="remind",
        from_state=label.state,
        actor=None,
        data={"lead_days": lead_days, "valid_until": label.valid_until, "today": today},
        detail=_("The label ends on %(end)s (%(days)s days' notice).")
        % {"end": label.valid_until, "days": lead_days},
    )
    return reminder


@dataclass(frozen=True, slots=True)
class DailyReport:
    today: dt.date
    dry_run: bool
    steps: tuple[selectors.DailyStep, ...]
    skipped: tuple[selectors.DailyStep, ...] = ()

    def count(self, action: str) -> int:
        return sum(1 for step in self.steps if step.action == action)


def labels_daily_run(
    *, today: dt.date | None = None, dry_run: bool = False, lead_days: tuple[int, ...] | None = None
) -> DailyReport:
    """Expire labels past their validity, move labels into the reminder window and send due
    reminders. Each step is its own transaction; a label another process changed in the meantime
    is skipped (``skipped``). With ``dry_run`` nothing is written."""
    day = today or timezone.localdate()
    plan = selectors.labels_daily_plan(today=day, lead_days=lead_days)
    if dry_run:
        return DailyReport(today=day, dry_run=True, steps=tuple(plan))
    done: list[selectors.DailyStep] = []
    skipped: list[selectors.DailyStep] = []
    for step in plan:
        label = Label.objects.get(pk=step.label_id)
        try:
            if step.action == "expire":
                label_expire(label=label, today=day)
            elif step.action == "start_expiring":
                label_expiring_start(label=label, today=day)
            elif step.lead_days is not None:
                label_reminder_send(label=label, lead_days=step.lead_days, today=day)
        except (InvalidTransition, Conflict):
            skipped.append(step)
            continue
        done.append(step)
    return DailyReport(today=day, dry_run=False, steps=tuple(done), skipped=tuple(skipped))


__all__ = [
    "SIGNABLE_STATES",
    "DailyReport",
    "charter_version_publish",
    "label_award",
    "label_charter_open",
    "label_charter_sign",
    "label_expire",
    "label_expiring_start",
    "label_open_charter",
    "label_propose",
    "label_reminder_send",
    "label_renew",
    "label_revoke",
    "label_strategy_submit",
    "labels_daily_run",
    "representative_authorise",
    "representative_revoke",
    "sha256_hex",
]
