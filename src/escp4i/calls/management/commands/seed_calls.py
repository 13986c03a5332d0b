from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from escp4i.calls.seed import calls_seed_shipped


class Command(BaseCommand):
    help = "Create or refresh the 2014 and 2016 Clusters Go International calls (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        summary = calls_seed_shipped()
        self.stdout.write(
            f"{summary.calls} calls, {summary.figures} reported figures, "
            f"{summary.linked_partnerships} partnerships linked."
        )
        for identifier in summary.unlinked_calls:
            self.stdout.write(
                f"{identifier}: no registry generation names this call; run load_escp4i first."
            )
