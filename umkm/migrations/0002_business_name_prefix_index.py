"""Name-prefix search index, written per database vendor (an expression index Django cannot declare portably).

The search reads `upper(name)` under a byte-order collation ("C" on PostgreSQL, BINARY on SQLite) as a range
[PREFIX, PREFIX + U+FFFF), so one btree answers "names starting with …" and returns them already sorted.
"""

from django.db import migrations

INDEX = "business_name_prefix"


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS {INDEX} ON umkm_business (tenant_id, (upper(name) COLLATE "C"))'
        )
    elif vendor == "sqlite":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON umkm_business (tenant_id, upper(name) COLLATE BINARY)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor in ("postgresql", "sqlite"):
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("umkm", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
