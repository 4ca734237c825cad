"""A stored profile's specific concepts as their own list column, so the live panel finds the programs naming the same
topic by index (GIN on PostgreSQL) instead of matching every synonym phrase against every title and description."""

from django.db import migrations

import programs.fields


def fill(apps, schema_editor):
    profile = apps.get_model("programs", "ProgramProfile")
    batch = []
    for row in profile._base_manager.only("program_id", "data").iterator(chunk_size=2000):
        row.concepts = sorted((row.data or {}).get("c") or [])
        batch.append(row)
        if len(batch) == 2000:
            profile._base_manager.bulk_update(batch, ["concepts"])
            batch = []
    if batch:
        profile._base_manager.bulk_update(batch, ["concepts"])


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS programprofile_concepts_gin ON programs_programprofile USING gin (concepts)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS programprofile_concepts_gin")


class Migration(migrations.Migration):
    dependencies = [("programs", "0006_overlap_search_indexes")]

    operations = [
        migrations.AddField(
            model_name="programprofile",
            name="concepts",
            field=programs.fields.CodeListField(blank=True, default=list, verbose_name="concepts"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(create_index, drop_index),
    ]
