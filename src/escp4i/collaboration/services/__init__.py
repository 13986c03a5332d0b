"""Collaboration writes: loading the shipped directory (``directory``), partner search
(``partner_search``) and the forum (``forum``), moderation included.

Every service checks the actor's permission itself, writes an audit row for moderation and
closing, and sends its notifications through ``notifications.services.notification_send``.
"""

from escp4i.collaboration.services.directory import (
    DATA_FILE,
    CollaborationLoadSummary,
    collaboration_load_shipped,
)

__all__ = [
    "DATA_FILE",
    "CollaborationLoadSummary",
    "collaboration_load_shipped",
]
