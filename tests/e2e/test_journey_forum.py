"""Journey (scenarios.md §3): the Sleman forum secretary builds an agenda from the review queue, records
attendance and decisions, closes the meeting and downloads the three meeting PDFs."""

import re
import subprocess
from datetime import date, timedelta

import pytest
from django.utils import timezone
from django_scopes import scope

from forums.models import Meeting
from programs.models import Program
from tests.conftest import PASSWORD
from tests.forums.conftest import ForumWorld

PDFTOTEXT = "/usr/bin/pdftotext"  # poppler-utils
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PROGRAMS = [
    # (title, kinds, sectors)
    ("Pelatihan Pemasaran Digital bagi UMKM Kuliner", ["pelatihan", "digitalisasi"], ["kuliner"]),
    ("Pendampingan Sertifikasi Halal Bakpia", ["sertifikasi"], ["kuliner"]),
    ("Fasilitasi Pameran Kerajinan Bambu", ["pameran"], ["kriya"]),
]


def pdf_pages(page, base, link_name) -> list[str]:
    """Download the PDF behind a link on the page with the user's session; each page's text as pdftotext reads
    it, whitespace folded (table cells wrap their words over lines)."""
    href = page.get_by_role("link", name=re.compile(link_name)).get_attribute("href")
    response = page.request.get(base + href)
    assert response.status == 200, response.status
    assert response.headers["content-type"] == "application/pdf"
    body = response.body()
    assert body.startswith(b"%PDF-")
    out = subprocess.run([PDFTOTEXT, "-", "-"], input=body, capture_output=True, check=True)  # noqa: S603
    return [" ".join(text.split()) for text in out.stdout.decode().split("\f") if text.strip()]


def pdf_text(page, base, link_name) -> str:
    return "\n".join(pdf_pages(page, base, link_name))


@pytest.fixture
def fw(world):
    return ForumWorld(world)


@pytest.fixture
def waiting(fw):
    # Months apart: the overlap check (which runs on commit here) has nothing to flag between them.
    return [fw.program(title=title, kinds=kinds, sectors=sectors, start_date=date(2027, 2 + 3 * n, 1),
                       end_date=date(2027, 2 + 3 * n, 20))
            for n, (title, kinds, sectors) in enumerate(PROGRAMS)]


