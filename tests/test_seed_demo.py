"""seed_demo creates the documented accounts and is idempotent."""

from django.apps import apps
from django.core.management import call_command
from django_scopes import scopes_disabled

from stakeholders.demo import DEMO_PASSWORD
from stakeholders.models import Membership, Region, Tenant, TenantRole, User

DEMO_ACCOUNTS = [
    "admin.dinas@satusama.test", "staf.sleman@satusama.test", "staf.kampus@satusama.test",
    "staf.komunitas@satusama.test", "sekretaris.sleman@satusama.test", "admin.jateng@satusama.test",
]


def row_counts():
    with scopes_disabled():
        return {m._meta.label: m._default_manager.count() for m in apps.get_models()
                if m._meta.app_label in {"stakeholders", "roadmap", "programs", "umkm", "forums", "account"}}


def test_seed_demo_is_idempotent_and_creates_the_accounts(db):
    call_command("seed_demo", verbosity=0)
    first = row_counts()
    call_command("seed_demo", verbosity=0)
    assert row_counts() == first
    with scopes_disabled():
        assert set(Tenant.objects.values_list("slug", flat=True)) == {"diy", "jateng"}
        for email in DEMO_ACCOUNTS:
            user = User.objects.get(email=email)
            assert user.check_password(DEMO_PASSWORD)
            assert user.emailaddress_set.get().verified
        assert TenantRole.objects.filter(user__email="admin.dinas@satusama.test", tenant__slug="diy",
                                         role="admin").exists()
        assert Membership.objects.filter(user__email="staf.sleman@satusama.test",
                                         organization__name="Dinas Koperasi dan UKM Kabupaten Sleman").exists()
        assert Tenant.objects.get(slug="diy").region_set.count() == 6
        # the provinces' capitals, where the provincial forums date their letters
        assert dict(Region.objects.filter(kind="provinsi").values_list("tenant__slug", "capital")) == {
            "diy": "Yogyakarta", "jateng": "Semarang"}


def test_each_demo_account_logs_in_and_sees_its_organisations(client, db):
    call_command("seed_demo", verbosity=0)
    for email in DEMO_ACCOUNTS:
        client.logout()
        response = client.post("/accounts/login/", {"login": email, "password": DEMO_PASSWORD})
        assert response.status_code == 302, email
        slug = "jateng" if "jateng" in email else "diy"
        page = client.get(f"/{slug}/").content.decode()
        assert "Lembaga Anda" in page
        with scopes_disabled():
            for m in Membership.objects.filter(user__email=email).select_related("organization"):
                assert m.organization.name in page
