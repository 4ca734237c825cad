"""Demo tenants, organisations and people for seed_demo (fictional names, plausible for DIY)."""

from allauth.account.models import EmailAddress
from django_scopes import scope

from .models import (
    HelixKind,
    Invitation,
    Membership,
    Organization,
    OrganizationRequest,
    Region,
    Tenant,
    TenantRole,
    User,
)
from .regions import DATA_DIR, load_regions

DEMO_PASSWORD = "Demo-Satusama-2026"  # noqa: S105 - documented demo password

# (e-mail, full name, organisation, role, position)
DIY_PEOPLE = [
    ("admin.dinas@satusama.test", "Dewi Lestari", "Dinas Koperasi dan UKM DIY", "admin", "Kepala Bidang UMKM"),
    ("staf.sleman@satusama.test", "Rina Wulandari", "Dinas Koperasi dan UKM Kabupaten Sleman", "staff",
     "Staf Bidang Pemberdayaan UMKM"),
    ("staf.kampus@satusama.test", "Arif Nugroho", "Universitas Contoh Yogyakarta", "staff", "Dosen Manajemen"),
    ("staf.komunitas@satusama.test", "Sri Handayani", "Komunitas Perempuan Wirausaha Gunungkidul", "staff",
     "Koordinator Program"),
    ("sekretaris.sleman@satusama.test", "Budi Santoso", "Dinas Koperasi dan UKM Kabupaten Sleman", "staff",
     "Sekretaris Forum Koordinasi Sleman"),
]

# (name, helix, region codes)
DIY_ORGANIZATIONS = [
    ("Dinas Koperasi dan UKM DIY", HelixKind.GOVERNMENT, ["34.01", "34.02", "34.03", "34.04", "34.71"]),
    ("Dinas Koperasi dan UKM Kabupaten Sleman", HelixKind.GOVERNMENT, ["34.04"]),
    ("Universitas Contoh Yogyakarta", HelixKind.CAMPUS, ["34.04", "34.71"]),
    ("Komunitas Perempuan Wirausaha Gunungkidul", HelixKind.COMMUNITY, ["34.03"]),
]


ALL_DIY = ["34.01", "34.02", "34.03", "34.04", "34.71"]

# More of the hexahelix, fictional but plausible: (name, helix, region codes, parent name or None, description)
DIY_MORE_ORGANIZATIONS = [
    ("Fakultas Ekonomi dan Bisnis Universitas Contoh Yogyakarta", HelixKind.CAMPUS, ["34.04", "34.71"],
     "Universitas Contoh Yogyakarta", "Klinik bisnis mahasiswa dan pengabdian masyarakat untuk UMKM."),
    ("Dinas Perindustrian, Koperasi dan UKM Kabupaten Bantul", HelixKind.GOVERNMENT, ["34.02"], None,
     "Pembinaan industri kecil, koperasi dan UMKM di Kabupaten Bantul."),
    ("Dinas Koperasi dan UKM Kabupaten Kulon Progo", HelixKind.GOVERNMENT, ["34.01"], None,
     "Pelatihan, legalitas usaha dan pemasaran produk lokal Kulon Progo."),
    ("Politeknik Wiraswasta Bantul", HelixKind.CAMPUS, ["34.02", "34.01"], None,
     "Pendampingan desain kemasan dan teknologi produksi pangan."),
    ("Bank Pembangunan Daerah Contoh DIY", HelixKind.BUSINESS, ALL_DIY, None,
     "Fasilitasi KUR dan literasi keuangan untuk pelaku UMKM."),
    ("Bank Pembangunan Daerah Contoh DIY Cabang Wonosari", HelixKind.BUSINESS, ["34.03"],
     "Bank Pembangunan Daerah Contoh DIY", "Layanan pembiayaan UMKM di Gunungkidul."),
    ("PT Pasar Digital Nusantara", HelixKind.BUSINESS, ["34.71", "34.04"], None,
     "Lokapasar daring yang membuka kelas jualan online bagi UMKM."),
    ("Harian Warta Jogja", HelixKind.MEDIA, ["34.71", "34.04", "34.02"], None,
     "Media cetak dan daring; rubrik UMKM mingguan."),
    ("Radio Suara Menoreh", HelixKind.MEDIA, ["34.01"], None, "Radio komunitas yang mengangkat produk lokal."),
    ("Komunitas UMKM Kreatif Kota Yogyakarta", HelixKind.COMMUNITY, ["34.71"], None,
     "Jejaring pelaku usaha kreatif: kriya, fesyen dan kuliner."),
    ("Klinik Bisnis Pendamping UMKM Jogja", HelixKind.MENTOR, ["34.71", "34.04", "34.02"], None,
     "Konsultasi bisnis, pembukuan dan sertifikasi halal."),
    ("Asosiasi Pendamping UMKM Mandiri DIY", HelixKind.MENTOR, ALL_DIY, None,
     "Asosiasi pendamping usaha (business development services) se-DIY."),
]

