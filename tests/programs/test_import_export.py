"""Import (command and portal page, one service) and export of the exchange format; bad input of every kind."""

import csv
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_scopes import scope

from programs import exchange
from programs.history import history_entries
from programs.importer import import_programs
from programs.models import Program, ProgramEvent
from stakeholders.models import Organization

from .conftest import make_program

SAMPLE = Path("/work/shared/domain/sample-programs.csv")
HEADER = ("ref,organization,helix,title,description,interventions,sectors,regions,start_date,end_date,"
          "target_umkm,budget_idr,beneficiary_nibs\n")
GOOD = ("P001,Dinas Koperasi dan UKM Kabupaten Sleman,government,Pelatihan Digital,\"Teks, dengan koma\","
        "pelatihan;digitalisasi,kuliner,34.04;34.71,2025-03-10,2025-03-12,40,45000000,1234567890123\n")


def run(world, tmp_path, content: bytes | str):
    path = tmp_path / "programs.csv"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_programs", "--tenant", "diy", str(path), stdout=out, stderr=err)
    except CommandError:
        return False, out.getvalue(), err.getvalue()
    return True, out.getvalue(), err.getvalue()


def count(world):
    with scope(tenant=world.tenant):
        return Program.objects.count()


def test_command_imports_programs_as_submitted_and_creates_organisations(world, tmp_path):
    content = HEADER + GOOD + "P002,Koperasi Baru,community,Pameran,,pemasaran,kriya,34.03,2025-05-01,2025-05-03,,,\n"
    ok, out, err = run(world, tmp_path, content)
    assert ok, err
    assert "2 program(s) created" in out
    with scope(tenant=world.tenant):
        p1 = Program.objects.get(ref="P001")
        assert p1.status == "submitted" and p1.owner == world.org
        assert p1.kinds == ["pelatihan", "digitalisasi"] and p1.description == "Teks, dengan koma"
        assert sorted(r.code for r in p1.regions.all()) == ["34.04", "34.71"]
        assert p1.budget_idr == 45_000_000 and p1.target_umkm == 40
        assert Organization.objects.get(name="Koperasi Baru").helix == "community"
        assert ProgramEvent.objects.filter(to_status="submitted").count() == 2
        assert p1.history.count() == 1


def test_reimport_updates_by_ref_without_duplicates(world, tmp_path):
    run(world, tmp_path, HEADER + GOOD)
    ok, out, _err = run(world, tmp_path, HEADER + GOOD.replace("Pelatihan Digital", "Pelatihan Digital Lanjutan"))
    assert ok and "0 program(s) created, 1 updated" in out
    with scope(tenant=world.tenant):
        assert Program.objects.get(ref="P001").title == "Pelatihan Digital Lanjutan"
        assert Program.objects.count() == 1


def test_reimport_records_exactly_what_changed_in_history(world, tmp_path):
    make_program(world, ref="P001", status="approved", title="Pelatihan Digital", regions=("34.04",),
                 partners=[world.other_org])
    with scope(tenant=world.tenant):
        before = Program.objects.get(ref="P001")
    ok, out, err = run(world, tmp_path, HEADER + GOOD)  # new title words, regions 34.04 + 34.71, new dates
    assert ok, err
    assert "0 program(s) created, 1 updated, 0 unchanged" in out
    with scope(tenant=world.tenant):
        after = Program.objects.get(ref="P001")
        assert after.status == "approved" and after.version == before.version + 1  # the status is not the file's
        assert after.created_at == before.created_at and after.partners.get() == world.other_org
        assert sorted(r.code for r in after.regions.all()) == ["34.04", "34.71"]
        latest = after.history.order_by("-history_id").first()
        assert latest.history_type == "~" and latest.history_change_reason == "import"
        assert latest.created_at == before.created_at
        entry = history_entries(after)[0]
        changed = {c.field: (c.old, c.new) for c in entry.changes}
    # Regions and partners are in the entry as in a form save's: exactly what the file changed is listed.
    assert changed == {
        "deskripsi": ("Pelatihan tiga hari tentang pemasaran lewat media sosial.", "Teks, dengan koma"),
        "kabupaten/kota": ("Sleman", "Kota Yogyakarta, Sleman"),
    }


