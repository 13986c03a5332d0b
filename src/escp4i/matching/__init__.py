"""Pure-Python recommender (scores + human-readable reasons). Never imports Django.

Public API: records and profiles (``records``), the three rankings (``engine``), the TF-IDF text
model (``text``), the optional embedding backend (``semantic``, needs the ``semantic`` extra) and
the leave-one-member-out evaluation (``evaluation``). See docs/recommendations.md.
"""

from escp4i.matching.engine import (
    COMPLEMENTARY_KINDS,
    DEFAULT_PARTICIPANT_WEIGHTS,
    DEFAULT_WEIGHTS,
    CooperationOpportunity,
    ParticipantProfile,
    ParticipantWeights,
    PartnerSearchRequest,
    PartnershipQuery,
    PartnerWeights,
    Reason,
    Suggestion,
    recommend_for_request,
    recommend_participants,
    recommend_partners,
)
from escp4i.matching.records import (
    MarketGeography,
    OrganisationProfile,
    OrganisationRecord,
    PartnershipRecord,
    organisation_profiles,
)
from escp4i.matching.text import TextModel, TfidfModel

__all__ = [
    "COMPLEMENTARY_KINDS",
    "DEFAULT_PARTICIPANT_WEIGHTS",
    "DEFAULT_WEIGHTS",
    "CooperationOpportunity",
    "MarketGeography",
    "OrganisationProfile",
    "OrganisationRecord",
    "ParticipantProfile",
    "ParticipantWeights",
    "PartnerSearchRequest",
    "PartnerWeights",
    "PartnershipQuery",
    "PartnershipRecord",
    "Reason",
    "Suggestion",
    "TextModel",
    "TfidfModel",
    "organisation_profiles",
    "recommend_for_request",
    "recommend_participants",
    "recommend_partners",
]
