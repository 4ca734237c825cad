"""Journey (scenario 4): the Dinas admin adds a priority with a target, links a program, sees the coverage change."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TITLE = "Sertifikasi halal UMKM pangan"


def cell(where, year: int, column: int):
    """A number of the yearly coverage table in `where` (a page or a card): column 1 = target UMKM, 2 = planned."""
    page = getattr(where, "page", where)
    row = where.locator("table.coverage-years tbody tr").filter(has=page.locator("th", has_text=str(year)))
    return row.locator("td").nth(column - 1)


def gap_text(page) -> str:
    """The gaps of a coverage page as a reader sees them, after opening "show all" when the list is folded."""
    more = page.locator("#gaps details.gaps-more")
    if more.count():
        more.locator("summary").click()
        expect(more).to_have_attribute("open", "")
    return page.locator("#gaps").inner_text()


def test_dinas_admin_adds_a_priority_links_a_program_and_sees_coverage_change(page, demo, login):
    # Ibu Dewi of the provincial Dinas opens the roadmap.
    login(page, "admin.dinas@satusama.test")
    page.get_by_role("navigation").get_by_role("link", name="Peta jalan").click()
    assert "Peta Jalan Pengembangan UMKM DIY 2023–2027" in page.locator("h1").inner_text()

    # She adds a priority inline (htmx): halal certification for food businesses in Gunungkidul.
    page.get_by_role("link", name="Tambah prioritas").click()
    form = page.locator("#priority-form-new")
    form.get_by_label("Judul").fill(TITLE)
    form.get_by_role("group", name="Jenis bantuan").get_by_label("Sertifikasi").check()
    form.get_by_role("group", name="Sektor").get_by_label("Kuliner / Makanan-Minuman").check()
    form.get_by_role("group", name="Kabupaten/kota sasaran").get_by_label("Gunungkidul").check()
    form.get_by_role("button", name="Simpan").click()
    card = page.locator("li.priority", has=page.get_by_role("link", name=TITLE, exact=True))
    card.wait_for()
    assert page.locator("#priority-form-new").count() == 0

    # Then its yearly target for 2025: 200 businesses through 2 programs.
    card.get_by_role("link", name="Target tahunan").click()
    targets = page.locator("form[id^=targets-form]")
    targets.get_by_label("UMKM terjangkau 2025").fill("200")
    targets.get_by_label("program 2025", exact=True).fill("2")
    targets.get_by_label("anggaran (rupiah) 2025", exact=True).fill("150000000")
    targets.get_by_role("button", name="Simpan").click()
    card = page.locator("li.priority", has=page.get_by_role("link", name=TITLE, exact=True))
    expect(cell(card, 2025, 1)).to_have_text("200")

    # The coverage page: nothing planned yet, and the gap says so in words.
    card.get_by_role("link", name=TITLE, exact=True).click()
    assert page.locator("h1").inner_text() == TITLE
    expect(cell(page, 2025, 1)).to_have_text("200")
    expect(cell(page, 2025, 2)).to_have_text("0")
    gaps = gap_text(page)
    assert "Gunungkidul: belum ada program Sertifikasi halal UMKM pangan untuk 2025" in gaps
    assert "2025: 0 dari target 2 program" in gaps

    # She links a 2025 program the page offers (same kind of assistance or sector; the first one listed).
    select = page.get_by_label("Kaitkan program dengan prioritas ini")
    label = select.locator("option", has_text=re.compile(r"^PRG-2025-\d+ — ")).first.inner_text()
    ref = label.split(" — ")[0]
    select.select_option(label=label)
    page.get_by_role("button", name="Kaitkan", exact=True).click()
    assert page.get_by_text(f"{ref} sekarang dihitung untuk prioritas ini.").is_visible()

    # Coverage changed by itself: one program in 2025 and its planned UMKM, the program listed.
    linked = page.locator("table", has=page.get_by_role("link", name=re.compile(ref)))
    assert linked.get_by_role("link", name=re.compile(ref)).is_visible()
    target_umkm = linked.locator("tr", has=page.get_by_role("link", name=re.compile(ref))).locator("td").nth(3)
    planned = int(target_umkm.inner_text())
    assert planned > 0
    expect(cell(page, 2025, 2)).to_have_text(str(planned))
    gaps = gap_text(page)
    assert "2025: 0 dari target 2 program" not in gaps
    assert "2025: 1 dari target 2 program" in gaps

    # Back on the roadmap page, the priority's card shows the same numbers.
    page.get_by_role("link", name="← Peta Jalan Pengembangan UMKM DIY 2023–2027").click()
    card = page.locator("li.priority", has=page.get_by_role("link", name=TITLE, exact=True))
    expect(cell(card, 2025, 2)).to_have_text(str(planned))


def test_dinas_admin_deletes_a_strategy_after_seeing_what_goes_with_it(page, demo, login):
    from django_scopes import scopes_disabled

    from roadmap.models import ArahKebijakan, Strategi

    with scopes_disabled():
        strategi = Strategi.objects.filter(arah_kebijakan__isnull=False).first()
        followers = list(ArahKebijakan.objects.filter(strategi=strategi).values_list("pk", flat=True))
    assert followers
    login(page, "admin.dinas@satusama.test")
    page.goto(f"{demo}/diy/rpjmd/")

    # "Hapus" opens the confirmation in place: the policy directions under the strategy go with it.
    page.locator(f"a[href$='/rpjmd/strategi/{strategi.pk}/hapus/']").click()
    confirm = page.locator(f"#delete-strategi-{strategi.pk}")
    expect(confirm).to_contain_text(f"Hapus strategi {strategi.code}?")
    expect(confirm).to_contain_text(f"Arah kebijakan: {len(followers)}")
    confirm.get_by_role("button", name="Ya, hapus").click()

    # The RPJMD page comes back without it, and says so.
    expect(page.get_by_text(f"{strategi.code} telah dihapus.")).to_be_visible()
    assert page.locator(f"a[href$='/rpjmd/strategi/{strategi.pk}/hapus/']").count() == 0
    with scopes_disabled():
        assert not Strategi.objects.filter(pk=strategi.pk).exists()
        assert not ArahKebijakan.objects.filter(pk__in=followers).exists()
