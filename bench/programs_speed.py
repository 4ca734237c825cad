"""Issue 4 speed check: the program list with 10,000 programs in a tenant, and importing 10,000 rows.

    psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE satusama_bench_programs"   # once
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/satusama_bench_programs SECRET_KEY=bench \\
        .venv/bin/python bench/programs_speed.py [--programs 10000] [--rows 10000] [--requests 40]

Runs in one process through Django's test client (no web server, no network): it measures what the view and
the database do. The goal (README): list median under 150 ms, constant query count, import under 30 s.
"""

import argparse
import csv
import io
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "satusama.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("DJANGO_SECURE", "0")
os.environ.setdefault("SATUSAMA_REQUIRE_ADMIN_MFA", "0")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")  # the demo's e-mails

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django_scopes import scope, scopes_disabled  # noqa: E402

from bench.load_data import make_programs  # noqa: E402
from programs.exchange import COLUMNS  # noqa: E402
from programs.importer import import_programs  # noqa: E402
from programs.models import Program  # noqa: E402
from stakeholders.models import Region, Tenant, User  # noqa: E402


def timed_gets(client: Client, path: str, n: int) -> tuple[float, float, int]:
    """Median and 95th percentile in ms of n GETs (after one warm-up), and the query count of one."""
    client.get(path)
    times = []
    for _ in range(n):
        start = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    with CaptureQueriesContext(connection) as ctx:
        client.get(path)
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))], len(ctx.captured_queries)


def import_file(tenant, rows: int, rng: random.Random, edition: str = "") -> bytes:
    """`rows` programs BENCH-00000…; another `edition` changes every row's title, regions and dates."""
    regions = list(Region.objects.filter(tenant=tenant).exclude(kind="provinsi").values_list("code", flat=True))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    for i in range(rows):
        writer.writerow({
            "ref": f"BENCH-{i:05d}", "organization": f"Lembaga Uji Impor {i % 50:02d}", "helix": "community",
            "title": f"Pelatihan Uji Impor {i}{edition}", "description": "Baris uji kecepatan impor.",
            "interventions": "pelatihan;digitalisasi", "sectors": rng.choice(["kuliner", "kriya", "umum"]),
            "regions": ";".join(rng.sample(regions, k=rng.choice([1, 2]))),
            "start_date": "2026-03-01", "end_date": "2026-05-31" if edition else "2026-04-30",
            "target_umkm": "30", "budget_idr": "15000000",
            "beneficiary_nibs": "",
        })
    return out.getvalue().encode("utf-8")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--programs", type=int, default=10_000)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--imports-only", action="store_true", help="skip the page timings")
    args = parser.parse_args()
    rng = random.Random(2026)  # noqa: S311 - benchmark data
    call_command("migrate", verbosity=0)
    with scopes_disabled():
        if not Tenant.objects.filter(slug="diy").exists():
            # Only into a new database: seeding again on top of 10,000 programs takes many minutes.
            call_command("seed_demo", verbosity=0, stdout=io.StringIO())
        tenant = Tenant.objects.get(slug="diy")
    with scope(tenant=tenant):
        # The imported BENCH- programs of an earlier run go first: the pages see --programs programs, and "first
        # import" creates every row. Clean-up, not measured: without history (an entry per deleted program takes
        # minutes for 10,000).
        with override_settings(SIMPLE_HISTORY_ENABLED=False):
            Program.objects.filter(ref__startswith="BENCH-").delete()
        Program.history.filter(ref__startswith="BENCH-").delete()
        make_programs(tenant, args.programs, rng)
        total = tenant.program_set.count()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Fresh planner statistics and no dead rows left by the clean-up, as a production database would have.
            cursor.execute("VACUUM ANALYZE")
    print(f"{connection.vendor}, {total} programs in {tenant.slug}")

    member = Client()
    member.force_login(User.objects.get(email="staf.sleman@satusama.test"))
    admin = Client()
    admin.force_login(User.objects.get(email="admin.dinas@satusama.test"))
    pages = [] if args.imports_only else [
        ("staff", member, "/diy/program/"),
        ("staff", member, "/diy/program/?q=halal&region=34.04&sort=title"),
        ("tenant admin", admin, "/diy/program/?year=2026&kind=pelatihan"),
        ("staff", member, "/diy/program/?page=200"),
        ("staff", member, "/diy/program/linimasa/?year=2026"),  # every region, first 20 bars each
        ("staff", member, "/diy/program/linimasa/?year=2026&region=34.04"),  # one region, 50 bars a page
        ("staff", member, "/diy/program/linimasa/?year=2026&region=34.04&page=10&view=table"),
        ("anonymous", Client(), "/diy/katalog/?sector=kuliner"),
    ]
    for who, client, path in pages:
        median, p95, queries = timed_gets(client, path, args.requests)
        print(f"{path:68} {who:13} median {median:6.1f} ms  p95 {p95:6.1f} ms  {queries} queries")

    with scope(tenant=tenant):
        first = import_file(tenant, args.rows, rng)
        changed = import_file(tenant, args.rows, random.Random(7), edition=" (revisi)")
    print(f"load before the imports: {os.getloadavg()[0]:.1f}")
    for attempt, data in [
        ("first import", first),
        ("re-import, every row changed", changed),  # the update path: new title, dates and regions, history
        ("re-import of the same file", changed),  # nothing to change: no new versions, no history entries
    ]:
        # The overlap checks the import queues run after its commit (in the worker; here, without Redis, in this
        # process): timed apart from the import.
        with scope(tenant=tenant):
            with transaction.atomic():
                start = time.perf_counter()
                report = import_programs(tenant=tenant, data=data)
                seconds = time.perf_counter() - start
            checks = time.perf_counter() - start - seconds
        assert report.ok, report.problems[:5]
        print(f"{attempt:30} {args.rows} rows: {seconds:5.1f} s "
              f"({report.created} created, {report.updated} updated, {report.unchanged} unchanged); "
              f"overlap checks queued by it, run after the commit: {checks:5.1f} s")


if __name__ == "__main__":
    main()
