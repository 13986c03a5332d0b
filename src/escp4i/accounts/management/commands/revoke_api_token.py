from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser

from escp4i.accounts.management.commands._base import AccountCommand
from escp4i.accounts.models import ApiToken
from escp4i.accounts.services import api_token_revoke


class Command(AccountCommand):
    help = "Revoke a user's API tokens by prefix (as shown in the admin), or all with --all."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("prefix", nargs="?")
        parser.add_argument("--all", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        user = self.get_user(options["username"])
        tokens = ApiToken.objects.filter(user=user, revoked_at__isnull=True)
        if options["prefix"]:
            tokens = tokens.filter(prefix=options["prefix"])
        elif not options["all"]:
            raise CommandError("Give a token prefix or --all.")
        revoked = 0
        for token in tokens:
            api_token_revoke(token=token)
            revoked += 1
        if revoked == 0:
            raise CommandError("No matching active token.")
        self.stdout.write(f"Revoked {revoked} token(s) of {user.username}.")
