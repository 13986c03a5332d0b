from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from escp4i.events.demo import SPECS, demo_event_seed, demo_schedule_publish
from escp4i.events.models import SchedulingMode
from escp4i.registry.models import ClusterOrganisation


class Command(BaseCommand):
    help = (
        "Create the demo matchmaking events (2016 EU-US and Taiwan-EU) with a published schedule."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--time-limit", type=float, default=5.0)
        parser.add_argument("--seed", type=int, default=2016)

    def handle(self, *args: Any, **options: Any) -> None:
        if not ClusterOrganisation.objects.filter(is_synthetic=False).exists():
            raise CommandError("Load the registry first (load_escp4i).")
        for spec in SPECS:
            event, created = demo_event_seed(spec, seed=options["seed"])
            if not created:
                self.stdout.write(f"{event.slug}: exists, unchanged")
                continue
            if spec.scheduling_mode == SchedulingMode.OPTIMISER:
                run = demo_schedule_publish(
                    event,
                    time_limit_s=options["time_limit"],
                    workers=settings.ESCP4I_SCHEDULER_WORKERS,
                    seed=settings.ESCP4I_SCHEDULER_SEED,
                )
                self.stdout.write(
                    f"{event.slug}: {event.registrations.count()} participants, "
                    f"{run.result.get('scheduled', 0)} meetings scheduled and published"
                )
            else:
                self.stdout.write(
                    f"{event.slug}: {event.registrations.count()} participants, "
                    f"{event.meetings.filter(status='scheduled').count()} meetings booked"
                )
