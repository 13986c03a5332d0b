"""Label reads: the public registry (latest period per partnership), verification lookups, who has
signed the charter, who may sign or manage, status counts for the key figures, and the daily
job's plan (what ``labels_daily`` would do on a given day).

Labels are public: a missing public id is ``NotFound``; the full audit trail (with actors) is for
programme officers and the partnership's coordinators only (``access_label_audit``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from escp4i.accounts.models import Role, RoleGrant, User
from escp4i.accounts.selectors import (
    AnyUser,
    user_coordinated_partnership_ids,
    user_has_role,
    user_is_officer,
)
from escp4i.core.errors import NotFound, PermissionDenied
from escp4i.labels.models import (
    CharterSignature,
    CharterVersion,
    Label,
    LabelEvent,
    LabelReminder,
    RepresentativeAuthorisation,
)
from escp4i.labels.workflow import ACTIVE_STATES, LabelState, public_status
from escp4i.registry.models import ClusterOrganisation, Membership, Partnership

DEFAULT_REMINDER_DAYS: tuple[int, ...] = (90, 30, 7)


def reminder_lead_days() -> tuple[int, ...]:
    """``ESCP4I_LABEL_REMINDER_DAYS`` (default 90, 30, 7), largest first, without duplicates."""
    configured: Sequence[int] = getattr(
        settings, "ESCP4I_LABEL_REMINDER_DAYS", DEFAULT_REMINDER_DAYS
    )
    return tuple(sorted({int(days) for days in configured if int(days) >= 0}, reverse=True))


# --- charter ---------------------------------------------------------------------------------


def charter_version_current() -> CharterVersion | None:
    """The most recently published charter version (the one new charters open with)."""
    return (
        CharterVersion.objects.filter(published_at__lte=timezone.now())
        .order_by("-published_at", "-pk")
        .first()
    )


def charter_version_get(*, version: str) -> CharterVersion:
    charter = CharterVersion.objects.filter(version=version).first()
    if charter is None:
        raise NotFound(_("No charter version %(version)s.") % {"version": version})
    return charter


def charter_version_list() -> QuerySet[CharterVersion]:
    return CharterVersion.objects.order_by("-published_at", "-pk")


# --- labels ----------------------------------------------------------------------------------


def _with_relations(qs: QuerySet[Label]) -> QuerySet[Label]:
    return qs.select_related("partnership", "partnership__generation", "charter_version")


def _latest_periods() -> QuerySet[Label]:
    later = Label.objects.filter(
        partnership=OuterRef("partnership"), sequence__gt=OuterRef("sequence")
    )
    return Label.objects.filter(~Exists(later))


def label_list(*, state: str | None = None, query: str | None = None) -> QuerySet[Label]:
    """The public registry: the latest label period of every partnership that has one."""
    qs = _with_relations(_latest_periods())
    if state == "active":
        qs = qs.filter(state__in=sorted(ACTIVE_STATES))
    elif state:
        qs = qs.filter(state=LabelState(state))
    if query:
        qs = qs.filter(
            Q(partnership__acronym__icontains=query)
            | Q(partnership__name__icontains=query)
            | Q(public_id__icontains=query)
        )
    return qs.order_by("partnership__generation__code", "partnership__acronym")


def label_get(*, public_id: str) -> Label:
    """The latest period of the label ``public_id`` (stable across renewals); NotFound if none."""
    label = (
        _with_relations(Label.objects.filter(public_id__iexact=public_id))
        .order_by("-sequence")
        .first()
    )
    if label is None:
        raise NotFound(_("No label %(id)s.") % {"id": public_id}, public_id=public_id)
    return label


def label_periods(*, label: Label) -> QuerySet[Label]:
    """Every period of ``label``'s partnership, latest first."""
    return _with_relations(Label.objects.filter(partnership_id=label.partnership_id)).order_by(
        "-sequence"
    )


def label_latest_for_partnership(*, partnership: Partnership) -> Label | None:
    return Label.objects.filter(partnership=partnership).order_by("-sequence").first()


def label_status_counts() -> dict[str, int]:
    """How many partnerships' latest label period is in each state (every state present).

    ``active`` adds awarded and expiring: labels in force today.
    """
    counts = {state.value: 0 for state in LabelState}
    for state in _latest_periods().values_list("state", flat=True):
        counts[state] = counts.get(state, 0) + 1
    counts["active"] = sum(counts[s.value] for s in ACTIVE_STATES)
    return counts


