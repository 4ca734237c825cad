"""Generate a large, plausible data set in one tenant for the load and speed benchmarks.

    python bench/load_data.py --tenant diy --programs 10000 --businesses 100000

Idempotent per prefix: rows made by an earlier run (refs "LOAD-…", NIBs starting with 9) are kept.
"""

import argparse
import datetime
import os
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "satusama.settings")

import django  # noqa: E402

django.setup()

from django.apps import apps  # noqa: E402
from django.db import transaction  # noqa: E402
from django_scopes import scope, scopes_disabled  # noqa: E402

from programs.models import Program  # noqa: E402
from programs.taxonomy import Sector, Status  # noqa: E402
from stakeholders.models import Organization, Region, Tenant  # noqa: E402

TOPICS = [
    ("Pelatihan Pemasaran Digital", ["pelatihan", "digitalisasi"]),
    ("Pendampingan Sertifikasi Halal", ["sertifikasi"]),
    ("Klinik Keuangan dan Akses KUR", ["pembiayaan", "pendampingan"]),
    ("Pameran Produk Unggulan", ["pemasaran"]),
    ("Perbaikan Kemasan Produk", ["produksi"]),
    ("Fasilitasi NIB dan P-IRT", ["legalitas"]),
    ("Penguatan Koperasi dan Klaster", ["kelembagaan"]),
    ("Bootcamp Ekspor", ["pelatihan", "pemasaran"]),
]
STATUSES = [Status.SUBMITTED, Status.APPROVED, Status.RUNNING, Status.COMPLETED, Status.IN_REVIEW, Status.DRAFT]


def make_programs(tenant, count, rng):
    existing = Program.objects.filter(ref__startswith="LOAD-").count()
    orgs = list(Organization.objects.all())
    regions = list(Region.objects.exclude(kind="provinsi"))
    sectors = [s.value for s in Sector]
    through = Program.regions.through
    for start in range(existing, count, 1000):
        batch = []
        for i in range(start, min(start + 1000, count)):
            title, kinds = rng.choice(TOPICS)
            sector = rng.choice(sectors)
            begin = datetime.date(2024, 1, 1) + datetime.timedelta(days=rng.randrange(0, 3 * 365))
            batch.append(Program(
                tenant=tenant, ref=f"LOAD-{i:06d}", owner=rng.choice(orgs),
                title=f"{title} {sector.title()} Angkatan {i % 40 + 1}",
                description="Program pendampingan UMKM dari data uji beban.",
                kinds=kinds, sectors=[sector], start_date=begin,
                end_date=begin + datetime.timedelta(days=rng.randrange(1, 120)),
                target_umkm=rng.randrange(10, 200), budget_idr=rng.randrange(5, 500) * 1_000_000,
                funding_source="apbd", status=rng.choice(STATUSES),
                open_for_participants=rng.random() < 0.3, contact_name="Petugas", contact_phone="0274000000",
            ))
        with transaction.atomic():
            created = Program.objects.bulk_create(batch)
            through.objects.bulk_create(
                [through(program_id=p.pk, region_id=rng.choice(regions).pk) for p in created]
            )
    return Program.objects.filter(ref__startswith="LOAD-").count()


def make_businesses(tenant, count, rng):
    try:
        business = apps.get_model("umkm", "Business")
    except LookupError:
        return 0
    fields = {f.name for f in business._meta.get_fields()}
    existing = business.objects.filter(nib__startswith="9").count()
    regions = list(Region.objects.exclude(kind="provinsi"))
    sectors = [s.value for s in Sector]
    words = ["Bakpia", "Batik", "Gudeg", "Kopi", "Perak", "Gerabah", "Keripik", "Jamu", "Tenun", "Salak"]
    for start in range(existing, count, 5000):
        batch = []
        for i in range(start, min(start + 5000, count)):
            values = {"tenant": tenant, "nib": f"9{i:012d}", "name": f"{rng.choice(words)} {rng.choice(words)} {i}"}
            if "region" in fields:
                values["region"] = rng.choice(regions)
            if "sector" in fields:
                values["sector"] = rng.choice(sectors)
            batch.append(business(**values))
        with transaction.atomic():
            business.objects.bulk_create(batch)
    return business.objects.filter(nib__startswith="9").count()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tenant", default="diy")
    parser.add_argument("--programs", type=int, default=10_000)
    parser.add_argument("--businesses", type=int, default=100_000)
    args = parser.parse_args()
    rng = random.Random(2026)
    with scopes_disabled():
        tenant = Tenant.objects.get(slug=args.tenant)
    with scope(tenant=tenant):
        programs = make_programs(tenant, args.programs, rng)
        businesses = make_businesses(tenant, args.businesses, rng)
    print(f"{programs} load programs, {businesses} load businesses in {tenant.slug}")


if __name__ == "__main__":
    main()
