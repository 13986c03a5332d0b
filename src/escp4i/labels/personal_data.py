"""Personal data of the labels app (contract: core/privacy.py).

Export: the charter signatures the person made (with the name, position and IP address they gave),
their authorisations to sign for an organisation, and the label actions they took.

Erasure keeps every signature (the organisation signed the charter; the label's validity rests on
it) but replaces the representative's name, position and IP address with ``[erased]``, in the
signature and in the label's event trail; authorisations are revoked. Decisions they took as an
officer (awards, revocations and their reasons) are programme records and stay, their author shown
as "deleted user".
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from escp4i.accounts.models import User
from escp4i.core.privacy import ERASED, identifiers, scrub_json
from escp4i.labels.models import CharterSignature, LabelEvent, RepresentativeAuthorisation

MODELS = (
    "labels.CharterVersion",
    "labels.RepresentativeAuthorisation",
    "labels.Label",
    "labels.CharterSignature",
    "labels.LabelEvent",
)


def export(user: User) -> dict[str, Any]:
    return {
        "charter_signatures": list(
            CharterSignature.objects.filter(signed_by=user).values(
                "partnership__acronym",
                "organisation__name",
                "charter_version__version",
                "signed_at",
                "text_sha256",
                "representative_name",
                "representative_title",
                "ip_address",
            )
        ),
        "representative_authorisations": list(
            RepresentativeAuthorisation.objects.filter(user=user).values(
                "organisation__name", "created_at", "revoked_at"
            )
        ),
        "label_actions": list(
            LabelEvent.objects.filter(actor=user).values(
                "label__public_id", "action", "from_state", "to_state", "created_at", "data"
            )
        ),
    }


def erase(user: User) -> None:
    signatures = CharterSignature.objects.filter(signed_by=user)
    names = set(signatures.values_list("representative_name", flat=True))
    signatures.update(representative_name=ERASED, representative_title=ERASED, ip_address=None)
    RepresentativeAuthorisation.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    values = [*identifiers(user), *(n for n in names if n)]
    for event in LabelEvent.objects.filter(actor=user):
        # A signature's trail repeats the representative; other actions are decisions on record.
        data = scrub_json(event.data, values, personal_keys=event.action == "sign")
        if data != event.data:
            LabelEvent.objects.filter(pk=event.pk).update(data=data)
