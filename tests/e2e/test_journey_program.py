"""Journey (issue 4): Ibu Rina registers a program and saves a draft; her head of division submits it; the
program is then in the list and on the timeline.
"""

import datetime

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TITLE = "Pelatihan Pengemasan Bakpia untuk Toko Oleh-oleh"
YEAR = datetime.date.today().year + 1


def sign_out(page):
    page.get_by_role("button", name="Keluar").click()


def test_staff_registers_saves_draft_head_submits_and_finds_it(page, demo, login):
    login(page, "staf.sleman@satusama.test")
    page.goto(f"{demo}/diy/program/")
    page.get_by_role("link", name="Daftarkan program").click()
    page.get_by_label("Judul").fill(TITLE)
    page.get_by_label("Deskripsi").fill("Tiga hari praktik kemasan yang tahan dibawa pulang wisatawan.")
    page.locator("input[name=kinds][value=pelatihan]").check()
    page.locator("input[name=kinds][value=produksi]").check()
    page.locator("input[name=sectors][value=kuliner]").check()
    page.get_by_label("Sleman").check()
    page.locator("input[name=start_date]").fill(f"{YEAR}-03-10")
    # Typing an end before the start is answered at once, before saving.
    page.locator("input[name=end_date]").fill(f"{YEAR}-03-01")
    page.locator("#errors-end_date").get_by_text("tidak boleh sebelum tanggal mulai").wait_for()
    page.locator("input[name=end_date]").fill(f"{YEAR}-03-12")
    page.locator("#errors-end_date").get_by_text("tidak boleh sebelum").wait_for(state="detached")
    page.locator("input[name=target_umkm]").fill("40")
    page.locator("input[name=budget_idr]").fill("45000000")
    page.locator("input[name=contact_name]").fill("Rina Wulandari")
    page.locator("input[name=contact_phone]").fill("0274 868405")
    page.get_by_role("button", name="Simpan sebagai draf").click()

    page.wait_for_url(f"{demo}/diy/program/PRG-*/")  # numbered by the year it is registered in
    ref = page.url.rstrip("/").rsplit("/", 1)[1]
    assert page.locator("h1").inner_text() == TITLE
    assert page.locator(".badge.status").inner_text() == "Draf"
    assert page.get_by_role("button", name="Ajukan").count() == 0  # staff save; the head of division submits
    sign_out(page)

    login(page, "kabid.sleman@satusama.test")
    page.goto(f"{demo}/diy/program/{ref}/")
    page.get_by_role("button", name="Ajukan").click()
    page.get_by_text("Status diubah menjadi “Diajukan”.").wait_for()
    assert page.locator(".badge.status").inner_text() == "Diajukan"

    page.goto(f"{demo}/diy/program/")
    results = page.locator("#program-results")
    other = results.get_by_role("link", name="Gebyar QRIS Pedagang Pasar Tradisional se-DIY")
    assert other.is_visible()
    page.get_by_label("Cari").press_sequentially("kemasan bakpia", delay=30)  # the results follow the typing
    other.wait_for(state="detached")
    assert results.get_by_role("link", name=TITLE).is_visible()
    assert "q=kemasan%20bakpia" in page.url  # the filtered list has its own URL
    page.get_by_label("Status").select_option("submitted")
    page.wait_for_url("**status=submitted*")
    page.locator("#program-results").get_by_role("link", name=TITLE).click()
    page.wait_for_url(f"{demo}/diy/program/{ref}/")

    page.goto(f"{demo}/diy/program/linimasa/?year={YEAR}&region=34.04")
    bar = page.locator("a.tl-bar", has_text=TITLE)
    assert bar.is_visible()
    assert "tl-s-3" in bar.get_attribute("class") and "tl-kind-pelatihan" in bar.get_attribute("class")
    page.get_by_role("link", name="Tampilkan sebagai tabel (aksesibel)").click()
    row = page.get_by_role("row", name=TITLE)
    assert "Diajukan" in row.inner_text()
