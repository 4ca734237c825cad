"""Meeting PDFs (text read back with pypdf), their cache, the verification URL and the iCal file."""

import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from django.utils.formats import date_format
from django_scopes import scope
from pypdf import PdfReader

from forums import services
from forums.documents import document_data, render_pdf
from forums.models import Meeting, MeetingDocument
from forums.pdfs import ensure_rendered


def pdf_pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


@pytest.fixture
def held_meeting(fw):
    """A meeting with two program items decided, a topic, attendance; started an hour ago."""
    approved = fw.program(title="Pelatihan Pemasaran Digital bagi UMKM Kuliner")
    revise = fw.program(title="Fasilitasi Sertifikasi Halal Gratis")
    meeting = fw.meeting()
    tenant = fw.world.tenant
    with scope(tenant=tenant):
        first, second = services.agenda_add_programs(meeting=meeting, programs=[approved, revise], by=fw.secretary)
        services.agenda_add_topic(meeting=meeting, title="Lain-lain")
        Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - timedelta(hours=1))
        meeting.refresh_from_db()
        for invitee in meeting.invitees.all():
            services.attendance_record(meeting=meeting, by=fw.secretary, invitee=invitee)
        services.attendance_record(meeting=meeting, by=fw.secretary, name="Pak Walk-in", organization_name="Pers")
        services.minutes_save(item=first, text="Disepakati pelaksanaan bulan Maret.", by=fw.secretary)
        services.decision_record(item=first, by=fw.secretary, outcome="approve", conditions="Libatkan kampus")
        services.decision_record(item=second, by=fw.secretary, outcome="needs_revision",
                                 reason="Target peserta belum jelas")
    return meeting


def test_minutes_pdf_shows_number_programs_decisions_and_verification_code_on_every_page(fw, held_meeting):
    tenant = fw.world.tenant
    with scope(tenant=tenant):
        revision = services.meeting_close(meeting=held_meeting, by=fw.secretary)
        pages = pdf_pages(render_pdf("minutes", document_data(held_meeting, "minutes")))
    text = "\n".join(pages)
    assert held_meeting.number in text
    assert "Pelatihan Pemasaran Digital bagi UMKM Kuliner" in text and "Fasilitasi Sertifikasi Halal Gratis" in text
    assert "Disetujui" in text and "Perlu Revisi" in text and "Target peserta belum jelas" in text
    assert "4 orang hadir" in text and "Pak Walk-in" in text
    assert "Disepakati pelaksanaan bulan Maret." in text
    assert "DRAF" not in text
    for n, page in enumerate(pages, start=1):
        assert revision.verification_code in page, f"page {n} lacks the verification code"
        assert f"Halaman {n} dari {len(pages)}" in page


def test_long_minutes_have_no_blank_page_and_labels_stay_with_their_text(fw, held_meeting):
    """40 attendees push section II onto a later page: no page may be left with only the header and footer."""
    long_text = "Pemilik program memaparkan latar belakang, sasaran, jadwal dan anggaran program. " * 4
    with scope(tenant=fw.world.tenant):
        for n in range(40):
            services.attendance_record(meeting=held_meeting, by=fw.secretary, name=f"Peserta Tambahan {n:02d}",
                                       organization_name="Lembaga Anggota Forum", position="Anggota")
        for item in held_meeting.agenda_items.all():
            services.minutes_save(item=item, text=long_text + "\nBaris kedua catatan.", by=fw.secretary)
        pages = pdf_pages(render_pdf("minutes", document_data(held_meeting, "minutes")))
    for n, page in enumerate(pages, start=1):
        body = [line for line in page.splitlines()
                if line.strip() and held_meeting.number not in line and "Halaman" not in line]
        assert len(body) > 3, f"page {n} of {len(pages)} is (nearly) blank"
    # section II follows the attendance table on the same page instead of waiting for a fresh one
    [table_end] = [n for n, page in enumerate(pages) if "Peserta Tambahan 39" in page]
    assert "II. Pembahasan dan keputusan" in pages[table_end]
    text = "\n".join(pages)
    # "Pembahasan:" runs on with the discussion text instead of standing alone on its line
    assert re.search(r"Pembahasan: Pemilik program", text)
    assert "Baris kedua catatan." in text
    # the signatures are dated where the forum sits, on the meeting day
    assert re.search(r"Sleman, \d{1,2} \w+ \d{4}", text)


def test_invitation_recorded_after_the_meeting_is_dated_a_week_before_it(fw, held_meeting):
    with scope(tenant=fw.world.tenant):
        Meeting.objects.filter(pk=held_meeting.pk).update(starts_at=timezone.now() - timedelta(days=30),
                                                          ends_at=timezone.now() - timedelta(days=30, hours=-3))
        held_meeting.refresh_from_db()
        text = "\n".join(pdf_pages(render_pdf("invitation", document_data(held_meeting, "invitation"))))
    letter_day = timezone.localtime(held_meeting.starts_at).date() - timedelta(days=7)
    assert f"Sleman, {letter_day.day} " in text and str(letter_day.year) in text
    assert "1 (satu) berkas" in text and "lembar" not in text


