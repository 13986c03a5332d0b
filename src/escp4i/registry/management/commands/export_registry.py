from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from escp4i.registry.exports import EXPORT_FORMATS, EXPORT_KINDS, registry_export
from escp4i.registry.models import Generation


class Command(BaseCommand):
    help = "Export a registry table as CSV, XLSX or JSON, in the columns import_registry reads."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--kind", required=True, choices=EXPORT_KINDS)
        parser.add_argument("--format", default="csv", choices=EXPORT_FORMATS)
        parser.add_argument("--generation", metavar="CODE", help="e.g. 2016")
        parser.add_argument("--out", type=Path, help="file to write (default: standard output)")

    def handle(self, *args: Any, **options: Any) -> None:
        generation = options["generation"]
        if generation and not Generation.objects.filter(code=generation).exists():
            raise CommandError(f"No generation {generation!r}.")
        out: Path | None = options["out"]
        if options["format"] == "xlsx" and out is None:
            raise CommandError("XLSX is binary: give --out FILE.")
        content, _content_type, _filename = registry_export(
            kind=options["kind"], fmt=options["format"], generation=generation
        )
        if out is None:
            self.stdout.write(content.decode("utf-8"), ending="")
            return
        out.write_bytes(content)
        self.stderr.write(f"Wrote {out} ({len(content)} bytes).")
