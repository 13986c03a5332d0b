from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LabelsConfig(AppConfig):
    name = "escp4i.labels"
    label = "labels"
    verbose_name = _("ESCP-4i label")
    default_auto_field = "django.db.models.BigAutoField"
