"""Which preference category each notification kind belongs to.

Every ``NotificationKind`` must appear here (a test checks it): an app that adds a kind adds its
line, so the user's e-mail choice for that category applies to it.
"""

from __future__ import annotations

from escp4i.notifications.models import NotificationCategory, NotificationKind

KIND_CATEGORIES: dict[str, NotificationCategory] = {
    NotificationKind.REQUEST_RECEIVED: NotificationCategory.EVENTS,
    NotificationKind.REQUEST_ACCEPTED: NotificationCategory.EVENTS,
    NotificationKind.REQUEST_DECLINED: NotificationCategory.EVENTS,
    NotificationKind.SCHEDULE_PUBLISHED: NotificationCategory.EVENTS,
    NotificationKind.MEETING_CHANGED: NotificationCategory.EVENTS,
    NotificationKind.MEETING_CANCELLED: NotificationCategory.EVENTS,
    NotificationKind.FOLLOW_UP: NotificationCategory.EVENTS,
    NotificationKind.LABEL_UPDATE: NotificationCategory.LABELS,
    NotificationKind.PARTNER_INTEREST: NotificationCategory.COLLABORATION,
    NotificationKind.PARTNER_SEARCH_UPDATED: NotificationCategory.COLLABORATION,
    NotificationKind.PARTNER_SEARCH_COMMENTED: NotificationCategory.COLLABORATION,
    NotificationKind.PARTNER_SEARCH_CLOSED: NotificationCategory.COLLABORATION,
    NotificationKind.FORUM_POST: NotificationCategory.COLLABORATION,
    NotificationKind.CONTENT_MODERATED: NotificationCategory.COLLABORATION,
    NotificationKind.OTHER: NotificationCategory.PROGRAMME,
}


def category_of(kind: str) -> NotificationCategory:
    """The category of ``kind``; kinds nobody mapped yet count as programme messages."""
    return KIND_CATEGORIES.get(kind, NotificationCategory.PROGRAMME)
