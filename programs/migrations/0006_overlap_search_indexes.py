"""PostgreSQL only: indexes that speed up overlap candidate retrieval; SQLite answers the same queries by scanning.

* GiST on the program's period as a date range: `period && daterange(start, end)` (overlap_search.period_intersects)
  finds the programs running at the same time among 100,000 without reading every earlier one.
* pg_trgm GIN on UPPER(title) and UPPER(description): Django's `icontains` is `UPPER(col) LIKE UPPER('%…%')`,
  which these answer; the live panel looks up the synonym phrases of what is typed that way.
"""

from django.db import migrations

INDEXES = [
    ("program_period_gist",
     "CREATE INDEX IF NOT EXISTS program_period_gist ON programs_program "
     "USING gist (daterange(start_date, end_date, '[]'))"),
    ("program_title_trgm",
     "CREATE INDEX IF NOT EXISTS program_title_trgm ON programs_program USING gin (UPPER(title) gin_trgm_ops)"),
    ("program_description_trgm",
     "CREATE INDEX IF NOT EXISTS program_description_trgm ON programs_program "
     "USING gin (UPPER(description) gin_trgm_ops)"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for _name, sql in INDEXES:
        schema_editor.execute(sql)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _sql in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("programs", "0005_priorities")]
    operations = [migrations.RunPython(create, drop)]