def test_reimporting_the_same_file_changes_nothing(world, tmp_path):
    run(world, tmp_path, HEADER + GOOD)
    with scope(tenant=world.tenant):
        version, entries = Program.objects.get(ref="P001").version, Program.history.count()
    ok, out, _err = run(world, tmp_path, HEADER + GOOD)
    assert ok and "0 program(s) created, 0 updated, 1 unchanged" in out
    with scope(tenant=world.tenant):
        # No new version (an editor's open form stays valid) and no empty history entry.
        assert Program.objects.get(ref="P001").version == version and Program.history.count() == entries
    ok, out, _err = run(world, tmp_path, HEADER + GOOD.replace("34.04;34.71", "34.71"))  # only a region goes
    assert ok and "0 program(s) created, 1 updated" in out
    with scope(tenant=world.tenant):
        assert [r.code for r in Program.objects.get(ref="P001").regions.all()] == ["34.71"]


def test_a_bad_row_keeps_every_update_out(world, tmp_path):
    run(world, tmp_path, HEADER + GOOD)
    bad = "P002,Koperasi Baru,community,Pameran,,pemasaran,kriya,34.03,2025-05-01,2025-04-03,,,\n"
    ok, _out, err = run(world, tmp_path, HEADER + GOOD.replace("Pelatihan Digital", "Judul Baru") + bad)
    assert not ok and "line 3: end_date" in err
    with scope(tenant=world.tenant):
        program = Program.objects.get(ref="P001")
        assert program.title == "Pelatihan Digital" and program.version == 1 and program.history.count() == 1


def _rows(n, title="Pelatihan"):
    return HEADER + "".join(
        f"B{i:04d},Lembaga Impor {i % 3},community,{title} {i},,pelatihan,kuliner,34.04;34.71,"
        f"2025-03-01,2025-04-30,30,1000,\n" for i in range(n)
    )


def test_reimport_writes_in_bulk(world):
    """20 and 200 changed rows: a few more batched statements, not a query (or save) per row."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for n in (20, 200):
        with scope(tenant=world.tenant):
            assert import_programs(tenant=world.tenant, data=_rows(n).encode()).ok
            with CaptureQueriesContext(connection) as ctx:
                report = import_programs(tenant=world.tenant, data=_rows(n, "Pelatihan Lanjutan").encode())
        assert report.updated == n and report.created == 0
        counts[n] = len(ctx.captured_queries)
        # bulk_update's CASE WHEN per column grows with the square of the rows (40 s for 10,000 on PostgreSQL).
        assert not any("CASE WHEN" in q["sql"] for q in ctx.captured_queries)
        with scope(tenant=world.tenant):
            assert Program.objects.filter(title__startswith="Pelatihan Lanjutan").count() == n
            assert Program.history.filter(history_type="~").count() == n
            Program.objects.all().delete()
            Program.history.all().delete()
    # SQLite batches fewer rows per INSERT than PostgreSQL (bound parameters), hence a bound, not equality.
    assert counts[200] - counts[20] < (200 - 20) / 10, counts


def test_reimport_does_not_enrol_again_row_by_row(world):
    """Enrolments of a re-imported file are checked in bulk: only rows with a NIB not yet enrolled reach the service."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from umkm.models import Enrollment

    def rows(n, extra=""):
        return (HEADER + "".join(
            f"N{i:03d},Lembaga Impor,community,Pelatihan {i},,pelatihan,kuliner,34.04,2025-03-01,2025-04-30,30,1000,"
            f"{8000000000000 + i}{extra if i == 0 else ''}\n" for i in range(n))).encode()

    counts = {}
    for n in (10, 60):
        with scope(tenant=world.tenant):
            assert import_programs(tenant=world.tenant, data=rows(n)).ok
            assert Enrollment.objects.count() == n
            with CaptureQueriesContext(connection) as ctx:
                assert import_programs(tenant=world.tenant, data=rows(n)).unchanged == n
            counts[n] = len(ctx.captured_queries)
            # One new NIB on the first row is still enrolled.
            assert import_programs(tenant=world.tenant, data=rows(n, extra=";8000000009999")).ok
            assert Enrollment.objects.count() == n + 1
            assert Enrollment.objects.filter(business__nib="8000000009999", program__ref="N000").exists()
            Program.objects.all().delete()
    assert counts[10] == counts[60], counts


