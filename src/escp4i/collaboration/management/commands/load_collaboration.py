from django.core.management.base import BaseCommand, CommandError, CommandParser

from escp4i.collaboration.services import collaboration_load_shipped, forum_spaces_sync
from escp4i.core.errors import ImportRejected


class Command(BaseCommand):
    help = (
        "Load (or refresh) the shipped EU support services and policy dialogues, then generate "
        "the forum spaces; idempotent."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="check, then roll back")

    def handle(self, *args: object, **options: object) -> None:
        dry_run = bool(options["dry_run"])
        try:
            s = collaboration_load_shipped(dry_run=dry_run)
        except ImportRejected as exc:
            raise CommandError(exc.message) from exc
        spaces = forum_spaces_sync(dry_run=dry_run)
        prefix = "(dry run, nothing saved) " if dry_run else ""
        self.stdout.write(
            f"{prefix}support services: {s.services_created} created, {s.services_updated} "
            f"updated, {s.services_unchanged} unchanged\n"
            f"policy dialogues: {s.dialogues_created} created, {s.dialogues_updated} updated, "
            f"{s.dialogues_unchanged} unchanged\n"
            f"forum spaces: {spaces.created} created, {spaces.updated} updated, "
            f"{spaces.archived} archived, {spaces.unchanged} unchanged"
        )
