"""Delete a user's account and erase their personal data (a data-protection request)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser

from escp4i.accounts.management.commands._base import AccountCommand
from escp4i.accounts.services import account_delete
from escp4i.core.errors import DomainError
from escp4i.core.privacy import personal_data_hooks


class Command(AccountCommand):
    help = "Delete an account: erase its personal data everywhere, keep organisation records."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--dry-run", action="store_true", help="show what would run, change nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = self.get_user(options["username"])
        if user.is_deleted:
            raise CommandError(f"{options['username']!r} is already deleted.")
        apps = ", ".join(h.app_label for h in reversed(personal_data_hooks()))
        if options["dry_run"]:
            self.stdout.write(f"would delete user {user.pk} (erase hooks: {apps})")
            return
        pk = user.pk
        try:
            account_delete(user=user, actor=None)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"deleted user {pk}: personal data erased by {apps}")
