"""Collaboration writes: loading the shipped directory (``directory``), partner search
(``partner_search``) and the forum (``forum``), moderation included.

Every service checks the actor's permission itself, writes an audit row for moderation and
closing, and sends its notifications through ``collaboration.notify``.
"""

from escp4i.collaboration.services.directory import (
    DATA_FILE,
    CollaborationLoadSummary,
    collaboration_load_shipped,
)
from escp4i.collaboration.services.forum import (
    PROGRAMME_SLUG,
    SpaceSyncSummary,
    forum_post_create,
    forum_post_edit,
    forum_post_editable_until,
    forum_post_hide,
    forum_post_unhide,
    forum_spaces_sync,
    forum_subscribe,
    forum_thread_create,
    forum_thread_hide,
    forum_thread_lock,
    forum_thread_mark_read,
    forum_thread_unhide,
    forum_thread_unlock,
    forum_unsubscribe,
)
from escp4i.collaboration.services.markup import MarkupRerenderSummary, markup_rerender
from escp4i.collaboration.services.partner_search import (
    partner_interest_express,
    partner_interest_withdraw,
    partner_search_close,
    partner_search_comment_add,
    partner_search_comment_hide,
    partner_search_comment_unhide,
    partner_search_create,
    partner_search_follow,
    partner_search_hide,
    partner_search_unfollow,
    partner_search_unhide,
    partner_search_update,
)

__all__ = [
    "DATA_FILE",
    "PROGRAMME_SLUG",
    "CollaborationLoadSummary",
    "MarkupRerenderSummary",
    "SpaceSyncSummary",
    "collaboration_load_shipped",
    "forum_post_create",
    "forum_post_edit",
    "forum_post_editable_until",
    "forum_post_hide",
    "forum_post_unhide",
    "forum_spaces_sync",
    "forum_subscribe",
    "forum_thread_create",
    "forum_thread_hide",
    "forum_thread_lock",
    "forum_thread_mark_read",
    "forum_thread_unhide",
    "forum_thread_unlock",
    "forum_unsubscribe",
    "markup_rerender",
    "partner_interest_express",
    "partner_interest_withdraw",
    "partner_search_close",
    "partner_search_comment_add",
    "partner_search_comment_hide",
    "partner_search_comment_unhide",
    "partner_search_create",
    "partner_search_follow",
    "partner_search_hide",
    "partner_search_unfollow",
    "partner_search_unhide",
    "partner_search_update",
]
