"""The Dinas admin reads the roadmap on a 360 px phone: wide tables scroll inside their frame, the page never
scrolls sideways — dashboard, roadmap, a priority's coverage (gaps unfolded), the RPJMD with a delete confirmation."""

import os

import pytest

from tests.e2e.layout import sideways_overflow

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("SATUSAMA_SHOTS")  # a folder: save screenshots of the pages to look at them


def check(phone, name):
    if SHOTS:
        phone.screenshot(path=f"{SHOTS}/{name}-360.png", full_page=True)
    assert sideways_overflow(phone) == [], name


def test_roadmap_pages_fit_a_phone(phone, demo, login):
    login(phone, "admin.dinas@satusama.test")
    check(phone, "dashboard")

    phone.goto(f"{demo}/diy/peta-jalan/")
    assert phone.locator("li.priority table.coverage-years").count() >= 5
    check(phone, "roadmap")

    # The coverage page of the first priority: the yearly, outcomes, programs and region tables are wider than
    # the phone; each scrolls in its own frame.
    phone.locator("li.priority h3 a").first.click()
    phone.locator("#gaps").wait_for()
    wide = phone.evaluate("[...document.querySelectorAll('.table-wrap')].filter(w => w.scrollWidth > w.clientWidth)"
                          ".length")
    assert wide >= 1  # the check below is not vacuous: a table really is wider than the screen
    more = phone.locator("#gaps details.gaps-more summary")
    if more.count():
        more.click()
    check(phone, "priority")

    # The RPJMD page with a delete confirmation open under a sasaran (htmx).
    phone.goto(f"{demo}/diy/rpjmd/")
    sasaran = phone.locator(".rpjmd-sasaran").first
    sasaran.locator(".node-actions").first.get_by_role("link", name="Hapus").click()
    sasaran.locator(".confirm-delete").wait_for()
    assert "belum dapat dihapus" in sasaran.locator(".confirm-delete").inner_text()  # demo achievements
    check(phone, "rpjmd-delete")
