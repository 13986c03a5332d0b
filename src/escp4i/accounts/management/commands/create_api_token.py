from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser

from escp4i.accounts.management.commands._base import AccountCommand
from escp4i.accounts.services import api_token_create
from escp4i.core.errors import DomainError


class Command(AccountCommand):
    help = "Create an API token for a user and print its secret (shown only this once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("name", help="what the token is for, e.g. 'import script'")

    def handle(self, *args: Any, **options: Any) -> None:
        user = self.get_user(options["username"])
        try:
            token, secret = api_token_create(user=user, name=options["name"])
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stderr.write(
            f"Token {token.name!r} ({token.prefix}…) for {user.username}. "
            "Store the secret now: it is not shown again."
        )
        self.stdout.write(secret)
