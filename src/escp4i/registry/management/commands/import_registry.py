from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from escp4i.core.errors import ImportRejected
from escp4i.registry.services import IMPORT_KINDS, registry_import
from escp4i.registry.services.tables import detect_format


def _header_map(pairs: list[str]) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for pair in pairs:
        header, sep, field = pair.partition("=")
        if not sep or not header.strip() or not field.strip():
            raise CommandError(f"--map needs 'File header=field', got {pair!r}.")
        mapping[header.strip()] = field.strip()
    return mapping


class Command(BaseCommand):
    help = "Import a CSV/XLSX registry table; all or nothing, listing every bad row on failure."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--kind", required=True, choices=IMPORT_KINDS)
        parser.add_argument("--format", choices=("csv", "xlsx"), help="default: from the suffix")
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="HEADER=FIELD",
            help="map a file header to a field, e.g. --map 'Land=country' (repeatable)",
        )
        parser.add_argument("--dry-run", action="store_true", help="validate and report only")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        header_map = _header_map(options["map"])
        try:
            fmt = options["format"] or detect_format(path.name)
            with path.open("rb") as stream:
                summary = registry_import(
                    kind=options["kind"],
                    stream=stream,
                    fmt=fmt,
                    header_map=header_map,
                    dry_run=options["dry_run"],
                    filename=path.name,
                )
        except ImportRejected as exc:
            errors = exc.extra.get("errors")
            for error in errors if isinstance(errors, list) else []:
                field = f" {error['field']}" if error["field"] else ""
                self.stderr.write(f"line {error['line']}{field}: {error['message']}")
            raise CommandError(exc.message) from exc
        prefix = "dry run, nothing written: " if summary.dry_run else ""
        extra = (
            f", {summary.organisations_created} organisations created"
            if summary.kind == "memberships"
            else ""
        )
        self.stdout.write(
            f"{prefix}{summary.kind}: {summary.rows} rows, {summary.created} created, "
            f"{summary.updated} updated, {summary.unchanged} unchanged{extra}"
        )
        for message in summary.messages:
            self.stdout.write(message)
