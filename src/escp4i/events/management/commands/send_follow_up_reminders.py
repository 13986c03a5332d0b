from typing import Any

from django.core.management.base import BaseCommand

from escp4i.events import services


class Command(BaseCommand):
    help = "Send due post-meeting follow-up reminders and expire overdue meeting requests."

    def handle(self, *args: Any, **options: Any) -> None:
        expired = services.meeting_requests_expire()
        sent = services.follow_up_reminders_send()
        self.stdout.write(f"{sent} follow-up reminders sent, {expired} requests expired")
