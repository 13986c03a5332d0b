"""Send the daily or weekly notification digests now (what the Celery beat job runs)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from escp4i.notifications.models import DigestPeriod
from escp4i.notifications.services import digest_send


class Command(BaseCommand):
    help = "E-mail the daily or weekly digest of unread notifications to the users who chose it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", choices=DigestPeriod.values, required=True)
        parser.add_argument(
            "--dry-run", action="store_true", help="count what would be sent, send nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = digest_send(period=options["period"], dry_run=options["dry_run"])
        verb = "would send" if report.dry_run else "sent"
        self.stdout.write(
            f"{report.period} digest: {verb} {report.emails} e-mail(s) "
            f"with {report.notifications} notification(s)"
            + (f", {report.failed} failed" if report.failed else "")
        )
        if report.failed:
            raise CommandError(f"{report.failed} digest(s) could not be sent: see the log.")
