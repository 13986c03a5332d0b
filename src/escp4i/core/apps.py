from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "escp4i.core"
    label = "core"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Bind @shared_task functions to our Celery app (broker and eager mode from settings).
        from escp4i.celery import app  # noqa: F401
