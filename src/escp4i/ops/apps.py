from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operations: health endpoints, request ids and structured logs, security headers, backups."""

    name = "escp4i.ops"
    label = "ops"
    default_auto_field = "django.db.models.BigAutoField"
