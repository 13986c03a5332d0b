from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from escp4i.accounts.lockout import login_unlock


class Command(BaseCommand):
    help = "Lift a log-in lockout of an account name and/or a client address now."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", nargs="?", default="")
        parser.add_argument("--ip", default="", help="also (or only) unlock this client address")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["username"] and not options["ip"]:
            raise CommandError("Give a user name, --ip ADDRESS, or both.")
        unlocked = login_unlock(username=options["username"], ip=options["ip"], actor=None)
        what = " and ".join(
            part
            for part in (
                f"account {options['username']!r}" if options["username"] else "",
                f"address {options['ip']}" if options["ip"] else "",
            )
            if part
        )
        self.stdout.write(f"Unlocked {what}." if unlocked else f"{what.capitalize()}: not locked.")
