from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "escp4i.events"
    label = "events"
    verbose_name = _("Matchmaking events")
    default_auto_field = "django.db.models.BigAutoField"
