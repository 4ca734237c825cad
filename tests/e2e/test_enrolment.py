"""Journey: staff enrol three businesses by NIB in their program; one is already in an overlapping program."""

import datetime as dt
import os
import re

import pytest
from django_scopes import scope

from tests.conftest import PASSWORD
from tests.e2e.layout import sideways_overflow
from tests.programs.conftest import make_program
from tests.umkm.conftest import make_business
from umkm.models import Enrollment
from umkm.services import enroll_by_nibs

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NIBS = ["3404000000001", "3404000000002", "3404000000003"]
SHOTS = os.environ.get("SATUSAMA_SHOTS")  # a folder: save screenshots of the pages to look at them


def shot(page, name):
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def test_staff_enrol_three_businesses_by_nib_and_are_warned_about_one(page, live_server, login, world):
    ours = make_program(world, status="approved", start_date=dt.date(2025, 3, 10), end_date=dt.date(2025, 3, 12),
                        kinds=["pelatihan", "digitalisasi"], target_umkm=40)
    theirs = make_program(world, owner=world.other_org, status="approved", title="Workshop Jualan Online",
                          start_date=dt.date(2025, 3, 11), end_date=dt.date(2025, 3, 13), kinds=["pelatihan"])
    names = ["Bakpia Pathok Sari", "Gudeg Yu Warni", "Kopi Merapi Lestari"]
    for nib, name in zip(NIBS, names, strict=True):
        make_business(world.tenant, nib, name)
    with scope(tenant=world.tenant):
        enroll_by_nibs(program=theirs, nibs=[NIBS[1]])

    # Ibu Rina signs in and opens her program's participants from the program page.
    login(page, world.staff.email, password=PASSWORD)
    page.goto(f"{live_server.url}/diy/program/{ours.ref}/")
    assert page.locator("#program-umkm").get_by_text("0 dari 40").is_visible()
    page.locator("#program-umkm").get_by_role("link", name="Kelola peserta").click()
    page.wait_for_url(re.compile(rf"/diy/umkm/program/{ours.ref}/peserta/$"))

    # She types each NIB in the picker and enrols the business it finds.
    for nib, name in zip(NIBS, names, strict=True):
        page.get_by_label("Cari UMKM berdasarkan NIB atau nama").fill(nib)
        page.get_by_role("button", name=f"Daftarkan {name}").click()
        page.locator("#enrollments td", has_text=name).wait_for()
        warning = page.get_by_test_id("double-enrolment")
        if nib == NIBS[1]:
            # The second one is already in the campus's overlapping workshop: she is told which one.
            assert warning.is_visible()
            text = warning.inner_text()
            assert f"NIB {nib} sudah terdaftar di" in text and theirs.ref in text and "Workshop Jualan Online" in text
            shot(page, "enrol-warning-1280")
        else:
            assert warning.count() == 0

    assert page.locator("#enrollments-title").get_by_text("3 dari 40").is_visible()
    row = page.locator("#enrollments tr", has_text=names[1])
    assert row.get_by_text("juga di program lain").is_visible()
    page.set_viewport_size({"width": 360, "height": 800})
    shot(page, "enrol-360")
    assert sideways_overflow(page) == []
    with scope(tenant=world.tenant):
        enrolled = Enrollment.objects.filter(program=ours).order_by("business__nib")
        assert [e.business.nib for e in enrolled] == NIBS
        assert [bool(e.warning) for e in enrolled] == [False, True, False]
