from django.core.management.base import BaseCommand, CommandParser

from escp4i.collaboration.services import forum_spaces_sync


class Command(BaseCommand):
    help = (
        "Generate the forum spaces from the registry (programme-wide, one per partnership, "
        "focus area and third-country market); archives spaces whose source is gone."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="report, then roll back")

    def handle(self, *args: object, **options: object) -> None:
        dry_run = bool(options["dry_run"])
        s = forum_spaces_sync(dry_run=dry_run)
        prefix = "(dry run, nothing saved) " if dry_run else ""
        self.stdout.write(
            f"{prefix}forum spaces: {s.created} created, {s.updated} updated, "
            f"{s.archived} archived, {s.unchanged} unchanged"
        )
