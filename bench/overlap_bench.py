"""Overlap speed on generated data: checking one new program against N existing ones, and the whole-tenant report.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/satusama_bench python bench/overlap_bench.py --sizes 10000 100000

Programs are generated into a tenant of their own (`bench-overlap`, DIY's regions), spread over ten years and the
five regencies/cities, with titles and descriptions varied from realistic archetypes (so text similarity and
synonyms do real work: the same topic in several wordings, in the same place and time, is common). Each size
grows the same tenant; text profiles are computed once as the portal stores them (`ProgramProfile`).
For each size it prints the median and 95th percentile of `overlaps_of` (candidate retrieval + comparison, what
the flag task does for one submitted program) over new programs, and for sizes up to `--report-max` the time of
the whole-tenant `overlaps --format json` report. Peak memory (max RSS) is printed at the end.
`tests/test_overlap_bench.py` runs it small on the test database and checks the answers, not the times.
"""

from __future__ import annotations

import argparse
import datetime
import io
import os
import random
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "satusama.settings")

TENANT_SLUG = "bench-overlap"
REGIONS = [("34.01", "Kulon Progo"), ("34.02", "Bantul"), ("34.03", "Gunungkidul"), ("34.04", "Sleman"),
           ("34.71", "Kota Yogyakarta")]
# (title stems, description stems, kinds, sectors): several wordings per topic, as different stakeholders write.
ARCHETYPES = [
    (["Pelatihan Pemasaran Digital", "Workshop Jualan Online", "Kelas Digital Marketing", "Bimtek E-Commerce"],
     ["berjualan lewat marketplace dan media sosial", "promosi produk di Instagram dan toko online"],
     ["pelatihan", "digitalisasi"], ["kuliner", "fesyen", "kriya"]),
    (["Fasilitasi Sertifikasi Halal", "Klinik Halal Self Declare", "Pendampingan SH Halal"],
     ["pengurusan sertifikat halal skema self declare", "pendampingan proses produk halal bagi usaha pangan"],
     ["sertifikasi", "pendampingan"], ["kuliner"]),
    (["Pendampingan Akses KUR", "Klinik Pembiayaan UMKM", "Literasi Keuangan dan Pembukuan"],
     ["pembukuan sederhana dan pengajuan kredit usaha rakyat", "akses modal usaha dan laporan keuangan"],
     ["pembiayaan", "pendampingan"], ["umum", "perdagangan"]),
    (["Pameran Produk Unggulan", "Temu Bisnis dan Business Matching", "Expo Kriya"],
     ["pameran produk dan temu pembeli", "mempertemukan pengrajin dengan pembeli besar"],
     ["pemasaran"], ["kriya", "fesyen"]),
    (["Perbaikan Desain Kemasan", "Klinik Kemasan dan Label", "Bimtek Branding Produk"],
     ["desain kemasan dan label agar layak ritel modern", "merek dan kemasan produk olahan"],
     ["produksi"], ["kuliner", "agribisnis"]),
    (["Fasilitasi NIB dan P-IRT", "Jemput Bola Perizinan Usaha", "Klinik Legalitas Usaha"],
     ["pendaftaran NIB lewat OSS dan izin P-IRT", "legalitas usaha mikro di lokasi"],
     ["legalitas"], ["umum", "kuliner"]),
    (["Penguatan Koperasi Desa Wisata", "Pembentukan Klaster UMKM", "Kelembagaan Kelompok Usaha"],
     ["pembentukan dan penguatan koperasi", "klaster usaha dan kelompok bersama"],
     ["kelembagaan"], ["pariwisata", "agribisnis"]),
    (["Pelatihan Olahan Ikan", "Bimtek Pengolahan Hasil Perikanan"],
     ["pengolahan ikan menjadi produk bernilai tambah", "abon, nugget dan kerupuk ikan"],
     ["pelatihan", "produksi"], ["perikanan"]),
]
STATUSES = ["submitted", "in_review", "approved", "running", "completed"]
# this process's CPU seconds of each check timed last (the wall time also counts waiting for PostgreSQL and, on a
# shared machine, for a CPU)
CPU_TIMES: list[float] = []


def setup_django() -> None:
    import django

    django.setup()


def bench_tenant(slug: str = TENANT_SLUG):
    from django_scopes import scope, scopes_disabled

    from stakeholders.models import HelixKind, Organization, Region, Tenant

    with scopes_disabled():
        tenant = Tenant.objects.filter(slug=slug).first()
        if tenant is None:  # province codes are unique: take a free one from 99 down (no real province uses them)
            taken = set(Tenant.objects.values_list("province_code", flat=True))
            code = next(f"{n:02d}" for n in range(99, 0, -1) if f"{n:02d}" not in taken)
            tenant = Tenant.objects.create(slug=slug, name=f"Bench {slug}", province_code=code)
    with scope(tenant=tenant):
        for code, name in REGIONS:
            Region.objects.get_or_create(tenant=tenant, code=code, defaults={"name": name, "kind": "kabupaten"})
        for i in range(60):
            Organization.objects.get_or_create(
                tenant=tenant, name=f"Lembaga Uji {i:02d}", defaults={"helix": list(HelixKind.values)[i % 6]}
            )
    return tenant


