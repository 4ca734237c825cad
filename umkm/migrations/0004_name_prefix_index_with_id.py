"""The name-prefix index also holds the primary key, so it gives the registry list's whole order (name, then id).

Without the id, a filtered list (name prefix and sector, say) could not read its first page in index order:
PostgreSQL estimated a handful of matches, fetched all of them (10,000 at a million businesses) and sorted.
"""

from django.db import migrations

INDEX = "business_name_prefix"


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor not in ("postgresql", "sqlite"):
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
    collation = '"C"' if vendor == "postgresql" else "BINARY"
    name_key = f"(upper(name) COLLATE {collation})" if vendor == "postgresql" else f"upper(name) COLLATE {collation}"
    schema_editor.execute(f"CREATE INDEX {INDEX} ON umkm_business (tenant_id, {name_key}, id)")


def back(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor not in ("postgresql", "sqlite"):
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
    name_key = '(upper(name) COLLATE "C")' if vendor == "postgresql" else "upper(name) COLLATE BINARY"
    schema_editor.execute(f"CREATE INDEX {INDEX} ON umkm_business (tenant_id, {name_key})")


class Migration(migrations.Migration):
    dependencies = [("umkm", "0003_nib_correction")]
    operations = [migrations.RunPython(create, back)]
