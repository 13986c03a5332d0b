"""Which edit links to offer. The edit pages themselves always re-check via the access selectors."""

from __future__ import annotations

from typing import Any

from escp4i.accounts.selectors import access_organisation_for_edit, access_partnership_for_edit
from escp4i.core.errors import NotFound, PermissionDenied

_ACCESS = {
    "partnership": access_partnership_for_edit,
    "organisation": access_organisation_for_edit,
}


def may_edit(user: Any, entity: str, slug: str) -> bool:
    if not user.is_authenticated:
        return False
    try:
        _ACCESS[entity](actor=user, slug=slug)
    except (NotFound, PermissionDenied):
        return False
    return True