# Staff and admins of the organisations above and of the first four: (e-mail, name, organisation, role, position)
DIY_MORE_PEOPLE = [
    ("kabid.sleman@satusama.test", "Hendra Wijaya", "Dinas Koperasi dan UKM Kabupaten Sleman", "admin",
     "Kepala Bidang UMKM"),
    ("lppm.kampus@satusama.test", "Lestari Anggraini", "Universitas Contoh Yogyakarta", "admin", "Kepala LPPM"),
    ("ketua.komunitas@satusama.test", "Suparni", "Komunitas Perempuan Wirausaha Gunungkidul", "admin", "Ketua"),
    ("dosen.feb@satusama.test", "Ahmad Fauzi", "Fakultas Ekonomi dan Bisnis Universitas Contoh Yogyakarta", "admin",
     "Koordinator Klinik Bisnis"),
    ("staf.bantul@satusama.test", "Nur Hidayati", "Dinas Perindustrian, Koperasi dan UKM Kabupaten Bantul", "staff",
     "Penyuluh Koperasi"),
    ("staf.kulonprogo@satusama.test", "Wahyu Setiawan", "Dinas Koperasi dan UKM Kabupaten Kulon Progo", "staff",
     "Staf Bidang Usaha Mikro"),
    ("dosen.politeknik@satusama.test", "Dian Puspitasari", "Politeknik Wiraswasta Bantul", "staff",
     "Dosen Teknologi Pangan"),
    ("umkm.bank@satusama.test", "Rudi Hartono", "Bank Pembangunan Daerah Contoh DIY", "admin",
     "Kepala Divisi UMKM"),
    ("staf.wonosari@satusama.test", "Sri Mulyani", "Bank Pembangunan Daerah Contoh DIY Cabang Wonosari", "staff",
     "Analis Kredit Mikro"),
    ("mitra.pasardigital@satusama.test", "Kevin Saputra", "PT Pasar Digital Nusantara", "staff",
     "Manajer Kemitraan UMKM"),
    ("redaksi.warta@satusama.test", "Yuni Kartika", "Harian Warta Jogja", "staff", "Redaktur Ekonomi"),
    ("penyiar.menoreh@satusama.test", "Bayu Prasetyo", "Radio Suara Menoreh", "staff", "Penyiar"),
    ("koordinator.kreatif@satusama.test", "Galih Permana", "Komunitas UMKM Kreatif Kota Yogyakarta", "admin",
     "Koordinator"),
    ("konsultan.klinik@satusama.test", "Ratna Sari", "Klinik Bisnis Pendamping UMKM Jogja", "staff",
     "Konsultan Bisnis"),
    ("pendamping.asosiasi@satusama.test", "Agus Riyanto", "Asosiasi Pendamping UMKM Mandiri DIY", "admin",
     "Ketua"),
]


def user(email: str, full_name: str) -> User:
    person, created = User.objects.get_or_create(email=email, defaults={"full_name": full_name})
    if created:
        person.set_password(DEMO_PASSWORD)
        person.save()
    EmailAddress.objects.get_or_create(user=person, email=email, defaults={"verified": True, "primary": True})
    return person


