"""A province's capital city, where its provincial forum signs its letters ("Yogyakarta, 4 Desember 2026" rather
than "Daerah Istimewa Yogyakarta, …"); filled for the provinces in the shipped region files (stakeholders/data)."""

from django.db import migrations, models

# The same capitals as stakeholders/data/regions-*.csv, by Kemendagri province code.
CAPITALS = {"33": "Semarang", "34": "Yogyakarta"}


def fill(apps, schema_editor):
    region = apps.get_model("stakeholders", "Region")
    for code, capital in CAPITALS.items():
        region._base_manager.filter(kind="provinsi", code=code, capital="").update(capital=capital)


class Migration(migrations.Migration):

    dependencies = [
        ("stakeholders", "0003_logo_field"),
    ]

    operations = [
        migrations.AddField(
            model_name="region",
            name="capital",
            field=models.CharField(
                blank=True, max_length=100, verbose_name="capital city",
                help_text="Provinces only: the city where provincial letters are signed, e.g. Yogyakarta.",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
