"""How the author of collaboration content is named next to it."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _


class Authored:
    """Mixin (no fields) for content with an ``author`` foreign key to the user model."""

    @property
    def author_name(self) -> str:
        """The author's username; "deleted user" once their account is deleted (the row is
        then an anonymous tombstone); empty without an author."""
        author: Any = getattr(self, "author", None)
        if author is None:
            return ""
        if author.is_deleted:
            return _("deleted user")
        return str(author.get_username())