def fake_program(tenant, ref: str, rng: random.Random, orgs, regions, *, first_year: int = 2017, years: int = 10):
    from programs.models import Program

    titles, texts, kinds, sectors = rng.choice(ARCHETYPES)
    sector = rng.choice(sectors)
    start = datetime.date(first_year, 1, 1) + datetime.timedelta(days=rng.randrange(0, 365 * years))
    program = Program(
        tenant=tenant, ref=ref, owner=rng.choice(orgs), status=rng.choice(STATUSES),
        title=f"{rng.choice(titles)} bagi UMKM {sector.title()} {rng.choice(['Angkatan', 'Tahap', 'Batch'])} "
              f"{rng.randrange(1, 9)}",
        description=f"Program {rng.choice(texts)} untuk pelaku usaha {sector}. {rng.choice(texts).capitalize()}.",
        kinds=kinds, sectors=[sector], start_date=start,
        end_date=start + datetime.timedelta(days=rng.choice([2, 3, 5, 14, 30, 60, 90])),
        target_umkm=rng.randrange(10, 100),
    )
    region_choice = rng.sample(regions, k=1 + (rng.random() < 0.2))
    return program, region_choice


def generate(tenant, total: int, rng: random.Random, *, batch: int = 2000, years: int = 10) -> int:
    """Grow the tenant's generated programs ("B-…") to `total`, with stored text profiles. Returns the count."""
    from django.db import connection, transaction
    from django_scopes import scope

    from programs.models import Program
    from programs.overlap_services import Context, profiles_for
    from stakeholders.models import Organization, Region

    with scope(tenant=tenant):
        have = Program.objects.filter(tenant=tenant, ref__startswith="B-").count()
        orgs = list(Organization.objects.filter(tenant=tenant))
        regions = list(Region.objects.filter(tenant=tenant))
        ctx = Context.of(tenant)
        through = Program.regions.through
        for first in range(have, total, batch):
            made = [
                fake_program(tenant, f"B-{i:07d}", rng, orgs, regions, years=years)
                for i in range(first, min(first + batch, total))
            ]
            with transaction.atomic():
                created = Program.objects.bulk_create([p for p, _r in made])
                links = [(p.pk, r.pk) for p, (_p, rs) in zip(created, made, strict=True) for r in rs]
                through.objects.bulk_create([through(program_id=p, region_id=r) for p, r in links])
                profiles_for(created, version=ctx.version, synonyms=ctx.synonyms)
        if connection.vendor == "postgresql":
            # what autovacuum does some time after a bulk load: without statistics the planner ignores the indexes
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE programs_program, programs_program_regions, programs_programprofile")
        return Program.objects.filter(tenant=tenant, ref__startswith="B-").count()


def time_checks(
    tenant, rng: random.Random, *, runs: int, verify=None, first_year: int = 2024, years: int = 2
) -> tuple[list[float], list]:
    """Seconds of `overlaps_of` for `runs` new programs (saved, checked, then deleted), and their results.

    `verify(program, found)`, when given, is called before each new program is deleted again (the tests)."""
    from django_scopes import scope

    from programs.models import Program
    from programs.overlap_services import Context, overlaps_of
    from stakeholders.models import Organization, Region

    timings, results = [], []
    cpu_times = CPU_TIMES
    cpu_times.clear()
    with scope(tenant=tenant):
        orgs = list(Organization.objects.filter(tenant=tenant))
        regions = list(Region.objects.filter(tenant=tenant))
        ctx = Context.of(tenant)
        Program.objects.filter(tenant=tenant, ref__startswith="NEW-").delete()  # left by an interrupted run
        overlaps_of(Program.objects.filter(tenant=tenant).first(), ctx)  # warm the process (stemmer, synonyms)
        for i in range(runs):
            program, chosen = fake_program(
                tenant, f"NEW-{i:05d}", rng, orgs, regions, first_year=first_year, years=years
            )
            program.save()
            program.regions.set(chosen)
            began, cpu = time.perf_counter(), time.process_time()
            found = overlaps_of(program, ctx)
            timings.append(time.perf_counter() - began)
            cpu_times.append(time.process_time() - cpu)
            results.append((program.pk, found))
            if verify is not None:
                verify(program, found)
            program.delete()
    return timings, results


def panel_user(tenant):
    """A staff member of one generated organisation: the live panel answers people who may register programs."""
    from django.contrib.auth import get_user_model
    from django_scopes import scope, scopes_disabled

    from stakeholders.models import Membership, Organization

    with scopes_disabled():
        user, _created = get_user_model().objects.get_or_create(
            email=f"panel@{tenant.slug}.test"
        )
    with scope(tenant=tenant):
        org = Organization.objects.filter(tenant=tenant).order_by("pk").first()
        Membership.objects.get_or_create(tenant=tenant, user=user, organization=org, defaults={"role": "staff"})
    return user


