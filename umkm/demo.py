"""Demo registry for seed_demo: 520 DIY businesses (seeded random, so every run builds the same rows).

Idempotent: businesses are matched by NIB and outcome reports by (business, date); a second run adds nothing.
Enrolments in the demo programs are added when programs exist (see seed_enrollments).
"""

from __future__ import annotations

import datetime as dt
import random

from django_scopes import scope

from stakeholders.models import Region, Tenant

from . import scale as scale_rules
from .models import Business, Enrollment, OutcomeReport

COUNT = 520
SEED = 34  # DIY's province code: any fixed number keeps the demo reproducible

# (sector, KBLI 2020, name stems)
SECTORS = [
    ("kuliner", "10792", ["Bakpia", "Gudeg", "Geplak", "Yangko", "Wedang Uwuh", "Kopi", "Keripik Belut", "Tiwul"]),
    ("kriya", "13134", ["Batik Tulis", "Perak", "Gerabah", "Anyaman Bambu", "Kerajinan Kayu", "Wayang Kulit"]),
    ("fesyen", "14111", ["Konveksi", "Lurik", "Jilbab", "Tas Rajut"]),
    ("agribisnis", "01135", ["Salak Pondoh", "Jamur Tiram", "Madu Klanceng", "Sayur Organik"]),
    ("perikanan", "03222", ["Lele", "Nila", "Ikan Hias"]),
    ("jasa", "96011", ["Laundry", "Bengkel", "Jasa Foto"]),
    ("pariwisata", "55130", ["Homestay", "Desa Wisata", "Jeep Wisata"]),
    ("perdagangan", "47111", ["Toko Kelontong", "Warung", "Toko Oleh-oleh"]),
]
OWNERS = ["Sri", "Joko", "Wulan", "Agus", "Siti", "Budi", "Ratna", "Heru", "Tutik", "Bambang", "Endang", "Yanto",
          "Lestari", "Slamet", "Dwi", "Purwanti", "Suryo", "Ani", "Rahmat", "Wahyuni"]
SUFFIXES = ["Barokah", "Lestari", "Makmur", "Sejahtera", "Mandiri", "Sari", "Jaya", "Rejeki", "Manunggal", "Asri"]
DISTRICTS = {
    "34.01": ["Wates", "Pengasih", "Sentolo", "Nanggulan"], "34.02": ["Bantul", "Kasihan", "Imogiri", "Pundong"],
    "34.03": ["Wonosari", "Playen", "Semanu", "Patuk"], "34.04": ["Depok", "Mlati", "Ngaglik", "Kalasan"],
    "34.71": ["Gondokusuman", "Kraton", "Umbulharjo", "Jetis"],
}


def demo_nib(region_code: str, number: int) -> str:
    """13 digits: the region's digits (e.g. 3404) and a running number."""
    return region_code.replace(".", "") + f"{number:09d}"


def demo_nibs() -> list[str]:
    codes = sorted(DISTRICTS)
    return [demo_nib(codes[i % len(codes)], i + 1) for i in range(COUNT)]


def build(rng: random.Random, regions: dict[str, Region]) -> list[dict]:
    rows = []
    codes = sorted(DISTRICTS)
    for i in range(COUNT):
        code = codes[i % len(codes)]
        sector, kbli, stems = SECTORS[rng.randrange(len(SECTORS))]
        owner = rng.choice(OWNERS)
        # most UMKM are micro: about one in seven sells more than Rp2 miliar a year
        sales = rng.randrange(40, 1900) * 1_000_000 if rng.random() < .85 else rng.randrange(2100, 9000) * 1_000_000
        rows.append({
            "nib": demo_nib(code, i + 1), "name": f"{rng.choice(stems)} {owner} {rng.choice(SUFFIXES)}",
            "owner_name": f"{owner} {rng.choice(['Rahayu', 'Santoso', 'Widodo', 'Astuti', 'Prasetyo'])}",
            "owner_gender": rng.choice(["female", "male"]), "phone": f"08{rng.randrange(10**9, 10**10)}",
            "address": f"Jl. {rng.choice(['Kaliurang', 'Parangtritis', 'Wonosari', 'Magelang', 'Solo'])} "
                       f"km {rng.randrange(1, 20)}",
            "region": regions[code], "district": rng.choice(DISTRICTS[code]), "sector": sector, "kbli": kbli,
            "annual_sales": sales, "year_founded": rng.randrange(1995, 2024),
            "halal_number": f"ID3411{rng.randrange(10**9, 10**10)}" if sector == "kuliner" and rng.random() < .3
            else "",
        })
    return rows


def seed(tenants: dict[str, Tenant]) -> None:
    tenant = tenants["diy"]
    rng = random.Random(SEED)  # noqa: S311 - reproducible demo data, not security
    with scope(tenant=tenant):
        regions = {r.code: r for r in Region.objects.filter(code__in=DISTRICTS)}
        rows = build(rng, regions)
        existing = set(Business.objects.filter(nib__in=[r["nib"] for r in rows]).values_list("nib", flat=True))
        new = []
        for row in rows:
            if row["nib"] in existing:
                continue
            business = Business(tenant=tenant, **row)
            business.scale, business.scale_basis = scale_rules.derive_scale(
                capital=None, annual_sales=business.annual_sales, at_registration=True)
            new.append(business)
        Business.objects.bulk_create(new, batch_size=500)
        seed_outcomes(tenant, rng)
        seed_enrollments(tenant, rng)


