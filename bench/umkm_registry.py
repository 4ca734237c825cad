"""Speed of the UMKM registry at 1,000,000 businesses in one tenant, on PostgreSQL (issue 7's targets).

    bash bench/umkm_registry.sh                      # 1,000,000 businesses, 100,000-row import
    BUSINESSES=50000 IMPORT_ROWS=10000 bash bench/umkm_registry.sh   # the short form

Measures, through Django's request handling (test client, signed in as the tenant admin, so contacts show):
- the search-as-you-type picker (`umkm:search`) by NIB prefix and by name prefix: median under 50 ms;
- the registry list filtered by a name prefix (`umkm:list?q=`);
- a business page with its assistance history and outcome reports (`umkm:detail`): median under 100 ms;
- `manage.py import_businesses` of a 100,000-row CSV in a child process: under 60 s and under 500 MB peak RSS,
  once creating the rows and once updating them by NIB.
"""

import argparse
import csv
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "satusama.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django_scopes import scope, scopes_disabled  # noqa: E402

from bench.load_data import make_businesses  # noqa: E402
from programs.models import Program  # noqa: E402
from stakeholders.models import Region, Tenant  # noqa: E402
from umkm.models import Business, OutcomeReport  # noqa: E402
from umkm.selectors import NOT_DELIVERED  # noqa: E402
from umkm.services import enroll_by_nibs  # noqa: E402

ADMIN = "admin.dinas@satusama.test"
WORDS = ["Bakpia", "Batik", "Gudeg", "Kopi", "Perak", "Gerabah", "Keripik", "Jamu", "Tenun", "Salak"]


def timed(client, path, params) -> tuple[float, float]:
    """(wall, CPU) milliseconds of one request; the CPU time is Django's own, what a busy machine cannot inflate."""
    start, cpu = time.perf_counter(), time.process_time()
    response = client.get(path, params)
    elapsed, used = (time.perf_counter() - start) * 1000, (time.process_time() - cpu) * 1000
    assert response.status_code == 200, (path, params, response.status_code)
    return elapsed, used


def report(label, samples, target=None):
    wall = sorted(w for w, _cpu in samples)
    median = statistics.median(wall)
    p95 = wall[int(len(wall) * 0.95) - 1]
    cpu = statistics.median(c for _wall, c in samples)
    verdict = "" if target is None else ("  OK" if median < target else f"  SLOWER THAN {target} ms")
    print(f"{label:<44} median {median:7.1f} ms   p95 {p95:7.1f} ms   Django CPU median {cpu:6.1f} ms   "
          f"n={len(wall)}{verdict}")
    return median


def give_history(tenant, nibs: list[str]) -> None:
    """Enrol the sampled businesses in the demo programs and give each two outcome reports (the page's tables)."""
    programs = list(Program.objects.exclude(status__in=NOT_DELIVERED).exclude(start_date=None).order_by("ref")[:4])
    for program in programs:
        enroll_by_nibs(program=program, nibs=nibs)
    have = set(OutcomeReport.objects.filter(business__nib__in=nibs).values_list("business__nib", flat=True))
    reports = []
    for business in Business.objects.filter(nib__in=[n for n in nibs if n not in have]):
        for year, sales in ((2024, 300_000_000), (2025, 2_400_000_000)):
            report = OutcomeReport(tenant=tenant, business=business, date=f"{year}-06-30", annual_sales=sales,
                                   employees=4, qris=True)
            report.scale = report.compute_scale()
            reports.append(report)
    OutcomeReport.objects.bulk_create(reports)


def write_import_file(path: Path, rows: int, first: int, regions: list[str]) -> None:
    rng = random.Random(7)  # noqa: S311 - benchmark data
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["nib", "name", "owner_name", "phone", "region", "district", "sector", "kbli",
                         "annual_sales", "year_founded"])
        for i in range(first, first + rows):
            writer.writerow([f"8{i:012d}", f"{rng.choice(WORDS)} Impor {i}", "Sri Rahayu", "081234567890",
                             rng.choice(regions), "Depok", "kuliner", "10792",
                             rng.randrange(10, 5000) * 1_000_000, rng.randrange(1990, 2025)])


