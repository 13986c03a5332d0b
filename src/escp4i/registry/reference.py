"""Reference data every installation needs: ISO countries, named regions, focus-area sectors.

Takes the model classes as arguments so the data migration can pass its historical models and
tests can restore the rows after a transactional test flushed them.
"""

from __future__ import annotations

from typing import Any

from escp4i.core.countries import all_countries
from escp4i.registry.regions import REGIONS
from escp4i.registry.taxonomy import FOCUS_AREAS


def reference_data_sync(*, country_model: Any, region_model: Any, sector_model: Any) -> None:
    existing = set(country_model.objects.values_list("code", flat=True))
    country_model.objects.bulk_create(
        [
            country_model(code=code, name=name)
            for code, name in all_countries()
            if code not in existing
        ]
    )
    known = set(country_model.objects.values_list("code", flat=True))
    for region_def in REGIONS:
        region, _created = region_model.objects.update_or_create(
            slug=region_def.slug,
            defaults={"name": region_def.name, "aliases": list(region_def.aliases)},
        )
        region.countries.set([c for c in region_def.countries if c in known])
    for position, area in enumerate(FOCUS_AREAS):
        sector_model.objects.update_or_create(
            slug=area.slug,
            defaults={"name": area.name, "nace_codes": list(area.nace_codes), "position": position},
        )
