from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "escp4i.core"
    label = "core"
    default_auto_field = "django.db.models.BigAutoField"
