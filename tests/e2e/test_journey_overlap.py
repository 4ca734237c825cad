"""Issue 9 part 1 (a), (b), (f), after scenarios.md 1 and 2, in a real browser: registering a program beside the
live "similar programs" panel and submitting it (in Indonesian and in English), then a second organisation's
overlapping program raising a flag on both programs that their owners resolve together."""

import re

import pytest
from django.core import mail
from django_scopes import scope, scopes_disabled

from programs.models import OverlapFlag, Program
from stakeholders.models import Tenant

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# What journey (a) reads on the screen, per language (the UI is Indonesian unless English is chosen).
WORDS = {
    "id": {"similar": "Program serupa",
           "would_flag": "akan ditandai tumpang tindih", "topic": "topik sama: pemasaran digital",
           "save": "Simpan sebagai draf", "submit": "Ajukan", "submitted": "Diajukan",
           "flags": "Peringatan tumpang tindih", "region": "wilayah sama: Sleman"},
    "en": {"similar": "Similar programs",
           "would_flag": "would be flagged as an overlap", "topic": "same topic: pemasaran digital",
           "save": "Save as draft", "submit": "Submit", "submitted": "Submitted",
           "flags": "Overlap flags", "region": "same region: Sleman"},
}


def fill_program(page, *, title, description, kinds, sectors, regions, start, end):
    """Type into the program form as a person does: key by key, so the live panel reacts to typing."""
    page.locator("#id_title").press_sequentially(title, delay=5)
    page.locator("#id_description").fill(description)
    for kind in kinds:
        page.locator(f"input[name=kinds][value={kind}]").check()
    for sector in sectors:
        page.locator(f"input[name=sectors][value={sector}]").check()
    for region in regions:
        page.locator("#id_regions").get_by_label(region, exact=True).check()
    page.locator("#id_start_date").fill(start)
    page.locator("#id_end_date").fill(end)
    page.locator("#id_target_umkm").fill("40")
    page.locator("#id_budget_idr").fill("45000000")
    page.locator("#id_contact_name").fill("Rina Wulandari")
    page.locator("#id_contact_phone").fill("0274 868405")


@pytest.mark.parametrize("lang", ["id", "en"])
def test_staff_registers_a_program_beside_the_similar_programs_panel_and_it_is_submitted(page, demo, login, lang):
    words = WORDS[lang]
    # Ibu Rina, staff of the Sleman Dinas, plans a digital-marketing training for culinary businesses.
    login(page, "staf.sleman@satusama.test", lang=lang)
    with scopes_disabled():
        programs_before = Program.objects.count()
    page.goto(f"{demo}/diy/program/baru/")
    page.locator("#id_title").press_sequentially("Pelatihan Pemasaran Digital", delay=20)
    # While she types, the side panel already shows the campus workshop on selling online (nothing saved yet).
    panel = page.locator("#similar-programs")
    panel.get_by_role("heading", name=words["similar"]).wait_for()
    assert panel.get_by_text("Workshop Jualan Online untuk Usaha Makanan").is_visible()
    with scopes_disabled():
        assert Program.objects.count() == programs_before

    page.locator("#id_title").fill("")
    fill_program(page, title="Pelatihan Pemasaran Digital bagi UMKM Kuliner Sleman",
                 description="Pelatihan tiga hari berjualan lewat media sosial dan marketplace untuk usaha makanan.",
                 kinds=["pelatihan", "digitalisasi"], sectors=["kuliner"], regions=["Sleman"],
                 start="2025-03-10", end="2025-03-12")
    # With place and time typed, the panel says the workshop would be flagged, and why.
    panel.get_by_text(words["would_flag"]).first.wait_for()
    campus_item = panel.locator("li", has_text="Workshop Jualan Online untuk Usaha Makanan").first
    assert words["region"] in campus_item.inner_text() and words["topic"] in campus_item.inner_text()
    page.wait_for_load_state("networkidle")  # the panel's and the form's htmx requests have answered
    page.get_by_role("button", name=words["save"]).click()
    page.wait_for_url(re.compile(r"/diy/program/PRG-\d{4}-\d{4}/$"))
    ref = page.url.rstrip("/").rsplit("/", 1)[1]
    page.context.clear_cookies()

    # Her head of division submits the draft.
    login(page, "kabid.sleman@satusama.test", lang=lang)
    mail.outbox.clear()
    page.goto(f"{demo}/diy/program/{ref}/")
    page.locator("form.transition", has=page.get_by_role("button", name=words["submit"], exact=True)).get_by_role(
        "button", name=words["submit"], exact=True).click()
    page.wait_for_url(re.compile(rf"/diy/program/{ref}/$"))
    assert words["submitted"] in page.locator("main").inner_text()
    # The submitted program is checked at once: its page lists the overlap with the campus workshop.
    page.reload()
    flags_card = page.locator("#overlap-flags-card")
    assert words["flags"] in flags_card.inner_text()
    assert "Workshop Jualan Online untuk Usaha Makanan" in flags_card.inner_text()
    # Both organisations are told by e-mail.
    recipients = {address for message in mail.outbox for address in message.to}
    assert {"kabid.sleman@satusama.test", "staf.kampus@satusama.test"} <= recipients


