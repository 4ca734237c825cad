"""Shared personas and helpers: build the people once (member, admin, outsider, other tenant)."""

import pytest
from django.test import Client
from django_scopes import scope, scopes_disabled

from stakeholders.models import HelixKind, Membership, Organization, Region, Tenant, TenantRole, User

PASSWORD = "Kata-Sandi-Uji-2026"  # noqa: S105


@pytest.fixture(autouse=True)
def _fast_and_local(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.SATUSAMA_REQUIRE_ADMIN_MFA = False
    # Tenant summaries are refreshed when a transaction commits, which a test's own transaction never does;
    # tests/test_tenant_cache.py turns the cache on and commits.
    settings.SATUSAMA_TENANT_CACHE = False


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Login rate limits live in the cache (Redis in CI): each test starts with none.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def make_user(email, **extra):
    from allauth.account.models import EmailAddress

    user = User.objects.create_user(email=email, password=PASSWORD, **extra)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def make_tenant(slug, name, code, regions):
    tenant = Tenant.objects.create(slug=slug, name=name, province_code=code)
    with scope(tenant=tenant):
        for region_code, region_name, kind in regions:
            Region.objects.create(tenant=tenant, code=region_code, name=region_name, kind=kind)
    return tenant


class World:
    """Two tenants and the people the tests act as."""

    def __init__(self):
        with scopes_disabled():
            self.tenant = make_tenant("diy", "SATUSAMA DIY", "34", [
                ("34.04", "Sleman", "kabupaten"), ("34.71", "Kota Yogyakarta", "kota"),
                ("34.03", "Gunungkidul", "kabupaten"),
            ])
            self.other_tenant = make_tenant("jateng", "SATUSAMA Jawa Tengah", "33", [
                ("33.72", "Kota Surakarta", "kota"),
            ])
            self.org = Organization.objects.create(
                tenant=self.tenant, name="Dinas Koperasi dan UKM Kabupaten Sleman", helix=HelixKind.GOVERNMENT
            )
            self.other_org = Organization.objects.create(
                tenant=self.tenant, name="Universitas Contoh Yogyakarta", helix=HelixKind.CAMPUS
            )
            self.foreign_org = Organization.objects.create(
                tenant=self.other_tenant, name="Komunitas Batik Surakarta", helix=HelixKind.COMMUNITY
            )
            self.staff = make_user("staf@satusama.test", full_name="Rina Wulandari")
            Membership.objects.create(tenant=self.tenant, user=self.staff, organization=self.org, role="staff")
            self.org_admin = make_user("kepala@satusama.test", full_name="Kepala Bidang")
            Membership.objects.create(tenant=self.tenant, user=self.org_admin, organization=self.org, role="admin")
            self.colleague = make_user("dosen@satusama.test", full_name="Arif Nugroho")
            Membership.objects.create(
                tenant=self.tenant, user=self.colleague, organization=self.other_org, role="staff"
            )
            self.tenant_admin = make_user("dinas@satusama.test", full_name="Dewi Lestari")
            TenantRole.objects.create(tenant=self.tenant, user=self.tenant_admin, role="admin")
            self.outsider = make_user("luar@satusama.test", full_name="Orang Luar")
            Membership.objects.create(
                tenant=self.other_tenant, user=self.outsider, organization=self.foreign_org, role="admin"
            )
            self.nobody = make_user("kosong@satusama.test", full_name="Belum Bergabung")

    def client_for(self, user) -> Client:
        client = Client()
        client.force_login(user)
        return client


@pytest.fixture
def world(db):
    return World()


@pytest.fixture
def tenant_scope(world):
    with scope(tenant=world.tenant):
        yield world.tenant
