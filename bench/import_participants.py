"""Import speed with participants: N program rows (default 10,000), each enrolling two new NIBs.

Run against a PostgreSQL database with the `diy` tenant (e.g. the load database of bench/load.sh):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/satusama_load .venv/bin/python bench/import_participants.py
The import runs inside a transaction that is rolled back, so the database is left as it was.
"""

import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "satusama.settings")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402
from django_scopes import scope  # noqa: E402

from programs.importer import import_programs  # noqa: E402
from stakeholders.models import Tenant  # noqa: E402

HEADER = ("ref,organization,helix,title,description,interventions,sectors,regions,start_date,end_date,"
          "target_umkm,budget_idr,beneficiary_nibs\n")


class Rollback(Exception):
    pass


def main():
    n = int(os.environ.get("N", 10000))
    rows = "".join(
        f"IMPNIB{i:05d},Lembaga Impor Bench,community,Pelatihan Bench {i},Uji impor dengan peserta,pelatihan,"
        f"kuliner,34.04,2025-03-01,2025-04-30,30,1000,{7700000000000 + 2 * i};{7700000000001 + 2 * i}\n"
        for i in range(n))
    tenant = Tenant.objects.get(slug="diy")
    start = time.perf_counter()
    try:
        with transaction.atomic(), scope(tenant=tenant):
            report = import_programs(tenant=tenant, data=(HEADER + rows).encode())
            assert report.ok, report.errors[:3]
            elapsed = time.perf_counter() - start
            raise Rollback
    except Rollback:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{n} rows, 2 new NIBs each: {elapsed:.1f} s, peak RSS {peak:.0f} MB, load {os.getloadavg()[0]:.1f} "
          "(rolled back)")


if __name__ == "__main__":
    main()
