"""Shared argument lookups for the account commands."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from escp4i.accounts.models import User
from escp4i.registry.models import Partnership


class AccountCommand(BaseCommand):
    def get_user(self, username: str) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        return user

    def get_partnership(self, acronym: str, generation: str | None) -> Partnership:
        qs = Partnership.objects.filter(acronym__iexact=acronym)
        if generation:
            qs = qs.filter(generation__code=generation)
        matches = list(qs.select_related("generation")[:2])
        if not matches:
            raise CommandError(f"No partnership {acronym!r}.")
        if len(matches) > 1:
            raise CommandError(
                f"Several partnerships are called {acronym!r}: add --generation CODE."
            )
        return matches[0]
