"""Demo programs for seed_demo: about 60 in DIY across organisations, statuses, regions and 2024–2026,
with deliberate overlaps (the same digital-marketing training for Sleman's culinary businesses, twice in
the same months), and a few in Jawa Tengah. Idempotent: programs are keyed by ref and created once.
"""

from __future__ import annotations

import datetime
import random

from django_scopes import scope

from stakeholders.models import Organization, Region, Tenant, User

from .models import Program, ProgramEvent
from .taxonomy import Status

# (title, description, kinds, sectors) — the kinds of programs DIY organisations really run.
ARCHETYPES = [
    ("Pelatihan Pemasaran Digital bagi UMKM Kuliner",
     "Pelatihan pemasaran lewat media sosial dan marketplace untuk usaha makanan dan minuman.",
     ["pelatihan", "digitalisasi"], ["kuliner"]),
    ("Klinik Sertifikasi Halal Self-Declare",
     "Pendampingan pengajuan sertifikat halal gratis skema self-declare bagi usaha mikro pangan.",
     ["sertifikasi", "pendampingan"], ["kuliner"]),
    ("Fasilitasi NIB dan P-IRT", "Pendaftaran NIB lewat OSS dan izin P-IRT langsung di lokasi.",
     ["legalitas"], ["kuliner", "umum"]),
    ("Pendampingan Akses KUR", "Pendampingan pembukuan sederhana dan pengajuan Kredit Usaha Rakyat.",
     ["pembiayaan", "pendampingan"], ["umum"]),
    ("Pameran Produk Kriya dan Batik", "Pameran dan temu bisnis produk kerajinan perak, kayu dan batik.",
     ["pemasaran"], ["kriya", "fesyen"]),
    ("Desain Kemasan Produk Olahan Pangan", "Perbaikan desain dan bahan kemasan agar layak masuk ritel modern.",
     ["produksi"], ["kuliner"]),
    ("Onboarding QRIS dan Pembukuan Digital", "Pemasangan QRIS dan aplikasi pembukuan untuk pedagang pasar.",
     ["digitalisasi"], ["perdagangan"]),
    ("Penguatan Koperasi Desa Wisata", "Pembentukan dan penguatan kelembagaan koperasi pengelola desa wisata.",
     ["kelembagaan", "pendampingan"], ["pariwisata"]),
    ("Bootcamp Ekspor Kerajinan", "Kelas intensif persiapan ekspor: kurasi produk, harga, dokumen.",
     ["pelatihan", "pemasaran"], ["kriya"]),
    ("Sekolah Tani Milenial", "Pelatihan budidaya dan pemasaran hasil pertanian untuk petani muda.",
     ["pelatihan"], ["agribisnis"]),
    ("Pendampingan Pengolahan Ikan", "Pendampingan produksi olahan ikan dan sertifikasi keamanan pangan.",
     ["produksi", "sertifikasi"], ["perikanan"]),
    ("Kelas Konten Kreatif untuk UMKM Fesyen", "Pelatihan foto produk dan video pendek untuk usaha fesyen.",
     ["pelatihan", "digitalisasi"], ["fesyen"]),
]

STATUS_CYCLE = [
    Status.DRAFT, Status.SUBMITTED, Status.IN_REVIEW, Status.APPROVED, Status.RUNNING, Status.COMPLETED,
    Status.APPROVED, Status.RUNNING, Status.SUBMITTED, Status.NEEDS_REVISION, Status.COMPLETED, Status.REJECTED,
    Status.WITHDRAWN, Status.RUNNING, Status.APPROVED,
]

# The route a program took to reach a status, for its event log.
PATHS = {
    Status.DRAFT: [],
    Status.SUBMITTED: [Status.SUBMITTED],
    Status.IN_REVIEW: [Status.SUBMITTED, Status.IN_REVIEW],
    Status.NEEDS_REVISION: [Status.SUBMITTED, Status.IN_REVIEW, Status.NEEDS_REVISION],
    Status.APPROVED: [Status.SUBMITTED, Status.IN_REVIEW, Status.APPROVED],
    Status.RUNNING: [Status.SUBMITTED, Status.IN_REVIEW, Status.APPROVED, Status.RUNNING],
    Status.COMPLETED: [Status.SUBMITTED, Status.IN_REVIEW, Status.APPROVED, Status.RUNNING, Status.COMPLETED],
    Status.REJECTED: [Status.SUBMITTED, Status.IN_REVIEW, Status.REJECTED],
    Status.WITHDRAWN: [Status.SUBMITTED, Status.WITHDRAWN],
}

DIY_REGIONS = ["34.01", "34.02", "34.03", "34.04", "34.71"]


def _organizations(tenant: Tenant) -> list[Organization]:
    # The stakeholders demo already covers the whole hexahelix, each organisation with its people.
    return list(Organization.objects.filter(tenant=tenant).order_by("name"))


