from __future__ import annotations

import sys
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser

from escp4i.accounts.management.commands._base import AccountCommand
from escp4i.accounts.models import Role
from escp4i.accounts.services import role_grant, user_create
from escp4i.core.errors import DomainError
from escp4i.registry.models import ClusterOrganisation


class Command(AccountCommand):
    help = "Create a user, optionally acting for an organisation and holding a role."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--email")
        parser.add_argument("--organisation", metavar="SLUG")
        parser.add_argument(
            "--role",
            choices=[r.value for r in Role if r != Role.PARTNERSHIP_COORDINATOR],
            help="use grant_role for partnership coordinators",
        )
        parser.add_argument(
            "--password-stdin",
            action="store_true",
            help="read the password from standard input (otherwise: set it via password reset)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = None
        if options["organisation"]:
            organisation = ClusterOrganisation.objects.filter(slug=options["organisation"]).first()
            if organisation is None:
                raise CommandError(f"No organisation {options['organisation']!r}.")
        password = sys.stdin.readline().rstrip("\n") if options["password_stdin"] else None
        try:
            user = user_create(
                username=options["username"],
                email=options["email"],
                password=password,
                organisation=organisation,
            )
            if options["role"]:
                role_grant(user=user, role=options["role"])
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"Created user {user.username}.")
        if password is None:
            self.stdout.write("No password set: use the password-reset page or `changepassword`.")