def test_new_participants_of_many_rows_are_enrolled_in_bulk_and_warn_about_each_other(world):
    """A file whose every row enrols new businesses: a fixed number of queries for businesses and enrolments (only a
    business enrolled elsewhere too is checked for double enrolment); two programs of one file that share a business
    warn about each other."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from umkm.models import Business, Enrollment

    def rows(n, base):
        # Each row its own two new NIBs; different kinds (no double enrolment), except rows 0 and 1 below.
        return (HEADER + "".join(
            f"{base}{i:03d},Lembaga Impor,community,Program {i},,{'pelatihan' if i < 2 else 'legalitas'},kuliner,"
            f"34.04,2025-03-01,2025-04-30,30,1000,{9000000000000 + 2 * i};{9000000000001 + 2 * i}"
            f"{';9100000000000' if i < 2 else ''}\n" for i in range(n))).encode()

    counts = {}
    for n, base in ((10, "A"), (60, "B")):
        with scope(tenant=world.tenant):
            Business.objects.filter(nib__startswith="9").delete()
            with CaptureQueriesContext(connection) as ctx:
                assert import_programs(tenant=world.tenant, data=rows(n, base)).ok
            counts[n] = len(ctx.captured_queries)
            assert Enrollment.objects.filter(program__ref__startswith=base).count() == 2 * n + 2
            shared = Enrollment.objects.filter(business__nib="9100000000000", program__ref__startswith=base)
            warnings = {e.program.ref: e.warning for e in shared.select_related("program")}
            assert f"{base}001" in warnings[f"{base}000"] and f"{base}000" in warnings[f"{base}001"], warnings
            Program.objects.all().delete()
    # SQLite batches fewer rows per INSERT than PostgreSQL (bound parameters), hence a bound, not equality.
    assert counts[60] - counts[10] < 10, counts


def test_a_beneficiary_nib_corrected_since_enrols_the_corrected_business(world):
    """beneficiary_nibs follow NIB corrections as old links do: no new incomplete record with the old NIB."""
    from tests.umkm.conftest import make_business
    from umkm.models import Business, Enrollment
    from umkm.services import correct_nib

    business = make_business(world.tenant, "1234567890123", "Bakpia Mas Joko")
    with scope(tenant=world.tenant):
        correct_nib(business=business, new_nib="1234567890999", reason="salah ketik", by=world.tenant_admin)
        assert import_programs(tenant=world.tenant, data=(HEADER + GOOD).encode()).ok  # names 1234567890123
        (enrolment,) = Enrollment.objects.filter(program__ref="P001")
        assert enrolment.business_id == business.pk
        assert not Business.objects.filter(nib="1234567890123").exists()


def test_sample_file_imports(world, tmp_path):
    from stakeholders.models import Region

    with scope(tenant=world.tenant):
        for code, name in (("34.01", "Kulon Progo"), ("34.02", "Bantul")):
            Region.objects.create(tenant=world.tenant, code=code, name=name, kind="kabupaten")
    ok, out, err = run(world, tmp_path, SAMPLE.read_bytes())
    assert ok, err
    assert count(world) == len(SAMPLE.read_text().splitlines()) - 1


def test_bom_is_accepted(world, tmp_path):
    assert run(world, tmp_path, ("\ufeff" + HEADER + GOOD).encode())[0]


BAD = [
    ("wrong encoding", (HEADER + GOOD.replace("Pelatihan", "Pelatihan Caf\xe9")).encode("latin-1"),
     "line 2: (file): the text is not UTF-8"),
    ("missing column", HEADER.replace("regions,", "") + GOOD.replace("34.04;34.71,", ""),
     "line 1: regions: required column is missing"),
    ("unknown column", HEADER.replace("\n", ",warna\n") + GOOD.replace("\n", ",merah\n"),
     "line 1: warna: unknown column"),
    ("bad date", HEADER + GOOD.replace("2025-03-10", "10/03/2025"),
     "line 2: start_date: “10/03/2025” is not a date in the form YYYY-MM-DD"),
    ("impossible date", HEADER + GOOD.replace("2025-03-12", "2025-02-30"), "line 2: end_date:"),
    ("end before start", HEADER + GOOD.replace("2025-03-12", "2025-03-01"),
     "line 2: end_date: the end date 2025-03-01 is before the start date 2025-03-10"),
    ("unknown intervention", HEADER + GOOD.replace("pelatihan;", "webinar;"),
     "line 2: interventions: unknown code “webinar”"),
    ("unknown sector", HEADER + GOOD.replace(",kuliner,", ",kuliner;batik,"), "line 2: sectors: unknown code “batik”"),
    ("unknown region", HEADER + GOOD.replace("34.04;34.71", "33.72"), "line 2: regions: unknown regency/city code"),
    ("unknown helix", HEADER + GOOD.replace(",government,", ",ngo,"), "line 2: helix: unknown code “ngo”"),
    ("negative budget", HEADER + GOOD.replace("45000000", "-5"), "line 2: budget_idr: “-5” is not a whole number"),
    ("bad nib", HEADER + GOOD.replace("1234567890123", "12345"), "line 2: beneficiary_nibs: “12345” is not a 13-digit"),
    ("duplicate refs", HEADER + GOOD + GOOD, "line 3: ref: “P001” already appears on line 2"),
    ("missing value", HEADER + GOOD.replace("Pelatihan Digital", ""), "line 2: title: a value is required"),
    ("short row", HEADER + "P9,Org,government\n", "line 2: (file): expected 13 values, found 3"),
    ("empty file", b"", "line 1: (file): the file is empty"),
    ("header only", HEADER, "line 2: (file): the file has a header but no programs"),
    ("xlsx file", b"PK\x03\x04" + b"\x00" * 100, "line 1: (file): this is not a CSV text file"),
    ("binary", b"\x89PNG\r\n\x1a\n\x00\x00", "line 1: (file): this is not a CSV text file"),
]


@pytest.mark.parametrize(("content", "expected"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_bad_input_imports_nothing_and_says_where(world, tmp_path, content, expected):
    ok, _out, err = run(world, tmp_path, content)
    assert not ok
    assert expected in err
    assert count(world) == 0


def test_one_bad_row_among_good_ones_imports_nothing(world, tmp_path):
    content = HEADER + GOOD + GOOD.replace("P001", "P002").replace("kuliner", "otomotif")
    ok, _out, err = run(world, tmp_path, content)
    assert not ok and "line 3: sectors" in err and "line 2" not in err
    assert count(world) == 0


def test_a_50_mb_file_is_refused_without_reading_it(world, tmp_path):
    path = tmp_path / "big.csv"
    with path.open("wb") as f:
        f.write(HEADER.encode())
        f.seek(50 * 1024 * 1024)
        f.write(b"\n")
    with pytest.raises(CommandError):
        call_command("import_programs", "--tenant", "diy", str(path), stderr=(err := io.StringIO()))
    assert "line 1: (file): the file is larger than 10 MB" in err.getvalue()


def test_export_then_import_gives_equal_programs(world, tmp_path):
    make_program(world, ref="R1", title="=HYPERLINK(\"http://x\")", description="Baris satu\nbaris dua, koma",
                 regions=("34.04", "34.71"), kinds=["pemasaran"], sectors=["kriya", "fesyen"], target_umkm=None)
    make_program(world, owner=world.other_org, ref="R2", budget_idr=None)
    client = world.client_for(world.tenant_admin)
    exported = client.get(reverse("programs:export", args=["diy"]) + "?format=csv").content

    def snapshot():
        with scope(tenant=world.tenant):
            return [
                (p.ref, p.owner.name, p.description, p.kinds, p.sectors, sorted(r.code for r in p.regions.all()),
                 p.start_date, p.end_date, p.target_umkm, p.budget_idr)
                for p in Program.objects.order_by("ref")
            ]

    before = snapshot()
    with scope(tenant=world.tenant):
        Program.objects.all().delete()
        report = import_programs(tenant=world.tenant, data=exported)
    assert report.ok, [str(p) for p in report.problems]
    assert snapshot() == before
    with scope(tenant=world.tenant):
        # The neutralised title keeps its apostrophe: a spreadsheet showed it as text, and so do we.
        assert Program.objects.get(ref="R1").title == "'=HYPERLINK(\"http://x\")"


@pytest.mark.parametrize("payload", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx"])
def test_formula_injection_is_neutralised_in_csv_and_xlsx(world, payload):
    make_program(world, title=payload, status="submitted")
    client = world.client_for(world.tenant_admin)
    body = client.get(reverse("programs:export", args=["diy"]) + "?format=csv").content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert rows[0]["title"] == "'" + payload
    from openpyxl import load_workbook

    xlsx = client.get(reverse("programs:export", args=["diy"]) + "?format=xlsx").content
    sheet = load_workbook(io.BytesIO(xlsx)).active
    titles = [row[3] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert titles == ["'" + payload]


def test_export_follows_the_filters_and_visibility(world):
    make_program(world, title="Draf lembaga lain")
    make_program(world, title="Program diajukan", status="submitted", kinds=["pemasaran"])
    make_program(world, title="Program lain", status="submitted", kinds=["legalitas"])
    body = world.client_for(world.colleague).get(
        reverse("programs:export", args=["diy"]) + "?kind=pemasaran&format=csv"
    ).content.decode("utf-8-sig")
    assert body.splitlines()[0] == ",".join(exchange.COLUMNS)
    assert "Program diajukan" in body and "Program lain" not in body and "Draf lembaga lain" not in body


def test_portal_import_upload_preview_confirm(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = world.client_for(world.tenant_admin)
    url = reverse("programs:import", args=["diy"])
    upload = SimpleUploadedFile("p.csv", (HEADER + GOOD).encode(), content_type="text/csv")
    preview = client.post(url, {"file": upload})
    page = preview.content.decode()
    assert preview.status_code == 200 and "Pelatihan Digital" in page and "Konfirmasi impor" in page
    assert count(world) == 0  # nothing before confirming
    response = client.post(url, {"confirm": "1"})
    assert response.status_code == 302
    assert count(world) == 1


def test_portal_import_shows_every_problem(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = world.client_for(world.tenant_admin)
    content = HEADER + GOOD.replace("2025-03-12", "2025-03-01") + GOOD.replace("P001", "P002").replace("kuliner", "x")
    response = client.post(reverse("programs:import", args=["diy"]),
                           {"file": SimpleUploadedFile("p.csv", content.encode())})
    page = response.content.decode()
    assert response.status_code == 400
    assert "baris 2: end_date:" in page and "baris 3: sectors:" in page and "tidak ada yang diimpor" in page
    assert count(world) == 0


@pytest.mark.parametrize(("role", "expected"), [("staff", 403), ("org_admin", 403), ("tenant_admin", 200)])
def test_only_tenant_admins_import(world, role, expected):
    assert world.client_for(getattr(world, role)).get(reverse("programs:import", args=["diy"])).status_code == expected


def test_imported_programs_are_checked_for_overlaps_like_submitted_ones(world, django_capture_on_commit_callbacks):
    from programs.overlap_models import OverlapFlag

    same = ("pelatihan;digitalisasi,kuliner,34.04,2025-03-10,2025-03-12,40,45000000,\n")
    data = (HEADER
            + "IMP-A,Dinas Koperasi dan UKM Kabupaten Sleman,government,Pelatihan Pemasaran Digital UMKM Kuliner,"
              "\"Pelatihan jualan online lewat marketplace dan media sosial\"," + same
            + "IMP-B,Komunitas Digital Sleman,community,Pelatihan Digital Marketing bagi UMKM Kuliner,"
              "\"Pelatihan pemasaran digital: marketplace dan media sosial\"," + same).encode()
    with scope(tenant=world.tenant):
        with django_capture_on_commit_callbacks(execute=True):
            assert import_programs(tenant=world.tenant, data=data).ok
        flags = OverlapFlag.objects.filter(program_a__ref__in=["IMP-A", "IMP-B"], program_b__ref__in=["IMP-A", "IMP-B"])
        assert flags.count() == 1 and flags.get().status == "open"
        # The same file again changes nothing and schedules no check.
        with django_capture_on_commit_callbacks() as callbacks:
            assert import_programs(tenant=world.tenant, data=data).unchanged == 2
        assert callbacks == []
