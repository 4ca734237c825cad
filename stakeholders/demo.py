"""Demo tenants, organisations and people for seed_demo (fictional names, plausible for DIY)."""

from allauth.account.models import EmailAddress
from django_scopes import scope

from .models import HelixKind, Membership, Organization, Region, Tenant, TenantRole, User
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


def user(email: str, full_name: str) -> User:
    person, created = User.objects.get_or_create(email=email, defaults={"full_name": full_name})
    if created:
        person.set_password(DEMO_PASSWORD)
        person.save()
    EmailAddress.objects.get_or_create(user=person, email=email, defaults={"verified": True, "primary": True})
    return person


def organization(tenant: Tenant, name: str, helix: str, region_codes: list[str]) -> Organization:
    org, _ = Organization.objects.get_or_create(
        tenant=tenant, name=name, defaults={"helix": helix, "verified": True}
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
