"""Organisations: a tenant admin registers one and invites its first admin; registration requests; profile edits."""

import pytest
from django.core import mail
from django.urls import reverse
from django_scopes import scopes_disabled

from stakeholders.models import AuditEvent, Invitation, Membership, Organization, OrganizationRequest, Region

pytestmark = pytest.mark.django_db


def test_tenant_admin_creates_an_organisation_and_invites_its_first_admin(world, django_capture_on_commit_callbacks):
    client = world.client_for(world.tenant_admin)
    with scopes_disabled():
        sleman = Region.objects.get(tenant=world.tenant, code="34.04")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("stakeholders:organization_create", args=["diy"]), {
            "name": "Radio Komunitas Merapi", "helix": "media", "regions": [sleman.pk],
            "admin_email": "penyiar@radiomerapi.id",
        }, follow=True)
    assert "Radio Komunitas Merapi telah didaftarkan" in response.content.decode()
    with scopes_disabled():
        org = Organization.objects.get(tenant=world.tenant, name="Radio Komunitas Merapi")
        assert list(org.regions.values_list("code", flat=True)) == ["34.04"]
        invitation = Invitation.objects.get(organization=org)
        assert invitation.email == "penyiar@radiomerapi.id" and invitation.role == "admin"
        assert AuditEvent.objects.filter(action="org_created", organization=org, actor=world.tenant_admin).exists()
    assert mail.outbox[-1].to == ["penyiar@radiomerapi.id"]


def test_staff_may_not_create_an_organisation(world):
    response = world.client_for(world.staff).post(
        reverse("stakeholders:organization_create", args=["diy"]), {"name": "Lembaga Liar", "helix": "media"}
    )
    assert response.status_code == 403
    with scopes_disabled():
        assert not Organization.objects.filter(name="Lembaga Liar").exists()


def test_anyone_signed_in_asks_and_the_tenant_admin_approves(world):
    # world.nobody belongs to no tenant at all and may still ask
    response = world.client_for(world.nobody).post(reverse("stakeholders:request", args=["diy"]), {
        "name": "Komunitas UMKM Kreatif Bantul", "helix": "community", "description": "Kelompok perajin.",
    }, follow=True)
    assert "Admin provinsi akan memeriksa pengajuan Anda" in response.content.decode()
    with scopes_disabled():
        org_request = OrganizationRequest.objects.get(name="Komunitas UMKM Kreatif Bantul")
    admin = world.client_for(world.tenant_admin)
    assert "Komunitas UMKM Kreatif Bantul" in admin.get(reverse("stakeholders:requests", args=["diy"])).content.decode()
    # a staff member cannot decide
    refused = world.client_for(world.staff).post(reverse("stakeholders:request_approve", args=["diy", org_request.pk]))
    assert refused.status_code == 403
    admin.post(reverse("stakeholders:request_approve", args=["diy", org_request.pk]), {"note": "Selamat datang"})
    with scopes_disabled():
        org_request.refresh_from_db()
        assert org_request.status == "approved" and org_request.decided_by == world.tenant_admin
        org = Organization.objects.get(name="Komunitas UMKM Kreatif Bantul")
        assert Membership.objects.get(organization=org).user == world.nobody
        assert Membership.objects.get(organization=org).role == "admin"
    # the new admin now reaches the tenant and manages the people
    response = world.client_for(world.nobody).get(reverse("stakeholders:people", args=["diy", org.pk]))
    assert response.status_code == 200


def test_tenant_admin_declines_with_a_note(world):
    world.client_for(world.nobody).post(reverse("stakeholders:request", args=["diy"]),
                                        {"name": "Usaha Fiktif", "helix": "business"})
    with scopes_disabled():
        org_request = OrganizationRequest.objects.get(name="Usaha Fiktif")
    world.client_for(world.tenant_admin).post(
        reverse("stakeholders:request_decline", args=["diy", org_request.pk]), {"note": "Tidak lengkap"})
    with scopes_disabled():
        org_request.refresh_from_db()
        assert org_request.status == "declined" and org_request.decision_note == "Tidak lengkap"
        assert not Organization.objects.filter(name="Usaha Fiktif").exists()
    profile = world.client_for(world.nobody).get(reverse("profile")).content.decode()
    assert "Usaha Fiktif" in profile and "Ditolak" in profile and "Tidak lengkap" in profile


def test_org_admin_edits_profile_staff_cannot(world):
    url = reverse("stakeholders:organization_edit", args=["diy", world.org.pk])
    assert world.client_for(world.staff).get(url).status_code == 403
    response = world.client_for(world.org_admin).post(url, {
        "name": world.org.name, "helix": "government", "description": "Dinas kabupaten.",
        "website": "https://dinkop.slemankab.test",
    }, follow=True)
    assert "Profil lembaga telah disimpan" in response.content.decode()
    with scopes_disabled():
        world.org.refresh_from_db()
    assert world.org.description == "Dinas kabupaten."
