"""``escp4i generate_scale_data --scale 1.0 [--seed N] [--dry-run] [--purge]``."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from escp4i.synthetic.services import scale_data_generate, scale_data_purge


class Command(BaseCommand):
    help = "Generate (or --purge) synthetic scale-test data, labelled synthetic, from a seed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="1.0 = 100,000 organisations, 1,000,000 SME members, 5,000 partnerships, "
            "500 events (0.001 for tests)",
        )
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="generate every row, report counts and a content digest, write nothing",
        )
        parser.add_argument(
            "--purge", action="store_true", help="delete the generated data (and generate none)"
        )
        parser.add_argument(
            "--replace", action="store_true", help="purge an existing dataset, then generate"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        def progress(message: str) -> None:
            sys.stderr.write(message + "\n")
            sys.stderr.flush()

        if options["purge"] or options["replace"]:
            if options["dry_run"]:
                raise CommandError("--purge and --replace cannot be combined with --dry-run.")
            deleted = scale_data_purge(progress=progress)
            total = sum(deleted.values())
            self.stdout.write(f"Deleted {total:,} synthetic rows.")
            if options["purge"]:
                return
        try:
            summary = scale_data_generate(
                scale=options["scale"],
                seed=options["seed"],
                dry_run=options["dry_run"],
                progress=progress,
            )
        except (ValueError, RuntimeError) as exc:
            raise CommandError(str(exc)) from exc
        for table, n in summary.rows.items():
            self.stdout.write(f"{table}: {n:,}")
        verb = "Would write" if summary.dry_run else "Wrote"
        rate = summary.total / summary.seconds if summary.seconds else 0
        self.stdout.write(
            f"{verb} {summary.total:,} rows in {summary.seconds:.1f} s ({rate:,.0f} rows/s); "
            f"digest {summary.digest[:16]}"
        )
