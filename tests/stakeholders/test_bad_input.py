"""Bad input: a clear message in Indonesian and nothing saved half-way."""

import io
import os

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_scopes import scope, scopes_disabled
from PIL import Image

from stakeholders import services
from stakeholders.models import AuditEvent, Invitation, Organization

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def people_url(world):
    return reverse("stakeholders:people", args=["diy", world.org.pk])


def test_inviting_an_existing_member_is_refused(world):
    client = world.client_for(world.org_admin)
    response = client.post(people_url(world), {"email": "STAF@satusama.test", "role": "staff"})
    body = response.content.decode()
    assert "staf@satusama.test sudah menjadi anggota Dinas Koperasi dan UKM Kabupaten Sleman" in body
    with scopes_disabled():
        assert not Invitation.objects.exists() and not AuditEvent.objects.exists()
    assert mail.outbox == []


@pytest.mark.parametrize("email", ["bukan-email", "a@b", "nama@@lembaga.id", ""])
def test_invalid_email_is_refused(world, email):
    response = world.client_for(world.org_admin).post(people_url(world), {"email": email, "role": "staff"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Masukkan alamat e-mail yang valid" in body or "Bidang ini tidak boleh kosong" in body
    with scopes_disabled():
        assert not Invitation.objects.exists()


def test_inviting_twice_while_pending_points_to_resend(world, invite):
    invite("dua.kali@lembaga.id")
    response = world.client_for(world.org_admin).post(people_url(world), {"email": "dua.kali@lembaga.id",
                                                                          "role": "admin"})
    assert "sudah diundang dan undangannya masih berlaku" in response.content.decode()
    with scopes_disabled():
        assert Invitation.objects.count() == 1 and Invitation.objects.get().role == "staff"


def test_unknown_token_is_explained(world):
    response = world.client_for(world.staff).get(reverse("stakeholders:invitation", args=["diy", "tidak-ada"]))
    assert response.status_code == 404
    assert "Tautan undangan ini tidak valid" in response.content.decode()


def test_token_of_another_tenant_is_not_valid_here(world, invite):
    invitation = invite("lintas@lembaga.id")
    response = world.client_for(world.outsider).get(
        reverse("stakeholders:invitation", args=["jateng", invitation.token]))
    assert response.status_code == 404


def edit(world, **extra):
    data = {"name": world.org.name, "helix": "government", **extra}
    return world.client_for(world.org_admin).post(
        reverse("stakeholders:organization_edit", args=["diy", world.org.pk]), data)


def test_logo_that_is_not_an_image_is_refused(world):
    fake = SimpleUploadedFile("logo.png", b"%PDF-1.4 this is not an image", content_type="image/png")
    response = edit(world, logo=fake, description="Tidak boleh tersimpan")
    assert "Logo bukan gambar" in response.content.decode()
    with scopes_disabled():
        world.org.refresh_from_db()
    assert not world.org.logo and world.org.description == ""


def test_logo_over_two_megabytes_is_refused(world):
    buffer = io.BytesIO()
    Image.frombytes("RGB", (1000, 1000), os.urandom(3_000_000)).save(buffer, "PNG")
    assert buffer.tell() > 2 * 1024 * 1024
    response = edit(world, logo=SimpleUploadedFile("besar.png", buffer.getvalue(), content_type="image/png"))
    assert "Logo lebih besar dari 2 MB" in response.content.decode()
    with scopes_disabled():
        world.org.refresh_from_db()
    assert not world.org.logo


def test_small_logo_is_accepted(world):
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), "green").save(buffer, "PNG")
    response = edit(world, logo=SimpleUploadedFile("logo.png", buffer.getvalue(), content_type="image/png"))
    assert response.status_code == 302
    with scopes_disabled():
        world.org.refresh_from_db()
    assert world.org.logo.name.startswith("logos/")


def test_duplicate_organisation_name_is_refused_whatever_the_case(world):
    response = world.client_for(world.tenant_admin).post(
        reverse("stakeholders:organization_create", args=["diy"]),
        {"name": "universitas contoh  yogyakarta", "helix": "campus", "admin_email": "rektor@contoh.ac.id"})
    assert "Lembaga bernama “universitas contoh yogyakarta” sudah terdaftar di provinsi ini" in \
        response.content.decode()
    with scopes_disabled():
        assert Organization.objects.filter(tenant=world.tenant).count() == 2
        assert not Invitation.objects.exists()
    # the same name in another province is fine
    assert edit(world, name="Komunitas Batik Surakarta").status_code == 302


def test_renaming_to_an_existing_name_is_refused(world):
    response = edit(world, name=world.other_org.name)
    assert "sudah terdaftar di provinsi ini" in response.content.decode()


def test_invalid_first_admin_email_saves_no_organisation(world):
    response = world.client_for(world.tenant_admin).post(
        reverse("stakeholders:organization_create", args=["diy"]),
        {"name": "Lembaga Setengah Jadi", "helix": "media", "admin_email": "bukan email"})
    assert "Masukkan alamat e-mail yang valid" in response.content.decode()
    with scopes_disabled():
        assert not Organization.objects.filter(name="Lembaga Setengah Jadi").exists()


def test_service_rolls_back_the_organisation_when_the_invitation_fails(world):
    with scope(tenant=world.tenant), pytest.raises(ValidationError):
        services.organization_create(tenant=world.tenant, by=world.tenant_admin, name="Lembaga Gagal",
                                     helix="media", admin_email="a@b", site_url="http://testserver/")
    with scopes_disabled():
        assert not Organization.objects.filter(name="Lembaga Gagal").exists()
        assert not AuditEvent.objects.exists()


def test_duplicate_registration_request_is_refused(world):
    client = world.client_for(world.nobody)
    url = reverse("stakeholders:request", args=["diy"])
    client.post(url, {"name": "Koperasi Baru", "helix": "business"})
    response = client.post(url, {"name": "koperasi baru", "helix": "business"})
    assert "sudah menunggu keputusan" in response.content.decode()
    response = client.post(url, {"name": world.org.name, "helix": "government"})
    assert "sudah terdaftar di provinsi ini" in response.content.decode()
