from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser

from escp4i.accounts.management.commands._base import AccountCommand
from escp4i.accounts.models import Role
from escp4i.accounts.services import role_grant, role_revoke
from escp4i.core.errors import DomainError


class Command(AccountCommand):
    help = "Grant (or with --revoke, revoke) a role; coordinators need --partnership ACRONYM."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("role", choices=[r.value for r in Role])
        parser.add_argument("--partnership", metavar="ACRONYM")
        parser.add_argument("--generation", metavar="CODE", help="disambiguates the acronym")
        parser.add_argument("--revoke", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        user = self.get_user(options["username"])
        partnership = (
            self.get_partnership(options["partnership"], options["generation"])
            if options["partnership"]
            else None
        )
        role = Role(options["role"])
        scope = f" for {partnership.acronym}" if partnership else ""
        try:
            if options["revoke"]:
                role_revoke(user=user, role=role, partnership=partnership)
                self.stdout.write(f"Revoked {role.value}{scope} from {user.username}.")
            else:
                role_grant(user=user, role=role, partnership=partnership)
                self.stdout.write(f"Granted {role.value}{scope} to {user.username}.")
        except DomainError as exc:
            raise CommandError(exc.message) from exc
