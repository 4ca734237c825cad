"""Correcting a mistyped NIB on the business page (route umkm:nib_correct): who may, the checks, the record kept."""

import pytest
from django.urls import reverse
from django_scopes import scope

from tests.programs.conftest import make_program
from tests.umkm.conftest import enrol, make_business
from umkm.models import Business, NibCorrection

RIGHT = "3471000000099"


def correct_url(nib):
    return reverse("umkm:nib_correct", args=["diy", nib])


def detail_url(nib):
    return reverse("umkm:detail", args=["diy", nib])


def test_tenant_admin_corrects_a_nib_and_the_record_keeps_the_old_one(world, bakpia):
    client = world.client_for(world.tenant_admin)
    assert "Koreksi NIB" in client.get(detail_url(bakpia.nib)).content.decode()
    response = client.post(correct_url(bakpia.nib), {"new_nib": " 3471 0000 00099 ",
                                                     "reason": "Satu angka salah ketik; dicek di sertifikat OSS."})
    assert response.status_code == 302 and response["Location"] == detail_url(RIGHT)
    with scope(tenant=world.tenant):
        business = Business.objects.get(pk=bakpia.pk)
        (correction,) = NibCorrection.objects.all()
    assert business.nib == RIGHT
    assert (correction.business_id, correction.old_nib, correction.new_nib, correction.corrected_by) == (
        bakpia.pk, "3471000000001", RIGHT, world.tenant_admin)
    page = " ".join(client.get(detail_url(RIGHT)).content.decode().split())
    assert "dikoreksi dari 3471000000001 menjadi 3471000000099" in page and "Dewi Lestari" in page
    assert "sertifikat OSS" in page
    # a link with the old NIB leads to the corrected record; an NIB never used stays a 404
    assert client.get(detail_url("3471000000001"))["Location"] == detail_url(RIGHT)
    assert client.get(detail_url("3471000000002")).status_code == 404


@pytest.mark.parametrize(("new_nib", "reason", "message"), [
    ("347100000009", "salah ketik", "tepat 13 angka"),
    ("34710000000AB", "salah ketik", "tepat 13 angka"),
    ("3404000000005", "salah ketik", "sudah terdaftar atas nama Gudeg Yu Djum"),
    ("3471000000001", "salah ketik", "sudah NIB usaha ini"),
    (RIGHT, "   ", "tidak boleh kosong"),
])
def test_bad_corrections_are_refused_with_a_message_and_change_nothing(world, bakpia, new_nib, reason, message):
    make_business(world.tenant, "3404000000005", "Gudeg Yu Djum")
    response = world.client_for(world.tenant_admin).post(correct_url(bakpia.nib),
                                                         {"new_nib": new_nib, "reason": reason})
    assert response.status_code == 200
    assert message in response.content.decode()
    with scope(tenant=world.tenant):
        assert Business.objects.get(pk=bakpia.pk).nib == "3471000000001"
        assert not NibCorrection.objects.exists()


def test_the_service_refuses_an_empty_reason(world, bakpia):
    from django.core.exceptions import ValidationError

    from umkm.services import correct_nib

    with scope(tenant=world.tenant), pytest.raises(ValidationError):
        correct_nib(business=bakpia, new_nib=RIGHT, reason=" ", by=world.tenant_admin)


@pytest.mark.parametrize(("who", "shared", "expected"), [
    ("tenant_admin", True, 302),
    ("org_admin", False, 302),  # the only organisation that enrolled it
    ("org_admin", True, 403),  # another organisation enrolled it too: the province's administrators correct it
    ("staff", False, 403),
    ("colleague", False, 403),
    ("outsider", False, 404),  # tenant B
])
def test_who_may_correct_a_nib(world, bakpia, who, shared, expected):
    enrol(make_program(world, status="running"), bakpia)
    if shared:
        enrol(make_program(world, owner=world.other_org, status="running", title="Klinik Kampus"), bakpia)
    client = world.client_for(getattr(world, who))
    response = client.post(correct_url(bakpia.nib), {"new_nib": RIGHT, "reason": "salah ketik"})
    assert response.status_code == expected
    with scope(tenant=world.tenant):
        assert Business.objects.get(pk=bakpia.pk).nib == (RIGHT if expected == 302 else "3471000000001")
    if expected != 404:
        assert ("Koreksi NIB" in client.get(detail_url(bakpia.nib if expected != 302 else RIGHT)).content.decode()) \
            is (expected == 302)


def test_org_admin_without_enrolment_may_not_correct(world, bakpia):
    assert world.client_for(world.org_admin).get(correct_url(bakpia.nib)).status_code == 403