# A wrapper process measures the peak RSS of exactly one import (its only child).
PEAK = ("import resource, subprocess, sys; done = subprocess.run(sys.argv[1:]); "
        "u = resource.getrusage(resource.RUSAGE_CHILDREN); "
        "print(u.ru_utime + u.ru_stime, u.ru_maxrss, file=sys.stderr); sys.exit(done.returncode)")


def run_import(path: Path, slug: str) -> tuple[float, float, float, str]:
    """Wall time (s), CPU time (s) and peak RSS (MB) of `manage.py import_businesses` in its own process.

    The CPU time is the importer's own (not PostgreSQL's): on a busy machine it says what the wall time would be.
    """
    start = time.perf_counter()
    done = subprocess.run(  # noqa: S603 - our own interpreter and command
        [sys.executable, "-c", PEAK, sys.executable, str(ROOT / "manage.py"), "import_businesses",
         "--tenant", slug, str(path)],
        capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode:
        raise SystemExit(f"import failed: {done.stderr[-2000:]}")
    cpu, peak_kb = done.stderr.strip().splitlines()[-1].split()
    return seconds, float(cpu), int(peak_kb) / 1024, done.stdout.strip()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tenant", default="diy")
    parser.add_argument("--businesses", type=int, default=1_000_000)
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument("--samples", type=int, default=200)
    args = parser.parse_args()
    assert connection.vendor == "postgresql", "run this on PostgreSQL (DATABASE_URL)"
    with scopes_disabled():
        tenant = Tenant.objects.get(slug=args.tenant)
    rng = random.Random(2026)  # noqa: S311 - benchmark data
    with scope(tenant=tenant):
        start = time.perf_counter()
        total = make_businesses(tenant, args.businesses, rng)
        print(f"{total} generated businesses (NIBs 9…) ready in {time.perf_counter() - start:.0f} s")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE umkm_business")
        sample = [f"9{rng.randrange(total):012d}" for _ in range(args.samples)]
        give_history(tenant, sample[:50])
        regions = list(Region.objects.exclude(kind="provinsi").values_list("code", flat=True))
        count = Business.objects.count()
        # the import file's NIBs (8…) follow those of earlier runs, so its first import creates every row
        last = Business.objects.filter(nib__startswith="8").order_by("-nib").values_list("nib", flat=True).first()
        first = int(last[1:]) + 1 if last else 0
    print(f"{count} businesses in tenant {tenant.slug}; {os.cpu_count()} CPUs, load average "
          f"{os.getloadavg()[0]:.1f} (other work on the machine slows every number below)")

    client = Client()
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(email=ADMIN))
    base = f"/{tenant.slug}/umkm/"
    timed(client, f"{base}cari/", {"q": "9000"})  # warm-up: connection, templates, translations
    print()
    report("picker: NIB prefix (10 digits)", [timed(client, f"{base}cari/", {"q": nib[:10]}) for nib in sample], 50)
    report("picker: NIB (13 digits)", [timed(client, f"{base}cari/", {"q": nib}) for nib in sample], 50)
    names = [f"{rng.choice(WORDS)} {rng.choice(WORDS)[:3]}" for _ in sample]
    report("picker: name prefix (e.g. 'Kopi Bat')", [timed(client, f"{base}cari/", {"q": q}) for q in names], 50)
    report("registry list: name prefix, page 1", [timed(client, base, {"q": q}) for q in names[:50]])
    report("business page, with history (50 businesses)", [timed(client, f"{base}{nib}/", {}) for nib in sample[:50]],
           100)
    report("business page, no history", [timed(client, f"{base}{nib}/", {}) for nib in sample[50:]], 100)

    if not args.import_rows:
        print(f"\nload average at the end {os.getloadavg()[0]:.1f}")
        return
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "umkm-import.csv"
        write_import_file(path, args.import_rows, first, regions)
        print()
        for label in ("import (new rows)", "import again (updates by NIB)"):
            seconds, cpu, peak_mb, output = run_import(path, tenant.slug)
            verdict = "OK" if seconds < 60 and peak_mb < 500 else "OVER TARGET"
            print(f"{label:<44} {args.import_rows} rows in {seconds:6.1f} s (importer CPU {cpu:5.1f} s), "
                  f"peak RSS {peak_mb:5.0f} MB  {verdict}   ({output})")
    print(f"\nload average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