def test_draft_minutes_say_so_and_carry_no_code(fw, held_meeting):
    with scope(tenant=fw.world.tenant):
        text = "\n".join(pdf_pages(render_pdf("minutes", document_data(held_meeting, "minutes"))))
    assert "DRAF" in text and "Kode verifikasi" not in text


def test_invitation_and_attendance_list(fw, held_meeting):
    with scope(tenant=fw.world.tenant):
        invitation = "\n".join(pdf_pages(render_pdf("invitation", document_data(held_meeting, "invitation"))))
        attendance = pdf_pages(render_pdf("attendance", document_data(held_meeting, "attendance")))
    assert held_meeting.number in invitation and "Undangan" in invitation
    assert "Ruang Rapat Dinas Koperasi Sleman" in invitation and "Lain-lain" in invitation
    assert "Budi Santoso" in invitation  # the recipients list
    text = "\n".join(attendance)
    assert "DAFTAR HADIR" in text.upper() and "Tanda Tangan" in text
    # 3 invitees plus 8 blank rows, numbered in the alternating signature column as well
    assert re.search(r"\b11\.", text) and "Halaman 1 dari" in text


def test_the_pdf_cache_renders_again_only_after_a_change(fw, held_meeting, monkeypatch):
    import forums.pdfs

    calls = []
    real = forums.pdfs.render_pdf
    monkeypatch.setattr(forums.pdfs, "render_pdf", lambda kind, data: calls.append(kind) or real(kind, data))
    with scope(tenant=fw.world.tenant):
        first = ensure_rendered(meeting=held_meeting, kind="attendance")
        again = ensure_rendered(meeting=held_meeting, kind="attendance")
        assert calls == ["attendance"] and again.file.name == first.file.name
        services.invitee_add(meeting=held_meeting, name="Ibu Baru", organization_name="Komunitas")
        changed = ensure_rendered(meeting=held_meeting, kind="attendance")
        assert calls == ["attendance", "attendance"] and changed.file.name != first.file.name
        assert MeetingDocument.objects.filter(meeting=held_meeting).count() == 1


def test_download_answers_202_while_rendering_then_the_pdf(fw, held_meeting, monkeypatch):
    client = fw.world.client_for(fw.member)
    url = f"/diy/forum/rapat/{held_meeting.pk}/pdf/minutes/"
    queued = []
    monkeypatch.setattr("forums.pdfs.enqueue_on_commit", lambda task, **kw: queued.append(kw))
    response = client.get(url)
    assert response.status_code == 202
    page = response.content.decode()
    assert 'http-equiv="refresh"' in page and "Sedang diproses" in page
    assert queued == [{"tenant_id": fw.world.tenant.pk, "meeting_id": held_meeting.pk, "kind": "minutes"}]
    client.get(url)
    assert len(queued) == 1  # asked again while rendering: not queued twice
    from forums.tasks import render_meeting_document

    render_meeting_document(**queued[0])
    render_meeting_document(**queued[0])  # idempotent
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert held_meeting.number in "".join(pdf_pages(b"".join(response.streaming_content)))


