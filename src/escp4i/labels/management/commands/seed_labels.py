"""Publish the sample charter and propose labels for the real first generation (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from escp4i.labels.seed import labels_seed


class Command(BaseCommand):
    help = "Publish the sample charter and propose labels for the first generation (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--demo",
            action="store_true",
            help="also create a synthetic demo partnership walked through to an awarded label",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        summary = labels_seed(demo=options["demo"])
        self.stdout.write(
            f"Charter {summary.charter.version} ({summary.charter.sha256[:12]}…); "
            f"{summary.proposed_created} label(s) proposed, "
            f"{summary.proposed_existing} already present."
        )
        if summary.demo_label is not None:
            self.stdout.write(
                f"Demo label {summary.demo_label.public_id}: {summary.demo_label.state} "
                "(synthetic partnership)."
            )
