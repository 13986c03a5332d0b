from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from escp4i.core.errors import DomainError
from escp4i.events import selectors, services
from escp4i.events.models import RunStatus, ScheduleRun


class Command(BaseCommand):
    help = "Run the optimiser for one event now (in this process) and optionally publish."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--event", required=True, help="event slug")
        parser.add_argument(
            "--time-limit", type=float, default=settings.ESCP4I_SCHEDULER_TIME_LIMIT_S
        )
        parser.add_argument("--seed", type=int, default=settings.ESCP4I_SCHEDULER_SEED)
        parser.add_argument("--publish", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            event = selectors.event_get(slug=options["event"])
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        run = ScheduleRun.objects.create(event=event)
        run = services.schedule_run_execute(
            run_id=run.pk,
            time_limit_s=options["time_limit"],
            workers=settings.ESCP4I_SCHEDULER_WORKERS,
            seed=options["seed"],
        )
        if run.status == RunStatus.FAILED:
            raise CommandError(f"run {run.pk} failed: {run.error}")
        self.stdout.write(
            f"run {run.pk}: {run.solver_status_text}, {run.result.get('scheduled', 0)} scheduled, "
            f"{len(run.result.get('unscheduled', []))} unscheduled, "
            f"breaks {run.result.get('total_breaks')}"
        )
        if options["publish"]:
            count = services.event_schedule_publish(event=event, actor=None)
            self.stdout.write(f"published {count} meetings")
