"""Reference data every installation needs: ISO countries, named regions, focus-area sectors."""

from django.db import migrations


def forwards(apps, schema_editor):
    from escp4i.registry.reference import reference_data_sync

    reference_data_sync(
        country_model=apps.get_model("registry", "Country"),
        region_model=apps.get_model("registry", "Region"),
        sector_model=apps.get_model("registry", "Sector"),
    )


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