def test_secretary_builds_the_agenda_records_the_meeting_and_downloads_the_pdfs(page, live_server, login, fw, waiting):
    base = live_server.url
    # Pak Budi, secretary of the Sleman forum, signs in and opens his forum.
    login(page, "sekretaris@satusama.test", password=PASSWORD)
    page.get_by_role("link", name="Forum Koordinasi").first.click()
    page.get_by_role("link", name="Forum Koordinasi SATUSAMA Kabupaten Sleman").click()

    # He plans next week's meeting; the forum's members are invited by themselves.
    day = timezone.localdate() + timedelta(days=7)
    page.get_by_label("Judul:", exact=True).fill("Rapat Peninjauan Program Triwulan I")
    page.get_by_label("Mulai:", exact=True).fill(f"{day.isoformat()}T09:00")
    page.get_by_label("Selesai:", exact=True).fill(f"{day.isoformat()}T12:00")
    page.get_by_label("Tempat:", exact=True).fill("Ruang Rapat Dinas Koperasi Sleman")
    page.get_by_role("button", name="Rencanakan rapat").click()
    number = f"01/FK-SLM/{day.year}"
    assert page.get_by_text(f"Rapat {number} direncanakan").is_visible()
    meeting_url = page.url

    # The review queue shows the three waiting programs; he puts them all on the agenda.
    page.get_by_role("link", name="Tambahkan program dari antrean peninjauan").click()
    for title, _kinds, _sectors in PROGRAMS:
        page.get_by_label(re.compile(re.escape(title))).check()
    page.get_by_role("button", name="Masukkan ke agenda").click()
    page.wait_for_url(re.compile(re.escape(meeting_url)))
    assert page.get_by_text(f"3 program dimasukkan ke agenda {number}").is_visible()
    agenda = page.locator("#agenda")
    for title, _kinds, _sectors in PROGRAMS:
        assert agenda.get_by_role("heading", name=re.compile(re.escape(title))).is_visible()
    with scope(tenant=fw.world.tenant):
        assert set(Program.objects.filter(pk__in=[p.pk for p in waiting]).values_list("status", flat=True)) == {
            "in_review"}

    # A free topic closes the agenda.
    page.get_by_label("Topik:", exact=True).fill("Lain-lain")
    page.get_by_role("button", name="Tambahkan ke agenda").click()
    assert agenda.get_by_role("heading", name="Lain-lain").is_visible()

    # Before the meeting he downloads the invitation and the attendance list to print them.
    invitation = pdf_text(page, base, "Unduh Undangan")
    assert number in invitation
    assert "Undangan rapat forum koordinasi" in invitation
    for title, _kinds, _sectors in PROGRAMS:
        assert title in invitation
    assert "Kepala Bidang" in invitation and "Halaman 1 dari 2" in invitation
    attendance_list = pdf_text(page, base, "Unduh Daftar Hadir")
    assert "DAFTAR HADIR" in attendance_list and number in attendance_list
    assert "Rina Wulandari" in attendance_list and "Tanda Tangan" in attendance_list

    # The meeting day comes: the meeting is under way.
    with scope(tenant=fw.world.tenant):
        now = timezone.now()
        Meeting.objects.filter(number=number).update(starts_at=now - timedelta(minutes=15),
                                                     ends_at=now + timedelta(hours=2))
    page.reload()

    # Attendance: two invitees are ticked, and a walk-in from the local radio is written in.
    page.get_by_role("button", name="Tandai hadir: Kepala Bidang").click()
    page.get_by_role("button", name="Tandai hadir: Rina Wulandari").click()
    page.locator("#attendance summary").click()
    page.locator("#attendance").get_by_label("Nama:", exact=True).fill("Wahyu Prasetyo")
    page.locator("#attendance").get_by_label("Lembaga:", exact=True).fill("Radio Komunitas Sleman")
    page.get_by_role("button", name="Tambahkan peserta").click()
    assert page.locator("#attendance h2").inner_text() == "Kehadiran (3)"

    # Minutes and a decision per program: one approved, one to revise, one rejected as a duplicate.
    outcomes = [("Disetujui", "", "Libatkan lembaga pendamping setempat."),
                ("Perlu Revisi", "Target peserta belum jelas.", ""),
                ("Ditolak", "Sama dengan program Bantul yang sudah berjalan.", "")]
    for (title, _kinds, _sectors), (label, reason, conditions) in zip(PROGRAMS, outcomes, strict=True):
        item = page.locator("#agenda li.card", has=page.get_by_role("heading", name=re.compile(re.escape(title))))
        item.get_by_label("Ringkasan pembahasan").fill(f"Pemilik program memaparkan {title}.")
        item.get_by_role("button", name="Simpan notulen").click()
        item = page.locator("#agenda li.card", has=page.get_by_role("heading", name=re.compile(re.escape(title))))
        item.get_by_label(label, exact=True).check()
        item.get_by_label("Syarat").fill(conditions)
        item.get_by_label("Alasan").fill(reason)
        item.get_by_role("button", name="Catat keputusan").click()
        assert page.get_by_text(f"Keputusan atas “{title}” dicatat.").is_visible()
    with scope(tenant=fw.world.tenant):
        statuses = dict(Program.objects.filter(pk__in=[p.pk for p in waiting]).values_list("title", "status"))
        assert statuses == {PROGRAMS[0][0]: "approved", PROGRAMS[1][0]: "needs_revision",
                            PROGRAMS[2][0]: "rejected"}
        event = waiting[0].events.order_by("-pk").first()
        assert number in event.reason and event.by_forum

    # He closes the meeting: the minutes are frozen and get a verification code.
    page.get_by_role("button", name="Tutup rapat dan bekukan notulen").click()
    message = page.get_by_text(re.compile("Rapat ditutup")).inner_text()
    code = re.search(r"[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}", message).group(0)
    assert page.get_by_role("button", name="Catat keputusan").count() == 0

    # The three documents, now final.
    assert "Wahyu Prasetyo" not in pdf_text(page, base, "Unduh Daftar Hadir")  # invitees + blank rows
    assert number in pdf_text(page, base, "Unduh Undangan")
    minutes_pages = pdf_pages(page, base, "Unduh Notulen")
    minutes = "\n".join(minutes_pages)
    assert "BERITA ACARA RAPAT" in minutes and number in minutes
    assert "3 orang hadir" in minutes and "Wahyu Prasetyo" in minutes
    for title, _kinds, _sectors in PROGRAMS:
        assert title in minutes
    for label, reason, conditions in outcomes:
        assert f"Keputusan: {label}" in minutes
        assert reason in minutes and conditions in minutes
    assert all(code in text for text in minutes_pages), "the verification code is printed on every page"

    # Anyone can check the printed code.
    anonymous = page.context.browser.new_context(locale="id-ID").new_page()
    anonymous.goto(f"{base}/diy/verifikasi/{code}/")
    assert number in anonymous.locator("main").inner_text()
    anonymous.context.close()
