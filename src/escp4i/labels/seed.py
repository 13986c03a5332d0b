"""Seed data for labels, idempotently: the sample charter, ``proposed`` labels for the real
first-generation partnerships, and (``demo=True``) a synthetic partnership walked to ``awarded``.

No award date, validity or signature is ever invented for a real partnership: real labels stay
``proposed`` until an officer records the real decision.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from escp4i.accounts.models import Role, User
from escp4i.accounts.services import role_grant
from escp4i.labels import selectors, services
from escp4i.labels.models import CharterVersion, Label
from escp4i.labels.workflow import LabelState
from escp4i.registry.models import (
    ClusterOrganisation,
    Membership,
    MembershipRole,
    Partnership,
    PartnershipCategory,
)
from escp4i.registry.services import partnership_members_text_refresh, registry_changed

SAMPLE_CHARTER_VERSION = "0.1-sample"
SAMPLE_CHARTER_TITLE = "ESCP-4i partnership charter (sample text)"
SAMPLE_CHARTER_TEXT = """\
SAMPLE TEXT: this is the platform's own example wording, written for demonstration. It is not
the official ESCP-4i charter of the European Commission.

By signing, the member organisation, through its authorised representative, commits to:

1. Pursue the partnership's joint internationalisation strategy for SMEs beyond Europe, as set
   out in the partnership's work plan.
2. Cooperate openly with the other members: share information on target markets, missions and
   results, and act in good faith towards partners and SMEs.
3. Offer the partnership's support services to SMEs without discrimination, including SMEs that
   are not members of a cluster organisation.
4. Keep the partnership's public profile accurate and report the key figures requested by the
   programme.
5. Use the ESCP-4i label only while it is valid, only for the partnership's activities, and stop
   using it when it expires or is revoked.
6. Inform the coordinator and the programme officer promptly of any change that affects the
   partnership's membership or its ability to meet these commitments.
"""

FIRST_GENERATION = "2016"
DEMO_SLUG = "synthetic-demo-label"


@dataclass(frozen=True, slots=True)
class SeedSummary:
    charter: CharterVersion
    proposed_created: int
    proposed_existing: int
    demo_label: Label | None = None


def _demo_user(username: str, organisation: ClusterOrganisation | None, role: Role) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(username=username, organisation=organisation)
        user.set_unusable_password()
        user.save(update_fields=["password"])
    role_grant(user=user, role=role)
    return user


def _demo_label() -> Label:
    """A synthetic partnership with two synthetic members, signed and awarded."""
    today = timezone.localdate()
    partnership, _created = Partnership.objects.get_or_create(
        slug=DEMO_SLUG,
        defaults={
            "acronym": "DEMO-LABEL",
            "name": "Synthetic demo partnership (not a real ESCP-4i)",
            "category": PartnershipCategory.STRAND1,
            "start_date": today - dt.timedelta(days=30),
            "end_date": today + dt.timedelta(days=730),
            "is_synthetic": True,
            "notes": "Synthetic data created by seed_labels --demo.",
        },
    )
    officer = _demo_user("demo-label-officer", None, Role.PROGRAMME_OFFICER)
    for index, country in enumerate(("DE", "PL"), start=1):
        organisation, _created = ClusterOrganisation.objects.get_or_create(
            slug=f"synthetic-demo-cluster-{index}",
            defaults={
                "name": f"Synthetic demo cluster {index}",
                "country_id": country,
                "is_synthetic": True,
            },
        )
        Membership.objects.get_or_create(
            partnership=partnership,
            organisation=organisation,
            defaults={
                "role": MembershipRole.COORDINATOR if index == 1 else MembershipRole.PARTNER,
                "is_synthetic": True,
            },
        )
        _demo_user(f"demo-label-rep-{index}", organisation, Role.CLUSTER_MANAGER)
    partnership_members_text_refresh(partnership_ids=[partnership.pk])
    registry_changed()
    label = services.label_open_charter(partnership=partnership, actor=officer)
    for organisation in selectors.unsigned_members(label):
        representative = User.objects.get(organisation=organisation, username__startswith="demo-")
        services.label_charter_sign(
            label=label,
            organisation=organisation,
            actor=representative,
            representative_name=f"Demo representative of {organisation.name}",
            representative_title="Director (synthetic)",
            text_sha256=label.charter_version.sha256 if label.charter_version else "",
        )
    label.refresh_from_db()
    if label.state == LabelState.SIGNED:
        label = services.label_award(label=label, actor=officer)
    return label


@transaction.atomic
def labels_seed(*, demo: bool = False) -> SeedSummary:
    charter = services.charter_version_publish(
        version=SAMPLE_CHARTER_VERSION,
        title=SAMPLE_CHARTER_TITLE,
        text=SAMPLE_CHARTER_TEXT,
        actor=None,
    )
    created = existing = 0
    real = Partnership.objects.filter(
        generation__code=FIRST_GENERATION, is_synthetic=False
    ).order_by("acronym")
    for partnership in real:
        if Label.objects.filter(partnership=partnership).exists():
            existing += 1
            continue
        services.label_propose(partnership=partnership, actor=None)
        created += 1
    return SeedSummary(
        charter=charter,
        proposed_created=created,
        proposed_existing=existing,
        demo_label=_demo_label() if demo else None,
    )
