"""Template helpers of the collaboration pages."""

from __future__ import annotations

from typing import Any

from django import template

from escp4i.collaboration.models import ForumSpace
from escp4i.collaboration.selectors import forum_space_can_read

register = template.Library()


@register.filter
def readable_by(space: Any, user: Any) -> bool:
    """Whether ``user`` may open the forum ``space`` (False when there is no space: a missing
    relation reaches the filter as the empty string)."""
    if not isinstance(space, ForumSpace) or not getattr(user, "is_authenticated", False):
        return False
    return forum_space_can_read(actor=user, space=space)
