"""E-mails about labels, sent after the transaction that changed the label has committed.

One message per event, addressed (Bcc) to the partnership's coordinators, the programme officers
and, for events that concern them, the users acting for member organisations. The backend is
Django's (console by default, locmem in tests).
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.translation import gettext as _

from escp4i.labels import selectors
from escp4i.labels.models import Label

# Reminders and the completed signature round concern coordinators and officers only.
_NOT_FOR_REPRESENTATIVES = {"remind", "complete_signatures", "strategy_submit"}


def notify_label_event(*, label_id: int, action: str, detail: str = "") -> int:
    """Send the e-mail about ``action`` on label ``label_id``; returns the number of recipients."""
    label = Label.objects.select_related("partnership").filter(pk=label_id).first()
    if label is None:
        return 0
    recipients = selectors.label_recipients(
        label=label, representatives=action not in _NOT_FOR_REPRESENTATIVES
    )
    if not recipients:
        return 0
    subject = _("[ESCP-4i label] %(id)s: %(action)s") % {
        "id": label.public_id,
        "action": action.replace("_", " "),
    }
    body = _(
        "Label %(id)s of the partnership %(partnership)s is now: %(state)s.\n%(detail)s\n"
        "Verification page: /labels/%(id)s/\n"
    ) % {
        "id": label.public_id,
        "partnership": label.partnership.acronym,
        "state": label.get_state_display(),
        "detail": detail,
    }
    EmailMessage(
        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, bcc=recipients
    ).send()
    return len(recipients)