def _program(tenant, ref, owner, archetype, start, weeks, status, region_codes, rng, by=None, **extra):
    title, description, kinds, sectors = archetype
    end = start + datetime.timedelta(weeks=weeks)
    program, created = Program.objects.get_or_create(
        tenant=tenant, ref=ref,
        defaults={
            "owner": owner, "title": title, "description": description, "kinds": kinds, "sectors": sectors,
            "start_date": start, "end_date": end, "target_umkm": rng.choice([20, 25, 30, 40, 50, 100]),
            "budget_idr": rng.choice([8, 15, 25, 45, 75, 120]) * 1_000_000,
            "funding_source": rng.choice(["apbd", "apbn", "danais", "csr", "swadaya", "hibah"]),
            "open_for_participants": status in (Status.APPROVED, Status.RUNNING) and rng.random() < .8,
            "registration_deadline": start - datetime.timedelta(days=3),
            "how_to_join": "Daftar melalui formulir daring atau datang ke kantor penyelenggara.",
            "contact_name": rng.choice(["Rina Wulandari", "Arif Nugroho", "Sri Handayani", "Yuli Astuti"]),
            "contact_phone": f"0812-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}",
            "status": status, "version": 1 + len(PATHS[status]), "created_by": by, **extra,
        },
    )
    if created:
        program.regions.set(Region.objects.filter(tenant=tenant, code__in=region_codes))
        at = datetime.datetime.combine(start - datetime.timedelta(days=60), datetime.time(9), datetime.UTC)
        frm = Status.DRAFT
        for step, to in enumerate(PATHS[status]):
            ProgramEvent.objects.create(
                tenant=tenant, program=program, from_status=frm, to_status=to, by=by,
                by_forum=to in (Status.APPROVED, Status.NEEDS_REVISION, Status.REJECTED),
                at=at + datetime.timedelta(days=7 * step),
                reason="Keputusan rapat Forum Koordinasi" if to in (Status.APPROVED, Status.REJECTED) else "",
            )
            frm = to
    return program


def seed(tenants: dict[str, Tenant]) -> None:
    rng = random.Random(2026)  # noqa: S311 - the same demo every time, not security
    diy = tenants["diy"]
    with scope(tenant=diy):
        orgs = _organizations(diy)
        by = User.objects.filter(email="staf.sleman@satusama.test").first()
        sleman = Organization.objects.get(tenant=diy, name="Dinas Koperasi dan UKM Kabupaten Sleman")
        campus = Organization.objects.get(tenant=diy, name="Universitas Contoh Yogyakarta")
        # Deliberate overlaps: the same training for Sleman's culinary businesses in the same weeks.
        _program(diy, "PRG-2025-0001", sleman, ARCHETYPES[0], datetime.date(2025, 3, 10), 1, Status.APPROVED,
                 ["34.04"], rng, by)
        _program(diy, "PRG-2025-0002", campus, (
            "Workshop Jualan Online untuk Usaha Makanan",
            "Mahasiswa dan dosen mendampingi pelaku usaha kuliner Sleman membuka toko di marketplace.",
            ["pelatihan", "digitalisasi"], ["kuliner"]), datetime.date(2025, 3, 1), 4, Status.SUBMITTED,
            ["34.04"], rng, by)
        _program(diy, "PRG-2026-0001", sleman, ARCHETYPES[1], datetime.date(2026, 2, 2), 8, Status.SUBMITTED,
                 ["34.04", "34.71"], rng, by)
        _program(diy, "PRG-2026-0002", orgs[0], ARCHETYPES[1], datetime.date(2026, 2, 16), 6, Status.IN_REVIEW,
                 ["34.04"], rng, by)
        numbers: dict[int, int] = {2024: 0, 2025: 2, 2026: 2}
        for i in range(56):
            year = (2024, 2025, 2026)[i % 3]
            numbers[year] += 1
            start = datetime.date(year, 1 + (i * 5) % 12, 1 + (i * 7) % 27)
            regions = rng.sample(DIY_REGIONS, k=1 + (i % 4 == 0))
            _program(diy, f"PRG-{year}-{numbers[year]:04d}", orgs[i % len(orgs)], ARCHETYPES[i % len(ARCHETYPES)],
                     start, rng.choice([1, 2, 4, 8, 12, 24]), STATUS_CYCLE[i % len(STATUS_CYCLE)], regions, rng, by)

    jateng = tenants["jateng"]
    with scope(tenant=jateng):
        owner = Organization.objects.filter(tenant=jateng).order_by("name").first()
        _program(jateng, "PRG-2025-0001", owner, (
            "Pelatihan Batik Tulis Surakarta", "Pelatihan teknik batik tulis dan pewarnaan alam.",
            ["pelatihan"], ["kriya"]), datetime.date(2025, 6, 2), 4, Status.RUNNING, ["33.72"], rng)
        _program(jateng, "PRG-2025-0002", owner, (
            "Temu Bisnis Mebel Jepara", "Temu bisnis pengrajin mebel dengan pembeli luar negeri.",
            ["pemasaran"], ["kriya"]), datetime.date(2025, 9, 1), 1, Status.APPROVED, ["33.11"], rng)

    from .overlap_demo import seed as seed_overlaps

    seed_overlaps(tenants)
