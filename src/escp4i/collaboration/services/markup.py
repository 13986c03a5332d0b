"""Refreshing stored HTML of posts and comments after a change of the Markdown rules
(``collaboration.markup``): every row is rendered again from its source."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from escp4i.collaboration.markup import render_markdown
from escp4i.collaboration.models import ForumPost, PartnerSearchComment


@dataclass(frozen=True, slots=True)
class MarkupRerenderSummary:
    posts_changed: int
    comments_changed: int
    unchanged: int


@transaction.atomic
def markup_rerender(*, dry_run: bool = False) -> MarkupRerenderSummary:
    """Render every forum post and partner-search comment again; save the ones whose HTML
    differs. With ``dry_run`` only count them."""
    counts = {"posts": 0, "comments": 0, "unchanged": 0}
    for model, key in ((ForumPost, "posts"), (PartnerSearchComment, "comments")):
        for row in model.objects.only("pk", "body", "body_html").iterator(chunk_size=500):
            html = render_markdown(row.body)
            if html == row.body_html:
                counts["unchanged"] += 1
                continue
            counts[key] += 1
            if not dry_run:
                model.objects.filter(pk=row.pk).update(body_html=html)
    return MarkupRerenderSummary(counts["posts"], counts["comments"], counts["unchanged"])