def test_verification_url_is_public(client, fw, held_meeting):
    with scope(tenant=fw.world.tenant):
        revision = services.meeting_close(meeting=held_meeting, by=fw.secretary)
    response = client.get(f"/diy/verifikasi/{revision.verification_code}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert held_meeting.number in page and "versi terkini" in page
    assert client.get("/diy/verifikasi/0000-0000-0000-0000/").status_code == 404
    # another tenant's prefix does not find it
    assert client.get(f"/jateng/verifikasi/{revision.verification_code}/").status_code == 404


def test_meeting_pdf_command_writes_the_file(fw, held_meeting, tmp_path):
    out = tmp_path / "undangan.pdf"
    call_command("meeting_pdf", str(held_meeting.pk), "--kind", "invitation", "-o", str(out))
    assert held_meeting.number in "".join(pdf_pages(out.read_bytes()))


def test_ical_file_is_valid_rfc5545(fw):
    meeting = fw.meeting(title="Rapat Koordinasi Program dengan judul yang sangat panjang sekali, untuk "
                               "menguji pelipatan baris; termasuk koma dan titik koma")
    response = fw.world.client_for(fw.member).get(f"/diy/forum/rapat/{meeting.pk}/rapat.ics")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    raw = response.content
    assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
    lines = raw.split(b"\r\n")[:-1]
    assert all(len(line) <= 75 for line in lines)
    unfolded = raw.decode().replace("\r\n ", "").split("\r\n")
    assert unfolded[0] == "BEGIN:VCALENDAR" and unfolded[-2] == "END:VCALENDAR"
    assert "BEGIN:VEVENT" in unfolded and "VERSION:2.0" in unfolded
    fields = dict(line.split(":", 1) for line in unfolded if ":" in line)
    assert re.fullmatch(r"\d{8}T\d{6}Z", fields["DTSTART"]) and fields["DTEND"] > fields["DTSTART"]
    assert "\\," in fields["SUMMARY"] and "\\;" in fields["SUMMARY"] and meeting.number in fields["SUMMARY"]


PDFTOTEXT = "/usr/bin/pdftotext"  # poppler-utils


def pdftotext(data: bytes) -> str:
    """The PDF's text as pdftotext lays it out (-layout: the signature block's place and date stay one line)."""
    import subprocess

    out = subprocess.run([PDFTOTEXT, "-layout", "-", "-"], input=data, capture_output=True, check=True)  # noqa: S603
    return out.stdout.decode()


def place_lines(text: str) -> list[str]:
    """The lines of a letter that hold nothing but '<place>, <day> <month> <year>', whitespace folded."""
    pattern = re.compile(r"[A-Z][\w ]*, \d{1,2} [A-Z][a-z]+ \d{4}")
    return [line for line in (" ".join(raw.split()) for raw in text.splitlines()) if pattern.fullmatch(line)]


@pytest.fixture
def diy_province(fw):
    """The DIY province row as the region file loads it: with its capital city."""
    from stakeholders.models import Region

    with scope(tenant=fw.world.tenant):
        return Region.objects.create(tenant=fw.world.tenant, code="34", name="Daerah Istimewa Yogyakarta",
                                     kind="provinsi", capital="Yogyakarta")


def provincial_meeting(fw):
    meeting = fw.meeting(fw.province, title="Rapat Koordinasi Forum Provinsi")
    with scope(tenant=fw.world.tenant):
        services.agenda_add_topic(meeting=meeting, title="Lain-lain")
    return meeting


@pytest.mark.skipif(not Path(PDFTOTEXT).exists(), reason="pdftotext (poppler-utils) is not installed")
def test_a_provincial_forum_dates_its_letters_in_the_provinces_capital(fw, diy_province):
    meeting = provincial_meeting(fw)
    with scope(tenant=fw.world.tenant):
        texts = {kind: pdftotext(render_pdf(kind, document_data(meeting, kind)))
                 for kind in ("invitation", "attendance", "minutes")}
    meeting_day = timezone.localtime(meeting.starts_at).date()
    minutes_place = f"Yogyakarta, {date_format(meeting_day, 'j F Y')}"
    assert place_lines(texts["minutes"]) == [minutes_place], texts["minutes"]
    [invitation_place] = place_lines(texts["invitation"])
    assert re.fullmatch(r"Yogyakarta, \d{1,2} \w+ \d{4}", invitation_place), invitation_place
    assert place_lines(texts["attendance"]) == []  # the attendance list carries no place line, as before
    for kind, text in texts.items():
        assert "Daerah Istimewa Yogyakarta," not in text, kind


@pytest.mark.skipif(not Path(PDFTOTEXT).exists(), reason="pdftotext (poppler-utils) is not installed")
def test_a_regional_forum_keeps_its_kabupaten_and_a_province_without_capital_its_name(fw, diy_province, held_meeting):
    with scope(tenant=fw.world.tenant):
        sleman = pdftotext(render_pdf("minutes", document_data(held_meeting, "minutes")))
        meeting_day = timezone.localtime(held_meeting.starts_at).date()
        assert place_lines(sleman) == [f"Sleman, {date_format(meeting_day, 'j F Y')}"]
        diy_province.capital = ""
        diy_province.save()
        meeting = provincial_meeting(fw)
        province = pdftotext(render_pdf("minutes", document_data(meeting, "minutes")))
    meeting_day = timezone.localtime(meeting.starts_at).date()
    # the long name wraps in the signature column (the reason for the capital): read it with whitespace folded
    assert f"Daerah Istimewa Yogyakarta, {date_format(meeting_day, 'j F Y')}" in " ".join(province.split())


def test_minutes_frozen_before_capitals_keep_the_place_they_were_signed_at(fw, diy_province):
    """A revision frozen before the capital was recorded has no "capital" in its content: it prints as it was."""
    from forums.documents import letter_place

    meeting = provincial_meeting(fw)
    with scope(tenant=fw.world.tenant):
        data = document_data(meeting, "minutes")
    assert letter_place(data) == "Yogyakarta"
    old = {key: value for key, value in data.items() if key != "capital"}
    assert letter_place(old) == "Daerah Istimewa Yogyakarta"
