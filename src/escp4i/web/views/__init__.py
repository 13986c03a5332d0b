"""Server-rendered pages. Views stay thin: validate, call a selector or service, render."""

from escp4i.web.views.figures import keyfigure_list
from escp4i.web.views.manage import (
    organisation_edit,
    partnership_edit,
    registry_export_view,
    registry_import_view,
)
from escp4i.web.views.public import (
    country_detail,
    country_list,
    home,
    organisation_detail,
    organisation_list,
    partnership_detail,
    partnership_list,
    privacy,
)

__all__ = [
    "country_detail",
    "country_list",
    "home",
    "keyfigure_list",
    "organisation_detail",
    "organisation_edit",
    "organisation_list",
    "partnership_detail",
    "partnership_edit",
    "partnership_list",
    "privacy",
    "registry_export_view",
    "registry_import_view",
]
