from django.core.management.base import BaseCommand, CommandParser

from escp4i.collaboration.services import markup_rerender


class Command(BaseCommand):
    help = "Render stored forum posts and partner-search comments again from their Markdown."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="count, change nothing")

    def handle(self, *args: object, **options: object) -> None:
        dry_run = bool(options["dry_run"])
        s = markup_rerender(dry_run=dry_run)
        prefix = "(dry run, nothing saved) " if dry_run else ""
        self.stdout.write(
            f"{prefix}re-rendered: {s.posts_changed} posts, {s.comments_changed} comments "
            f"changed; {s.unchanged} unchanged"
        )
