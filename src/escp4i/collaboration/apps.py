from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CollaborationConfig(AppConfig):
    name = "escp4i.collaboration"
    label = "collaboration"
    verbose_name = _("Collaboration")
    default_auto_field = "django.db.models.BigAutoField"
