"""Load Kemendagri region codes for a tenant from a CSV file (code,name,kind[,capital]).

`capital` is the province's capital city (where its letters are signed); kabupaten/kota rows leave it empty,
and a file without the column leaves the capitals already stored as they are.
"""

import csv
from pathlib import Path

from django.db import transaction
from django_scopes import scope

from .models import Region, Tenant

DATA_DIR = Path(__file__).resolve().parent / "data"


def load_regions(*, tenant: Tenant, path: Path) -> int:
    """Create or update the tenant's regions from the file; returns how many rows it holds."""
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    with transaction.atomic(), scope(tenant=tenant):
        for row in rows:
            defaults = {"name": row["name"].strip(), "kind": row["kind"].strip()}
            if row.get("capital") is not None:
                defaults["capital"] = row["capital"].strip()
            Region.objects.update_or_create(tenant=tenant, code=row["code"].strip(), defaults=defaults)
    return len(rows)
