"""Enrolment pages: the participants page of a program, the picker, status updates (routes umkm:enroll…)."""

import datetime as dt

import pytest
from django.urls import reverse
from django_scopes import scope

from tests.programs.conftest import make_program
from tests.umkm.conftest import A, B, C, enrol, enroll_url, make_business, report
from umkm.scale import MILIAR


def test_enrolment_page_warns_naming_the_other_program(world, three):
    other = make_program(world, owner=world.other_org, status="approved", title="Workshop Jualan Online")
    enrol(other, B)
    program = make_program(world)
    client = world.client_for(world.staff)
    page = client.post(enroll_url(program), {"nibs": f"{A}\n{B}\n{C}"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Workshop Jualan Online" in page and other.ref in page
    assert "3 UMKM didaftarkan" in page
    with scope(tenant=world.tenant):
        assert program.enrollments.count() == 3


@pytest.mark.parametrize(("who", "allowed"), [
    ("staff", True), ("org_admin", True), ("tenant_admin", True), ("colleague", False),
])
def test_who_may_enrol(world, three, who, allowed):
    program = make_program(world, status="submitted")
    response = world.client_for(getattr(world, who)).post(enroll_url(program), {"nibs": A})
    assert (response.status_code == 302) is allowed
    with scope(tenant=world.tenant):
        assert program.enrollments.exists() is allowed


def test_status_and_attendance_update_and_remove(world, three):
    program = make_program(world, target_umkm=1)
    (enrollment,) = enrol(program, A)
    client = world.client_for(world.staff)
    url = reverse("umkm:enrollment_update", args=["diy", enrollment.pk])
    client.post(url, {"status": "attended", "attendance": "3"})
    enrollment.refresh_from_db()
    assert (enrollment.status, enrollment.attendance) == ("attended", 3)
    assert world.client_for(world.colleague).post(url, {"remove": "1"}).status_code == 404  # draft of world.org
    client.post(url, {"remove": "1"})
    with scope(tenant=world.tenant):
        assert not program.enrollments.exists()


def test_program_participants_page_shows_the_summary(world):
    program = make_program(world, status="completed", start_date=dt.date(2025, 3, 10),
                           end_date=dt.date(2025, 3, 12))
    business = make_business(world.tenant, A)
    enrol(program, business)
    report(business, dt.date(2025, 3, 1), 1 * MILIAR)
    report(business, dt.date(2025, 6, 1), 3 * MILIAR)
    page = world.client_for(world.staff).get(enroll_url(program)).content.decode()
    assert "1 / 1" in page and "Rp2.000.000.000" in page


def test_shared_participants_raise_an_overlap_flag_after_enrolment(world, three, django_capture_on_commit_callbacks):
    import json

    from programs.overlap_models import OverlapFlag

    dates = {"start_date": dt.date(2025, 5, 1), "end_date": dt.date(2025, 6, 30)}
    ours = make_program(world, status="running", title="Klinik Keuangan", description="Konsultasi arus kas.",
                        kinds=["pembiayaan"], **dates)
    theirs = make_program(world, owner=world.other_org, status="running", title="Sosialisasi Kredit",
                          description="Syarat dan simulasi angsuran.", kinds=["pembiayaan", "pelatihan"],
                          sectors=["umum"], **dates)
    enrol(theirs, A, B, C)
    with scope(tenant=world.tenant):
        assert not OverlapFlag.objects.involving(ours).exists()  # different texts: no flag on their own
    with django_capture_on_commit_callbacks(execute=True):
        world.client_for(world.staff).post(enroll_url(ours), {"nibs": f"{A}\n{B}\n{C}"})
    with scope(tenant=world.tenant):
        flag = OverlapFlag.objects.involving(ours).get()
    assert {flag.program_a_id, flag.program_b_id} == {ours.pk, theirs.pk}
    assert "shared_businesses" in json.dumps(flag.reasons)
