from django.core.management.base import BaseCommand, CommandError, CommandParser

from escp4i.collaboration.services import collaboration_load_shipped
from escp4i.core.errors import ImportRejected


class Command(BaseCommand):
    help = "Load (or refresh) the shipped EU support services and policy dialogues; idempotent."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="check, then roll back")

    def handle(self, *args: object, **options: object) -> None:
        try:
            s = collaboration_load_shipped(dry_run=bool(options["dry_run"]))
        except ImportRejected as exc:
            raise CommandError(exc.message) from exc
        prefix = "(dry run, nothing saved) " if options["dry_run"] else ""
        self.stdout.write(
            f"{prefix}support services: {s.services_created} created, {s.services_updated} "
            f"updated, {s.services_unchanged} unchanged\n"
            f"policy dialogues: {s.dialogues_created} created, {s.dialogues_updated} updated, "
            f"{s.dialogues_unchanged} unchanged"
        )
