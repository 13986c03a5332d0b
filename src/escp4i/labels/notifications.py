"""Notifications about labels, sent after the transaction that changed the label has committed.

One in-app notification per recipient (kind ``label_update``, category "labels and calls"): the
partnership's coordinators, the programme officers and, for events that concern them, the users
acting for member organisations. Each recipient's e-mail preference decides whether it is
e-mailed at once, in a digest or not at all (notifications app).
"""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from escp4i.labels import selectors
from escp4i.labels.models import Label
from escp4i.notifications.models import NotificationKind
from escp4i.notifications.services import notification_send

# Reminders and the completed signature round concern coordinators and officers only.
_NOT_FOR_REPRESENTATIVES = {"remind", "complete_signatures", "strategy_submit"}


@transaction.atomic
def notify_label_event(*, label_id: int, action: str, detail: str = "") -> int:
    """Notify everyone concerned about ``action`` on label ``label_id``; returns how many."""
    label = Label.objects.select_related("partnership").filter(pk=label_id).first()
    if label is None:
        return 0
    recipients = list(
        selectors.label_recipients(
            label=label, representatives=action not in _NOT_FOR_REPRESENTATIVES
        )
    )
    title = _("[ESCP-4i label] %(id)s: %(action)s") % {
        "id": label.public_id,
        "action": action.replace("_", " "),
    }
    body = _("Label %(id)s of the partnership %(partnership)s is now: %(state)s.") % {
        "id": label.public_id,
        "partnership": label.partnership.acronym,
        "state": label.get_state_display(),
    }
    if detail:
        body = f"{body}\n{detail}"
    url = reverse("labels:label-detail", kwargs={"public_id": label.public_id})
    for user in recipients:
        notification_send(
            user=user, kind=NotificationKind.LABEL_UPDATE, title=title, body=body, url=url
        )
    return len(recipients)
