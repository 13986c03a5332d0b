"""Data the registry services keep in step with their writes: the member-name search text of
partnerships, and the "registry" data version that versions cached figures (core.cache).

Every service that writes partnerships, organisations or memberships calls
:func:`registry_changed`; those that add, remove or rename members also call
:func:`partnership_members_text_refresh` for the partnerships concerned.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction

from escp4i.core.cache import data_changed
from escp4i.registry.models import Membership, Partnership

REGISTRY = "registry"
MEMBERS_SEPARATOR = "; "


def registry_changed() -> None:
    """Drop every cached value computed from registry data (key figures, charts): now, for
    readers in this transaction, and again at commit, so a value another process computed
    from the not yet committed state is not kept either."""
    data_changed(REGISTRY)
    transaction.on_commit(lambda: data_changed(REGISTRY))


def partnership_members_text_refresh(*, partnership_ids: Iterable[int] | None = None) -> int:
    """Recompute ``members_text`` (member organisation names, searched with the partnership)
    for ``partnership_ids`` (all partnerships when None). Returns the rows changed."""
    partnerships = Partnership.objects.all()
    memberships = Membership.objects.all()
    if partnership_ids is not None:
        ids = set(partnership_ids)
        partnerships = partnerships.filter(pk__in=ids)
        memberships = memberships.filter(partnership_id__in=ids)
    names: dict[int, list[str]] = defaultdict(list)
    for partnership_id, name in memberships.order_by("organisation__name").values_list(
        "partnership_id", "organisation__name"
    ):
        names[partnership_id].append(name)
    changed = []
    for partnership in partnerships.only("pk", "members_text"):
        text = MEMBERS_SEPARATOR.join(names.get(partnership.pk, []))
        if partnership.members_text != text:
            partnership.members_text = text
            changed.append(partnership)
    Partnership.objects.bulk_update(changed, ["members_text"], batch_size=500)
    return len(changed)


def organisation_renamed(*, organisation_id: int) -> None:
    """Refresh the search text of the partnerships ``organisation_id`` is a member of."""
    partnership_members_text_refresh(
        partnership_ids=Membership.objects.filter(organisation_id=organisation_id).values_list(
            "partnership_id", flat=True
        )
    )