def panel_inputs(tenant, rng: random.Random, runs: int, *, first_year: int = 2024, years: int = 2) -> list[dict]:
    """What people type into the program form, as the panel receives it: half of them only a title so far (the
    panel then looks among the latest programs and those naming the same topic), half with description, kinds,
    sectors, regencies/cities and dates (the panel narrows to the same place and time)."""
    from django_scopes import scope

    from stakeholders.models import Organization, Region

    with scope(tenant=tenant):
        orgs = list(Organization.objects.filter(tenant=tenant))
        regions = list(Region.objects.filter(tenant=tenant))
    inputs = []
    for i in range(runs):
        program, chosen = fake_program(tenant, f"TYPED-{i}", rng, orgs, regions, first_year=first_year, years=years)
        if i % 2 == 0:
            inputs.append({"title": program.title})
        else:
            inputs.append({
                "title": program.title, "description": program.description, "kinds": program.kinds,
                "sectors": program.sectors, "regions": [str(r.pk) for r in chosen],
                "start_date": program.start_date.isoformat(), "end_date": program.end_date.isoformat(),
            })
    return inputs


def time_panel(
    tenant, rng: random.Random, *, runs: int, first_year: int = 2024, years: int = 2
) -> tuple[list[float], list[float], list[int]]:
    """Seconds of the live panel's request (`POST /<tenant>/program/mirip/`, the whole Django stack in this process,
    no network) for title-only and for complete inputs, and how many programs each answer listed."""
    from django.test import Client, override_settings
    from django.urls import reverse

    client = Client()
    client.force_login(panel_user(tenant))
    url = reverse("programs:similar", args=[tenant.slug])
    title_only, complete, listed = [], [], []
    with override_settings(ALLOWED_HOSTS=["testserver"]):
        client.post(url, {"title": "Pelatihan pemasaran digital"})  # warm the process (stemmer, synonyms, templates)
        for data in panel_inputs(tenant, rng, runs, first_year=first_year, years=years):
            began = time.perf_counter()
            response = client.post(url, data)
            (complete if "regions" in data else title_only).append(time.perf_counter() - began)
            assert response.status_code == 200, response.status_code
            listed.append(response.content.decode().count("<li"))
    return title_only, complete, listed


def time_report(tenant) -> tuple[float, int]:
    """Seconds of the whole-tenant `overlaps --format json` report, and how many pairs it printed."""
    import json

    from django.core.management import call_command

    out = io.StringIO()
    began = time.perf_counter()
    call_command("overlaps", "--tenant", tenant.slug, "--format", "json", stdout=out)
    return time.perf_counter() - began, len(json.loads(out.getvalue()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=50, help="new programs checked per size")
    parser.add_argument("--report-max", type=int, default=10_000, help="largest size the whole report is timed at")
    parser.add_argument("--panel-max", type=int, default=10_000, help="largest size the live panel is timed at")
    parser.add_argument("--tenant", default=TENANT_SLUG, help="slug of the (generated) tenant to grow and measure")
    args = parser.parse_args()
    setup_django()
    from django.db import connection

    rng = random.Random(2026)  # noqa: S311 - reproducible data, not security
    tenant = bench_tenant(args.tenant)
    print(f"database: {connection.vendor}")
    for size in sorted(args.sizes):
        began = time.perf_counter()
        count = generate(tenant, size, rng)
        print(f"\n{count} programs in {tenant.slug} (generated in {time.perf_counter() - began:.0f} s)")
        timings, results = time_checks(tenant, rng, runs=args.runs)
        ms = sorted(t * 1000 for t in timings)
        flagged = sum(1 for _pk, found in results if found)
        print(f"  check one new program: median {statistics.median(ms):.1f} ms, "
              f"p95 {ms[int(len(ms) * 0.95) - 1]:.1f} ms, max {ms[-1]:.1f} ms "
              f"({args.runs} programs, {flagged} of them overlap something; "
              f"Python CPU median {statistics.median(CPU_TIMES) * 1000:.1f} ms)")
        if size <= args.panel_max:
            title_only, complete, _listed = time_panel(tenant, rng, runs=args.runs)
            print(f"  live panel: title only median {statistics.median(title_only) * 1000:.1f} ms "
                  f"(max {max(title_only) * 1000:.1f}), with place and time median "
                  f"{statistics.median(complete) * 1000:.1f} ms (max {max(complete) * 1000:.1f})")
        if size <= args.report_max:
            seconds, pairs = time_report(tenant)
            print(f"  whole-tenant report (overlaps --format json): {seconds:.1f} s, {pairs} pairs")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak memory (max RSS): {peak:.0f} MB")


if __name__ == "__main__":
    main()
