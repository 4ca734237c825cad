"""Demo data: an excerpt of the DIY RPJMD 2022–2027 (UMKM sasaran and indicators) and the UMKM roadmap 2023–2027.

Values are plausible, not official. seed() is idempotent: rows are found by their codes/titles and updated.
"""

from __future__ import annotations

from decimal import Decimal
from importlib import import_module
from importlib.util import find_spec

from django_scopes import scope

from stakeholders.models import Region, Tenant

from .models import (
    RPJMD,
    ArahKebijakan,
    Indicator,
    IndicatorAchievement,
    IndicatorTarget,
    Misi,
    Priority,
    PriorityTarget,
    Roadmap,
    Sasaran,
    Strategi,
    Tujuan,
)

VISI = ("Menyongsong Abad Kedua Yogyakarta Istimewa: Terwujudnya Peningkatan Kemuliaan Martabat Manusia Jogja")
MISI = ("M2", "Mewujudkan peningkatan kualitas dan keberlanjutan ekonomi yang inklusif dan berdaya saing")
TUJUAN = ("T2.1", "Meningkatnya pertumbuhan ekonomi yang berkualitas dan merata")
SASARAN = [
    ("S2.1.1", "Meningkatnya daya saing usaha mikro, kecil dan menengah serta koperasi", [
        # code, name, unit, baseline, final, targets 2022..2027, achievements 2022..2024
        ("IKU-2.1.1a", "Persentase UMKM yang memanfaatkan platform digital", "%", "20", "45",
         ["22", "26", "30", "35", "40", "45"], ["23", "27", "31"]),
        ("IKU-2.1.1b", "Jumlah UMKM bersertifikat halal", "unit usaha", "3200", "12000",
         ["4000", "5500", "7000", "8500", "10000", "12000"], ["4150", "5600", "7240"]),
        ("IKU-2.1.1c", "Jumlah UMKM yang memiliki NIB", "unit usaha", "95000", "160000",
         ["105000", "115000", "128000", "140000", "150000", "160000"], ["106400", "118900", "131000"]),
    ]),
    ("S2.1.2", "Meningkatnya akses pasar dan pembiayaan UMKM", [
        ("IKU-2.1.2a", "Nilai penyaluran KUR untuk UMKM DIY", "miliar rupiah", "5200", "8000",
         ["5500", "6000", "6500", "7000", "7500", "8000"], ["5620", "6110", "6480"]),
        ("IKU-2.1.2b", "Jumlah UMKM yang mengikuti pameran dan temu bisnis", "unit usaha", "600", "1500",
         ["700", "850", "1000", "1150", "1300", "1500"], ["720", "880", "990"]),
    ]),
]
ROADMAP_TITLE = "Peta Jalan Pengembangan UMKM DIY 2023–2027"
ALL_REGIONS = ["34.01", "34.02", "34.03", "34.04", "34.71"]
# title, description, kinds, sectors, regions, helix kinds, sasaran, indicators, (umkm, programs, budget) per year
PRIORITIES = [
    ("Digitalisasi UMKM", "Onboarding e-commerce, QRIS dan pemasaran digital bagi UMKM di seluruh kabupaten/kota.",
     ["digitalisasi", "pelatihan"], ["umum", "kuliner", "kriya", "fesyen"], ALL_REGIONS,
     ["government", "campus", "business", "community"], ["S2.1.1"], ["IKU-2.1.1a"], (400, 6, 600_000_000)),
    ("Sertifikasi halal", "Pendampingan sertifikasi halal (termasuk self-declare) bagi UMKM kuliner.",
     ["sertifikasi", "pendampingan"], ["kuliner"], ALL_REGIONS,
     ["government", "campus", "mentor"], ["S2.1.1"], ["IKU-2.1.1b"], (300, 4, 450_000_000)),
    ("Legalitas usaha", "Fasilitasi NIB melalui OSS, P-IRT dan izin edar.",
     ["legalitas"], ["umum"], ALL_REGIONS, ["government", "mentor"], ["S2.1.1"], ["IKU-2.1.1c"],
     (500, 3, 200_000_000)),
    ("Akses pembiayaan", "Fasilitasi KUR, pembukuan untuk kredit dan dana bergulir.",
     ["pembiayaan"], ["umum"], ["34.02", "34.03", "34.01"], ["government", "business", "mentor"], ["S2.1.2"],
     ["IKU-2.1.2a"], (250, 3, 300_000_000)),
    ("Akses pasar dan pameran", "Pameran, temu bisnis dan kemitraan ritel untuk produk kriya, fesyen dan kuliner.",
     ["pemasaran"], ["kriya", "fesyen", "kuliner"], ["34.71", "34.04", "34.02"],
     ["government", "business", "media"], ["S2.1.2"], ["IKU-2.1.2b"], (200, 4, 500_000_000)),
    ("Produksi dan kemasan", "Desain produk, kemasan dan mutu bagi UMKM kuliner dan kriya di wilayah tertinggal.",
     ["produksi"], ["kuliner", "kriya", "agribisnis"], ["34.03", "34.01"], ["campus", "business", "community"],
     ["S2.1.1"], [], (150, 2, 250_000_000)),
]


def seed(tenants: dict[str, Tenant]) -> None:
    tenant = tenants.get("diy")
    if tenant is None:
        return
    with scope(tenant=tenant):
        plan = seed_rpjmd(tenant)
        seed_roadmap(tenant, plan)
    # Demo programs are created after this app (seed order roadmap → programs); seeding them here first (their
    # seed is idempotent) lets the first run already link them, so a second run changes no row count.
    if find_spec("programs.demo") is not None:
        import_module("programs.demo").seed(tenants)
        with scope(tenant=tenant):
            link_demo_programs(tenant)