def organization(tenant: Tenant, name: str, helix: str, region_codes: list[str], parent: Organization | None = None,
                 description: str = "") -> Organization:
    org, _ = Organization.objects.get_or_create(
        tenant=tenant, name=name,
        defaults={"helix": helix, "verified": True, "parent": parent, "description": description},
    )
    org.regions.set(Region.objects.filter(code__in=region_codes))
    return org


def seed() -> dict[str, Tenant]:
    diy, _ = Tenant.objects.get_or_create(
        slug="diy", defaults={"name": "SATUSAMA DIY", "province_code": "34"}
    )
    load_regions(tenant=diy, path=DATA_DIR / "regions-diy.csv")
    with scope(tenant=diy):
        orgs = {name: organization(diy, name, helix, codes) for name, helix, codes in DIY_ORGANIZATIONS}
        for email, full_name, org_name, role, position in DIY_PEOPLE:
            person = user(email, full_name)
            Membership.objects.get_or_create(
                tenant=diy, user=person, organization=orgs[org_name],
                defaults={"role": role, "position": position},
            )
        TenantRole.objects.get_or_create(
            tenant=diy, user=User.objects.get(email="admin.dinas@satusama.test"), role=TenantRole.Role.ADMIN
        )
        for name, helix, codes, parent, description in DIY_MORE_ORGANIZATIONS:
            orgs[name] = organization(diy, name, helix, codes, orgs.get(parent), description)
        for email, full_name, org_name, role, position in DIY_MORE_PEOPLE:
            Membership.objects.get_or_create(
                tenant=diy, user=user(email, full_name), organization=orgs[org_name],
                defaults={"role": role, "position": position},
            )
        seed_pending_work(diy, orgs)

    jateng, _ = Tenant.objects.get_or_create(
        slug="jateng", defaults={"name": "SATUSAMA Jawa Tengah", "province_code": "33"}
    )
    load_regions(tenant=jateng, path=DATA_DIR / "regions-jateng.csv")
    with scope(tenant=jateng):
        dinas = organization(jateng, "Dinas Koperasi dan UKM Provinsi Jawa Tengah", HelixKind.GOVERNMENT,
                             ["33.10", "33.11", "33.71", "33.72", "33.74"])
        organization(jateng, "Komunitas Batik Surakarta", HelixKind.COMMUNITY, ["33.72"])
        admin = user("admin.jateng@satusama.test", "Yusuf Pratama")
        Membership.objects.get_or_create(
            tenant=jateng, user=admin, organization=dinas, defaults={"role": "admin", "position": "Kepala Bidang UMKM"}
        )
        TenantRole.objects.get_or_create(tenant=jateng, user=admin, role=TenantRole.Role.ADMIN)
    return {"diy": diy, "jateng": jateng}


def seed_pending_work(diy: Tenant, orgs: dict[str, Organization]) -> None:
    """Something to act on in the demo: a pending invitation and a registration request."""
    sleman = orgs["Dinas Koperasi dan UKM Kabupaten Sleman"]
    if not Invitation.objects.filter(organization=sleman, email="calon.staf@satusama.test").exists():
        # Created without sending: the demo has no real mailbox behind it.
        Invitation.objects.create(
            tenant=diy, organization=sleman, email="calon.staf@satusama.test", role=Membership.Role.STAFF,
            invited_by=User.objects.get(email="kabid.sleman@satusama.test"),
        )
    request, created = OrganizationRequest.objects.get_or_create(
        tenant=diy, name="Paguyuban Perajin Batik Kulon Progo",
        defaults={"helix": HelixKind.COMMUNITY, "requested_by": User.objects.get(email="staf.komunitas@satusama.test"),
                  "description": "Paguyuban 40 perajin batik tulis dan cap di Lendah dan Panjatan."},
    )
    if created:
        request.regions.set(Region.objects.filter(code="34.01"))
