"""Registry services: writes to partnerships, organisations and memberships.

Re-exports the public services from the modules of this package.
"""

from escp4i.registry.services.derived import (
    organisation_renamed,
    partnership_members_text_refresh,
    registry_changed,
)
from escp4i.registry.services.imports import (
    IMPORT_KINDS,
    ImportKind,
    ImportSummary,
    RowError,
    registry_import,
)
from escp4i.registry.services.shipped import LoadSummary, registry_load_shipped

__all__ = [
    "IMPORT_KINDS",
    "ImportKind",
    "ImportSummary",
    "LoadSummary",
    "RowError",
    "organisation_renamed",
    "partnership_members_text_refresh",
    "registry_changed",
    "registry_import",
    "registry_load_shipped",
]
