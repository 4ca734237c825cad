"""GIN indexes for `kinds__has_any` / `sectors__has_any` on PostgreSQL (SQLite filters with json_each)."""

from django.db import migrations

INDEXES = [
    ("program_kinds_gin", "kinds"),
    ("program_sectors_gin", "sectors"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, column in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON programs_program USING gin ({column})")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _column in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("programs", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