def seed_outcomes(tenant: Tenant, rng: random.Random) -> None:
    """Two reports for every fourth business, a year apart; some grow past the mikro limit."""
    businesses = list(Business.objects.filter(nib__in=demo_nibs()[::4]).order_by("nib"))
    have = set(OutcomeReport.objects.filter(business__in=businesses).values_list("business_id", "date"))
    start, end = dt.date(2024, 3, 1), dt.date(2025, 3, 1)
    new = []
    for business in businesses:
        growth = rng.choice([0.9, 1.0, 1.2, 1.5, 2.5])
        for date, sales in ((start, business.annual_sales), (end, int(business.annual_sales * growth))):
            if (business.pk, date) in have:
                continue
            report = OutcomeReport(
                tenant=tenant, business=business, date=date, annual_sales=sales,
                employees=rng.randrange(1, 12), online_shop=date == end and rng.random() < .6,
                qris=date == end and rng.random() < .7, bookkeeping_app=date == end and rng.random() < .3,
                markets=rng.choice(["lokal", "lokal, regional", "nasional"]), still_active=growth > .9,
            )
            report.scale = report.compute_scale()
            new.append(report)
    OutcomeReport.objects.bulk_create(new, batch_size=500)
    from .services import refresh_scales

    refresh_scales([b.pk for b in businesses])


def seed_enrollments(tenant: Tenant, rng: random.Random) -> None:
    """Enrol businesses of each demo program's regions and sectors; overlapping programs share a few businesses."""
    from programs.demo import demo_programs

    from .selectors import NOT_DELIVERED
    from .services import enroll_by_nibs

    # Only the demo's own programs and businesses: a database that also holds load-test data (10,000 programs,
    # a million businesses) would otherwise get thousands of enrolments and take minutes to seed.
    programs = list(demo_programs(tenant).exclude(status__in=NOT_DELIVERED).prefetch_related("regions")
                    .order_by("ref"))
    if not programs:
        return
    pool = list(Business.objects.filter(nib__in=demo_nibs(), is_minimal=False).select_related("region")
                .order_by("nib"))
    chosen: dict[int, list[str]] = {}
    for program in programs:
        codes = {r.code for r in program.regions.all()}
        sectors = set(program.sectors) - {"umum"}
        fits = [b.nib for b in pool if (not codes or (b.region and b.region.code in codes))
                and (not sectors or b.sector in sectors)]
        size = min(len(fits), program.target_umkm or 20, 25)
        chosen[program.pk] = random.Random(f"{SEED}-{program.ref}").sample(fits, size)  # noqa: S311 - demo data
    # Programs with a shared kind of assistance and intersecting dates share their first three participants,
    # so the double-enrolment warning and the overlap check have something to show.
    sharing = []
    for a, b in zip(programs, programs[1:], strict=False):
        if a.period and b.period and set(a.kinds) & set(b.kinds) and a.start_date <= b.end_date \
                and b.start_date <= a.end_date:
            chosen[b.pk] = list(dict.fromkeys(chosen[a.pk][:3] + chosen[b.pk]))
            sharing += [a, b]
    today = dt.date.today()
    for program in programs:
        enrollments = enroll_by_nibs(program=program, nibs=chosen[program.pk])
        if program.period and program.end_date < today:
            Enrollment.objects.filter(program=program, status=Enrollment.Status.REGISTERED).update(
                status=Enrollment.Status.COMPLETED)
            seed_program_reports(tenant, program, [e.business for e in enrollments])
    # The programs demo computed its flags before any enrolment existed: shared businesses change them.
    from programs.overlap_services import recompute_flags_for

    for program in dict.fromkeys(sharing):
        recompute_flags_for(program, notify=False)


def seed_program_reports(tenant: Tenant, program, businesses: list[Business]) -> None:
    """Reports at a finished program's start and end, so its outcome summary shows naik kelas and sales change."""
    rng = random.Random(f"{SEED}-outcomes-{program.ref}")  # noqa: S311 - demo data
    have = set(OutcomeReport.objects.filter(business__in=businesses).values_list("business_id", "date"))
    new = []
    for business in businesses:
        base = business.annual_sales or rng.randrange(100, 1900) * 1_000_000
        growth = rng.choice([0.95, 1.1, 1.3, 1.6, 2.2])
        for date, sales in ((program.start_date, base), (program.end_date, int(base * growth))):
            if (business.pk, date) in have:
                continue
            report = OutcomeReport(tenant=tenant, business=business, program=program, date=date, annual_sales=sales,
                                   employees=rng.randrange(1, 10), qris=date == program.end_date,
                                   online_shop=date == program.end_date and growth > 1.2, still_active=growth > 1)
            report.scale = report.compute_scale()
            new.append(report)
    OutcomeReport.objects.bulk_create(new, batch_size=500)
    from .services import refresh_scales

    refresh_scales([b.pk for b in businesses])