def label_public_status(*, label: Label, today: dt.date | None = None) -> str:
    """The word the verification page and badge show (``workflow.public_status``), except that a
    label in force whose validity has ended says "expired" even before the daily job has run."""
    day = today or timezone.localdate()
    if label.state in ACTIVE_STATES and label.valid_until is not None and label.valid_until < day:
        return "expired"
    return public_status(label.state)


def labels_for_user(*, actor: AnyUser) -> QuerySet[Label]:
    """Latest label periods the user takes part in: coordinated partnerships and partnerships
    the user's organisation is a member of (officers: none here, they use the registry)."""
    coordinated = user_coordinated_partnership_ids(actor)
    organisation_id = getattr(actor, "organisation_id", None)
    condition = Q(partnership_id__in=coordinated)
    if organisation_id is not None:
        condition |= Q(partnership__memberships__organisation_id=organisation_id)
    return (
        _with_relations(_latest_periods())
        .filter(condition)
        .distinct()
        .order_by("partnership__acronym")
    )


# --- members and signatures ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MemberStatus:
    """One member organisation and whether it counts as a labelled member."""

    organisation: ClusterOrganisation
    role: str
    signature: CharterSignature | None
    joined_after_award: bool

    @property
    def is_labelled(self) -> bool:
        return self.signature is not None


def _signed_org_ids(label: Label) -> set[int]:
    if label.charter_version_id is None:
        return set()
    return set(
        CharterSignature.objects.filter(
            partnership_id=label.partnership_id, charter_version_id=label.charter_version_id
        ).values_list("organisation_id", flat=True)
    )


def label_member_statuses(*, label: Label) -> list[MemberStatus]:
    """Every current member of the partnership with its signature of the label's charter version
    (None: not yet signed). Members who joined after the award are flagged: the label stays
    awarded, but they count as labelled members only once they have signed."""
    signatures = {}
    if label.charter_version_id is not None:
        signatures = {
            s.organisation_id: s
            for s in CharterSignature.objects.filter(
                partnership_id=label.partnership_id, charter_version_id=label.charter_version_id
            ).select_related("signed_by")
        }
    memberships = (
        Membership.objects.filter(partnership_id=label.partnership_id)
        .select_related("organisation", "organisation__country")
        .order_by("-role", "organisation__name")
    )
    return [
        MemberStatus(
            organisation=m.organisation,
            role=m.role,
            signature=signatures.get(m.organisation_id),
            joined_after_award=label.awarded_at is not None and m.created_at > label.awarded_at,
        )
        for m in memberships
    ]


def labelled_members(label: Label) -> QuerySet[ClusterOrganisation]:
    """Current members that signed the label's charter version: the labelled members."""
    return ClusterOrganisation.objects.filter(
        memberships__partnership_id=label.partnership_id, pk__in=_signed_org_ids(label)
    ).order_by("name")


def unsigned_members(label: Label) -> QuerySet[ClusterOrganisation]:
    """Current members that have not (yet) signed the label's charter version."""
    return (
        ClusterOrganisation.objects.filter(memberships__partnership_id=label.partnership_id)
        .exclude(pk__in=_signed_org_ids(label))
        .order_by("name")
    )


def user_may_sign_for(*, actor: AnyUser, organisation: ClusterOrganisation) -> bool:
    """An authorised representative acts for ``organisation`` (``user.organisation``) and is its
    cluster manager or holds an active RepresentativeAuthorisation for it."""
    if not actor.is_authenticated or not actor.is_active:
        return False
    if getattr(actor, "organisation_id", None) != organisation.pk:
        return False
    if user_has_role(actor, Role.CLUSTER_MANAGER):
        return True
    return RepresentativeAuthorisation.objects.filter(
        organisation=organisation, user_id=actor.pk, revoked_at__isnull=True
    ).exists()


def label_signable_organisations(*, actor: AnyUser, label: Label) -> list[ClusterOrganisation]:
    """Members of the label's partnership that ``actor`` may sign for and that have not signed."""
    organisation_id = getattr(actor, "organisation_id", None)
    if organisation_id is None or label.charter_version_id is None:
        return []
    pending = unsigned_members(label).filter(pk=organisation_id)
    return [org for org in pending if user_may_sign_for(actor=actor, organisation=org)]


def representative_authorisation_list(
    *, organisation: ClusterOrganisation
) -> QuerySet[RepresentativeAuthorisation]:
    return RepresentativeAuthorisation.objects.filter(
        organisation=organisation, revoked_at__isnull=True
    ).select_related("user")


# --- permissions -----------------------------------------------------------------------------


