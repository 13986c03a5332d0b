"""Reference data every installation needs: ISO countries, named regions, focus-area sectors."""

from django.db import migrations


def forwards(apps, schema_editor):
    from escp4i.core.countries import all_countries
    from escp4i.registry.regions import REGIONS
    from escp4i.registry.taxonomy import FOCUS_AREAS

    Country = apps.get_model("registry", "Country")
    Region = apps.get_model("registry", "Region")
    Sector = apps.get_model("registry", "Sector")
    existing = set(Country.objects.values_list("code", flat=True))
    Country.objects.bulk_create(
        [Country(code=code, name=name) for code, name in all_countries() if code not in existing]
    )
    known = set(Country.objects.values_list("code", flat=True))
    for region_def in REGIONS:
        region, _ = Region.objects.update_or_create(
            slug=region_def.slug,
            defaults={"name": region_def.name, "aliases": list(region_def.aliases)},
        )
        region.countries.set([c for c in region_def.countries if c in known])
    for position, area in enumerate(FOCUS_AREAS):
        Sector.objects.update_or_create(
            slug=area.slug,
            defaults={"name": area.name, "nace_codes": list(area.nace_codes), "position": position},
        )


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
