"""Expire labels past their validity and send the due reminders (the daily label job)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from escp4i.labels.services import labels_daily_run


class Command(BaseCommand):
    help = "Expire labels past their validity and send the due expiry reminders."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="show what would be done")
        parser.add_argument("--today", help="run as if today were YYYY-MM-DD")

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options["today"]:
            try:
                today = dt.date.fromisoformat(options["today"])
            except ValueError as exc:
                raise CommandError(f"--today must be YYYY-MM-DD, not {options['today']!r}") from exc
        report = labels_daily_run(today=today, dry_run=options["dry_run"])
        prefix = "would " if report.dry_run else ""
        for step in report.steps:
            lead = f" ({step.lead_days} days)" if step.lead_days is not None else ""
            self.stdout.write(f"{prefix}{step.action} {step.public_id}{lead}")
        for step in report.skipped:
            self.stdout.write(f"skipped {step.action} {step.public_id} (changed meanwhile)")
        self.stdout.write(
            f"{report.today}: {prefix}expire {report.count('expire')}, "
            f"{prefix}start expiring {report.count('start_expiring')}, "
            f"{prefix}send {report.count('remind')} reminder(s)."
        )
