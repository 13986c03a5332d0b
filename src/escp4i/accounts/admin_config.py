"""Admin app config whose default site is the officers-only ``OfficerAdminSite``.

Use ``"escp4i.accounts.admin_config.OfficerAdminConfig"`` in INSTALLED_APPS instead of
``"django.contrib.admin"``. This module imports no models, as INSTALLED_APPS entries must not.
"""

from django.contrib.admin.apps import AdminConfig


class OfficerAdminConfig(AdminConfig):
    default_site = "escp4i.accounts.admin_site.OfficerAdminSite"