def test_second_organisation_overlaps_and_both_owners_resolve_the_flag_by_collaborating(page, demo, login):
    # The campus LPPM head registers a halal certification clinic like the Sleman Dinas's (PRG-2026-0001).
    login(page, "lppm.kampus@satusama.test")
    page.goto(f"{demo}/diy/program/baru/")
    fill_program(page, title="Kelas Sertifikasi Halal Gratis untuk Usaha Makanan",
                 description="Mahasiswa mendampingi usaha mikro pangan mengurus sertifikat halal lewat self declare.",
                 kinds=["sertifikasi", "pendampingan"], sectors=["kuliner"], regions=["Sleman"],
                 start="2026-02-09", end="2026-03-20")
    panel = page.locator("#similar-programs")
    panel.get_by_text("Klinik Sertifikasi Halal Self-Declare").first.wait_for()
    mail.outbox.clear()
    page.wait_for_load_state("networkidle")  # the panel's and the form's htmx requests have answered
    page.get_by_role("button", name="Simpan dan ajukan").click()
    page.wait_for_url(re.compile(r"/diy/program/PRG-\d{4}-\d{4}/$"))
    campus_ref = page.url.rstrip("/").rsplit("/", 1)[1]
    flags_card = page.locator("#overlap-flags-card")
    assert "PRG-2026-0001" in flags_card.inner_text()
    recipients = {address for message in mail.outbox for address in message.to}
    assert {"staf.sleman@satusama.test", "lppm.kampus@satusama.test"} <= recipients
    page.context.clear_cookies()

    # Ibu Rina at the Dinas finds the new flag among her tasks, compares both programs and proposes to merge.
    login(page, "staf.sleman@satusama.test")
    task = page.locator("#tasks-flags li", has_text=campus_ref)
    task.get_by_role("link", name=re.compile("PRG-2026-0001")).first.click()
    page.wait_for_url(f"{demo}/diy/program/PRG-2026-0001/")
    own_flag = page.locator("#overlap-flags-card li.overlap-flag", has_text=campus_ref)
    own_flag.get_by_role("link", name=re.compile("^Bandingkan dan")).click()
    page.wait_for_url(re.compile(r"/tumpang-tindih/\d+/$"))
    assert page.locator("table.overlap-compare mark").count() > 0
    assert "wilayah sama: Sleman" in page.locator("main").inner_text()
    page.get_by_label("Kolaborasi: gabungkan menjadi satu program").check()
    page.get_by_label("Program saya PRG-2026-0001 dilanjutkan").check()
    page.get_by_label(re.compile("Catatan")).fill("Kita jalankan bersama, mahasiswa jadi pendamping lapangan.")
    page.get_by_role("button", name="Kirim tindak lanjut").click()
    assert page.get_by_text("Usulan Anda telah dikirim").is_visible()
    page.context.clear_cookies()

    # Pak Arif, campus staff (not its admin), accepts (scenarios.md 2): one joint program, the campus becomes a
    # partner, its own program is withdrawn.
    login(page, "staf.kampus@satusama.test")
    page.goto(f"{demo}/diy/program/{campus_ref}/")
    page.locator("#overlap-flags-card li.overlap-flag", has_text="PRG-2026-0001").get_by_role(
        "link", name=re.compile("^Bandingkan dan")).click()
    page.get_by_role("button", name="Terima dan gabungkan").click()
    page.wait_for_url(f"{demo}/diy/program/PRG-2026-0001/")
    assert "Universitas Contoh Yogyakarta" in page.locator("main").inner_text()
    page.goto(f"{demo}/diy/program/{campus_ref}/")
    main = page.locator("main").inner_text()
    assert "Ditarik" in main
    # the withdrawn program links to the joint one
    page.locator("#overlap-flags-card a[href$='/program/PRG-2026-0001/']").click()
    page.wait_for_url(f"{demo}/diy/program/PRG-2026-0001/")
    with scopes_disabled():
        tenant = Tenant.objects.get(slug="diy")
    with scope(tenant=tenant):
        flag = OverlapFlag.objects.get(program_a__ref__in=[campus_ref, "PRG-2026-0001"],
                                       program_b__ref__in=[campus_ref, "PRG-2026-0001"])
        assert flag.resolution == OverlapFlag.Resolution.COLLABORATE
