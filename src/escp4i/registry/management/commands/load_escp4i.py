from django.core.management.base import BaseCommand, CommandError

from escp4i.core.errors import ImportRejected
from escp4i.registry.services import registry_load_shipped


class Command(BaseCommand):
    help = "Load (or refresh) the shipped, source-referenced ESCP-4i registry data; idempotent."

    def handle(self, *args: object, **options: object) -> None:
        try:
            summary = registry_load_shipped()
        except ImportRejected as exc:
            errors = exc.extra.get("errors")
            for error in errors if isinstance(errors, list) else []:
                self.stderr.write(f"  line {error['line']} {error['field']}: {error['message']}")
            raise CommandError(exc.message) from exc
        p, m = summary.partnerships, summary.memberships
        self.stdout.write(
            f"generations: {summary.generations}, reported figures: {summary.reported_figures}\n"
            f"partnerships: {p.created} created, {p.updated} updated, {p.unchanged} unchanged\n"
            f"memberships: {m.created} created, {m.updated} updated, {m.unchanged} unchanged "
            f"({m.organisations_created} organisations created)"
        )