def label_can_decide(*, actor: AnyUser) -> bool:
    """Award, renew and revoke are Commission decisions: programme officers only."""
    return user_is_officer(actor)


def label_can_coordinate(*, actor: AnyUser, label: Label) -> bool:
    """Officers and the partnership's coordinators (open the charter, submit the strategy)."""
    if user_is_officer(actor):
        return True
    return label.partnership_id in user_coordinated_partnership_ids(actor)


def label_can_open_charter(*, actor: AnyUser, partnership: Partnership) -> bool:
    """Officers, the partnership's coordinators, and users acting for one of its members (an
    accepted voluntary-label invitation opens the charter on the applicant's behalf)."""
    if user_is_officer(actor):
        return True
    if partnership.pk in user_coordinated_partnership_ids(actor):
        return True
    organisation_id = getattr(actor, "organisation_id", None)
    if organisation_id is None:
        return False
    return Membership.objects.filter(
        partnership=partnership, organisation_id=organisation_id
    ).exists()


def access_label_audit(*, actor: AnyUser, public_id: str) -> Label:
    """The label ``public_id`` if ``actor`` may read its full audit trail (officers and the
    partnership's coordinators). NotFound or PermissionDenied otherwise."""
    label = label_get(public_id=public_id)
    if not label_can_coordinate(actor=actor, label=label):
        raise PermissionDenied(_("Only programme officers and coordinators see the audit trail."))
    return label


def label_events(*, label: Label) -> QuerySet[LabelEvent]:
    """The trail of every period of ``label``'s partnership, oldest first."""
    return (
        LabelEvent.objects.filter(label__partnership_id=label.partnership_id)
        .select_related("label", "actor", "audit_entry")
        .order_by("created_at", "pk")
    )


def label_recipients(*, label: Label, representatives: bool = True) -> QuerySet[User]:
    """Active users to notify about ``label``: its coordinators, the programme officers and
    (unless ``representatives`` is False) the users acting for member organisations."""
    users = Q(roles__role=Role.PROGRAMME_OFFICER) | Q(
        roles__role=Role.PARTNERSHIP_COORDINATOR, roles__partnership_id=label.partnership_id
    )
    if representatives:
        member_ids = Membership.objects.filter(partnership_id=label.partnership_id).values(
            "organisation_id"
        )
        users |= Q(organisation_id__in=member_ids)
    ids = User.objects.filter(users, is_active=True).values("pk")
    return User.objects.filter(pk__in=ids).order_by("pk")


def label_coordinator_ids(*, label: Label) -> list[int]:
    return list(
        RoleGrant.objects.filter(
            role=Role.PARTNERSHIP_COORDINATOR, partnership_id=label.partnership_id
        ).values_list("user_id", flat=True)
    )


# --- daily job -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DailyStep:
    """One thing the daily job does to one label: ``expire``, ``start_expiring`` or ``remind``."""

    label_id: int
    public_id: str
    action: str
    lead_days: int | None = None


def labels_daily_plan(*, today: dt.date, lead_days: Sequence[int] | None = None) -> list[DailyStep]:
    """What the daily job has to do on ``today``.

    A label in force whose validity ended before ``today`` expires. Otherwise, inside the widest
    reminder window, an awarded label starts expiring and gets the most urgent reminder not yet
    sent (a job that missed the 90-day mark on a label 20 days from its end sends the 30-day
    reminder only).
    """
    leads = (
        reminder_lead_days() if lead_days is None else tuple(sorted(set(lead_days), reverse=True))
    )
    sent: dict[int, set[int]] = {}
    for label_id, days in LabelReminder.objects.filter(
        label__state__in=sorted(ACTIVE_STATES)
    ).values_list("label_id", "lead_days"):
        sent.setdefault(label_id, set()).add(days)
    steps: list[DailyStep] = []
    labels = Label.objects.filter(state__in=sorted(ACTIVE_STATES)).order_by("valid_until", "pk")
    for label in labels.only("pk", "public_id", "state", "valid_until"):
        assert label.valid_until is not None  # noqa: S101  # DB constraint for awarded states
        if label.valid_until < today:
            steps.append(DailyStep(label.pk, label.public_id, "expire"))
            continue
        days_left = (label.valid_until - today).days
        if not leads or days_left > leads[0]:
            continue
        if label.state == LabelState.AWARDED:
            steps.append(DailyStep(label.pk, label.public_id, "start_expiring"))
        due = min(lead for lead in leads if lead >= days_left)
        if due not in sent.get(label.pk, set()):
            steps.append(DailyStep(label.pk, label.public_id, "remind", due))
    return steps
