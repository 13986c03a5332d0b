from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from escp4i.core.errors import DomainError
from escp4i.ops.backup import backup_restore


class Command(BaseCommand):
    help = "Replace the database and uploaded files with a checked backup archive."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="check the archive only; change nothing"
        )
        parser.add_argument(
            "--yes", action="store_true", help="confirm: the current data is replaced"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["archive"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        if not options["dry_run"] and not options["yes"]:
            raise CommandError(
                "restore replaces the whole database and the media files: pass --yes "
                "(or check the archive first with --dry-run)."
            )
        try:
            report = backup_restore(path=path, dry_run=options["dry_run"])
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        manifest = report.manifest
        what = (
            f"{manifest['database']['vendor']} database, {report.media_files} media file(s); "
            f"made {manifest['created_at']} by escp4i {manifest['app_version']}"
        )
        if report.dry_run:
            self.stdout.write(f"dry run, nothing changed: {path} is valid and restorable ({what}).")
        else:
            self.stdout.write(
                f"Restored {path} ({what}); {report.removed_media_files} media file(s) removed."
            )
