from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from escp4i.core.errors import DomainError
from escp4i.ops.backup import backup_create


class Command(BaseCommand):
    help = "Write a checked archive of the whole database and the uploaded files."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            help="archive file or folder (default: ESCP4I_BACKUP_DIR, a timestamped name)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            path = backup_create(output=options["output"])
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"Backup written to {path} ({path.stat().st_size} bytes).")