def seed_rpjmd(tenant: Tenant) -> RPJMD:
    plan, _ = RPJMD.objects.update_or_create(
        tenant=tenant, start_year=2022,
        defaults={"end_year": 2027, "title": "RPJMD DIY 2022–2027", "visi": VISI})
    misi, _ = Misi.objects.update_or_create(tenant=tenant, rpjmd=plan, code=MISI[0],
                                            defaults={"text": MISI[1], "order": 1})
    tujuan, _ = Tujuan.objects.update_or_create(tenant=tenant, misi=misi, code=TUJUAN[0],
                                                defaults={"text": TUJUAN[1], "order": 1})
    for s_order, (code, text, indicators) in enumerate(SASARAN, start=1):
        sasaran, _ = Sasaran.objects.update_or_create(tenant=tenant, tujuan=tujuan, code=code,
                                                      defaults={"text": text, "order": s_order})
        if s_order == 1:
            strategi, _ = Strategi.objects.update_or_create(
                tenant=tenant, sasaran=sasaran, code="ST2.1.1",
                defaults={"text": "Penguatan ekosistem UMKM bersama pemangku kepentingan hexahelix", "order": 1})
            ArahKebijakan.objects.update_or_create(
                tenant=tenant, sasaran=sasaran, code="AK2.1.1",
                defaults={"strategi": strategi, "order": 1,
                          "text": "Fasilitasi legalitas, sertifikasi, digitalisasi dan akses pasar UMKM"})
        for i_order, (icode, name, unit, baseline, final, targets, achievements) in enumerate(indicators, start=1):
            indicator, _ = Indicator.objects.update_or_create(
                tenant=tenant, sasaran=sasaran, code=icode,
                defaults={"name": name, "unit": unit, "baseline": Decimal(baseline), "final_target": Decimal(final),
                          "responsible_agency": "Dinas Koperasi dan UKM DIY", "order": i_order})
            for year, value in zip(plan.years, targets, strict=True):
                IndicatorTarget.objects.update_or_create(tenant=tenant, indicator=indicator, year=year,
                                                         defaults={"value": Decimal(value)})
            for year, value in zip(plan.years, achievements, strict=False):
                IndicatorAchievement.objects.update_or_create(tenant=tenant, indicator=indicator, year=year,
                                                              defaults={"value": Decimal(value)})
    return plan


def seed_roadmap(tenant: Tenant, plan: RPJMD) -> Roadmap:
    roadmap, _ = Roadmap.objects.update_or_create(
        tenant=tenant, title=ROADMAP_TITLE,
        defaults={"rpjmd": plan, "start_year": 2023, "end_year": 2027,
                  "description": "Peta jalan Dinas Koperasi dan UKM DIY untuk sasaran UMKM RPJMD, "
                                 "disusun bersama pemangku kepentingan hexahelix."})
    sasaran = {s.code: s for s in Sasaran.objects.filter(tujuan__misi__rpjmd=plan)}
    indicators = {i.code: i for i in Indicator.objects.filter(sasaran__tujuan__misi__rpjmd=plan)}
    regions = {r.code: r for r in Region.objects.all()}
    for order, (title, description, kinds, sectors, region_codes, helix, s_codes, i_codes, base) in enumerate(
            PRIORITIES, start=1):
        priority, _ = Priority.objects.update_or_create(
            tenant=tenant, roadmap=roadmap, title=title,
            defaults={"description": description, "kinds": kinds, "sectors": sectors, "helix_kinds": helix,
                      "order": order})
        priority.regions.set([regions[c] for c in region_codes if c in regions])
        priority.sasaran.set([sasaran[c] for c in s_codes])
        priority.indicators.set([indicators[c] for c in i_codes])
        umkm, programs, budget = base
        for step, year in enumerate(roadmap.years):
            # Targets grow by a fifth of the first year's each year.
            grow = 1 + step / 5
            PriorityTarget.objects.update_or_create(
                tenant=tenant, priority=priority, year=year,
                defaults={"umkm_reached": round(umkm * grow), "programs": round(programs * grow),
                          "budget_idr": round(budget * grow, -6)})
    return roadmap


def matches(priority: Priority, kinds: list[str], sectors: list[str]) -> bool:
    """A program serves a priority when it gives the priority's main (first) kind of assistance and shares a sector
    ("umum" matches any): a KUR mentoring program does not count for halal certification because both mentor."""
    if not priority.kinds or priority.kinds[0] not in kinds:
        return False
    return "umum" in priority.sectors or "umum" in sectors or bool(set(sectors) & set(priority.sectors))


def link_demo_programs(tenant: Tenant) -> None:
    """Link every demo program to exactly the demo priorities it matches (links to other roadmaps are kept).

    Only the demo's own programs are read (`programs.demo.demo_programs`), and the links are set per priority, not
    per program: seed_demo on a benchmark database with 10,000+ other programs makes the same few queries, and
    leaves those programs and their links as they are.
    """
    from programs.demo import demo_programs

    priorities = list(Priority.objects.filter(tenant=tenant, roadmap__title=ROADMAP_TITLE))
    programs = list(demo_programs(tenant).only("pk", "kinds", "sectors"))
    for priority in priorities:
        wanted = [program for program in programs if matches(priority, program.kinds, program.sectors)]
        priority.programs.remove(*[program for program in programs if program not in wanted])
        priority.programs.add(*wanted)
