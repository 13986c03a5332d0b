"""Collaboration models: the support-service directory and policy dialogues (``directory``),
partner search (``partner_search``) and the forum (``forum``)."""

from escp4i.collaboration.models.directory import (
    InstrumentKind,
    PolicyDialogue,
    ServiceKind,
    SupportService,
    SupportServiceKind,
)
from escp4i.collaboration.models.forum import (
    ForumPost,
    ForumSpace,
    ForumSubscription,
    ForumThread,
    ForumThreadRead,
    SpaceKind,
)
from escp4i.collaboration.models.moderation import Moderated
from escp4i.collaboration.models.partner_search import (
    PartnerSearch,
    PartnerSearchComment,
    PartnerSearchFollow,
    PartnerSearchInterest,
    PartnerSearchKind,
    PartnerSearchOutcome,
    PartnerSearchStatus,
)

__all__ = [
    "ForumPost",
    "ForumSpace",
    "ForumSubscription",
    "ForumThread",
    "ForumThreadRead",
    "InstrumentKind",
    "Moderated",
    "PartnerSearch",
    "PartnerSearchComment",
    "PartnerSearchFollow",
    "PartnerSearchInterest",
    "PartnerSearchKind",
    "PartnerSearchOutcome",
    "PartnerSearchStatus",
    "PolicyDialogue",
    "ServiceKind",
    "SpaceKind",
    "SupportService",
    "SupportServiceKind",
]
