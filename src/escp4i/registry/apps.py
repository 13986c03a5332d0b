from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "escp4i.registry"
    label = "registry"
    verbose_name = _("Programme registry")
    default_auto_field = "django.db.models.BigAutoField"
