from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SyntheticConfig(AppConfig):
    """Synthetic scale-test data (generator and loader); no models of its own."""

    name = "escp4i.synthetic"
    label = "synthetic"
    verbose_name = _("Synthetic scale data")
