"""Admin panel for tenant admins: their tenant's rows only, scoped choices, people of other tenants hidden."""

import json

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from stakeholders.models import AuditEvent, Invitation, Membership, Region, TenantRole, User
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def jateng_admin(world):
    with scopes_disabled():
        user = make_user("admin.jateng@satusama.test", full_name="Yusuf Pratama")
        TenantRole.objects.create(tenant=world.other_tenant, user=user, role="admin")
    return user


def test_tenant_admin_sees_only_own_organisations(world, jateng_admin):
    page = world.client_for(world.tenant_admin).get(reverse("admin:stakeholders_organization_changelist"))
    assert page.status_code == 200
    body = page.content.decode()
    assert world.org.name in body and "Komunitas Batik Surakarta" not in body
    other = world.client_for(jateng_admin).get(reverse("admin:stakeholders_organization_changelist")).content.decode()
    assert "Komunitas Batik Surakarta" in other and world.org.name not in other


@pytest.mark.parametrize("model", ["organization", "membership", "region", "invitation", "auditevent"])
def test_other_tenant_admin_cannot_open_a_row(world, jateng_admin, invite, model):
    invite("calon@lembaga.id")
    with scopes_disabled():
        row = {
            "organization": world.org, "membership": Membership.objects.filter(tenant=world.tenant).first(),
            "region": Region.objects.filter(tenant=world.tenant).first(),
            "invitation": Invitation.objects.get(email="calon@lembaga.id"),
            "auditevent": AuditEvent.objects.filter(tenant=world.tenant).first(),
        }[model]
    url = reverse(f"admin:stakeholders_{model}_change", args=[row.pk])
    assert world.client_for(world.tenant_admin).get(url).status_code == 200
    response = world.client_for(jateng_admin).get(url)
    assert response.status_code == 404
    assert str(row) not in response.content.decode()
    # the rightful tenant admin sees it in the list
    listing = world.client_for(jateng_admin).get(reverse(f"admin:stakeholders_{model}_changelist"))
    assert listing.status_code == 200


def test_tenant_admin_lists_only_people_of_their_tenant_and_cannot_edit_them(world, jateng_admin):
    client = world.client_for(world.tenant_admin)
    body = client.get(reverse("admin:stakeholders_user_changelist")).content.decode()
    assert world.staff.email in body
    assert world.outsider.email not in body and jateng_admin.email not in body and world.nobody.email not in body
    assert client.get(reverse("admin:stakeholders_user_change", args=[world.outsider.pk])).status_code == 404
    response = client.post(reverse("admin:stakeholders_user_change", args=[world.staff.pk]),
                           {"email": world.staff.email, "is_superuser": "on"})
    assert response.status_code == 403
    with scopes_disabled():
        assert not User.objects.get(pk=world.staff.pk).is_superuser


def test_user_autocomplete_is_scoped(world):
    client = world.client_for(world.tenant_admin)
    response = client.get(reverse("admin:autocomplete"), {
        "app_label": "stakeholders", "model_name": "membership", "field_name": "user", "term": "satusama"})
    emails = {r["text"] for r in json.loads(response.content)["results"]}
    assert "Rina Wulandari" in emails and "Orang Luar" not in emails and "Belum Bergabung" not in emails


def test_membership_form_offers_only_own_organisations(world):
    body = world.client_for(world.tenant_admin).get(reverse("admin:stakeholders_membership_add")).content.decode()
    assert "Komunitas Batik Surakarta" not in body


def test_role_change_in_admin_is_audited(world):
    with scopes_disabled():
        membership = Membership.objects.get(user=world.staff, organization=world.org)
    world.client_for(world.tenant_admin).post(
        reverse("admin:stakeholders_membership_change", args=[membership.pk]),
        {"user": world.staff.pk, "organization": world.org.pk, "role": "admin", "position": ""})
    with scopes_disabled():
        assert Membership.objects.get(pk=membership.pk).role == "admin"
        event = AuditEvent.objects.get(action="role_changed")
    assert event.actor == world.tenant_admin and event.subject_email == world.staff.email


def test_organisation_staff_has_no_admin_panel(world):
    response = world.client_for(world.staff).get(reverse("admin:stakeholders_organization_changelist"))
    assert response.status_code in (302, 403)


def test_superuser_sees_every_tenant(world):
    with scopes_disabled():
        root = User.objects.create_superuser(email="root@satusama.test", password="x")
    body = world.client_for(root).get(reverse("admin:stakeholders_organization_changelist")).content.decode()
    assert world.org.name in body and "Komunitas Batik Surakarta" in body


def test_admin_of_two_provinces_adds_a_membership_in_the_organisations_province(world, jateng_admin):
    with scopes_disabled():
        TenantRole.objects.create(tenant=world.tenant, user=jateng_admin, role="admin")
    # Jawa Tengah is the first province they administer; the organisation is in DIY
    response = world.client_for(jateng_admin).post(reverse("admin:stakeholders_membership_add"), {
        "user": world.colleague.pk, "organization": world.org.pk, "role": "staff", "position": ""})
    assert response.status_code == 302
    with scopes_disabled():
        membership = Membership.objects.get(user=world.colleague, organization=world.org)
        assert membership.tenant_id == world.tenant.pk
        assert AuditEvent.objects.get(action="joined").tenant_id == world.tenant.pk


def test_membership_user_must_already_belong_to_the_tenant(world):
    """People join by invitation; the admin panel cannot attach a stranger's account to an organisation."""
    response = world.client_for(world.tenant_admin).post(reverse("admin:stakeholders_membership_add"), {
        "user": world.outsider.pk, "organization": world.org.pk, "role": "admin", "position": ""})
    assert response.status_code == 200
    with scopes_disabled():
        assert not Membership.objects.filter(user=world.outsider, organization=world.org).exists()
