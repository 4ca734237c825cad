"""The name-prefix index also holds the primary key, so it gives the registry list's whole order (name, then id).

Without the id, a filtered list (name prefix and sector, say) could not read its first page in index order:
PostgreSQL estimated a handful of matches, fetched all of them (10,000 at a million businesses) and sorted.
"""

from django.db import migrations

INDEX = "business_name_prefix"
NAME_KEY = {"postgresql": '(upper(name) COLLATE "C")', "sqlite": "upper(name) COLLATE BINARY"}


def rebuild(*, with_id: bool):
    def run(apps, schema_editor):
        name_key = NAME_KEY.get(schema_editor.connection.vendor)
        if name_key is None:
            return
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
        columns = f"tenant_id, {name_key}, id" if with_id else f"tenant_id, {name_key}"
        schema_editor.execute(f"CREATE INDEX {INDEX} ON umkm_business ({columns})")

    return run


class Migration(migrations.Migration):
    dependencies = [("umkm", "0003_nib_correction")]
    operations = [migrations.RunPython(rebuild(with_id=True), rebuild(with_id=False))]
