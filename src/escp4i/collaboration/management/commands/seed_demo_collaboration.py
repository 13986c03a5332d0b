from django.core.management.base import BaseCommand, CommandError

from escp4i.collaboration.demo import collaboration_demo_seed
from escp4i.registry.models import Sector


class Command(BaseCommand):
    help = (
        "Add a small sample of partner searches and forum threads, all labelled synthetic, "
        "for the demo; idempotent."
    )

    def handle(self, *args: object, **options: object) -> None:
        if not Sector.objects.exists():
            raise CommandError("No reference data: run `escp4i migrate` first.")
        s = collaboration_demo_seed()
        self.stdout.write(
            f"synthetic sample: {s.organisations} organisations, {s.partner_searches} partner "
            f"searches, {s.threads} forum threads created"
        )
