"""Import of businesses and outcome reports: all or nothing, per-row messages, updates by NIB."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import translation
from django_scopes import scope
from openpyxl import Workbook

from umkm.importing import BUSINESS, OUTCOMES, FileRefused, import_file
from umkm.models import Business, OutcomeReport


@pytest.fixture(autouse=True)
def _english():
    # messages are checked in the source language here; the page test checks the Indonesian ones
    with translation.override("en"):
        yield


HEADER = "nib,name,owner_name,region,sector,kbli,capital,annual_sales\n"


def run(world, text, kind=BUSINESS, commit=True, filename="f.csv", encoding="utf-8"):
    return import_file(tenant=world.tenant, data=text.encode(encoding) if isinstance(text, str) else text,
                       filename=filename, kind=kind, commit=commit)


def count(world):
    with scope(tenant=world.tenant):
        return Business.objects.count()


def test_import_creates_then_updates_by_nib(world):
    result = run(world, HEADER + '3471000000001,Bakpia Joko,Joko,34.71,kuliner,10792,"50.000.000",\n'
                                 "3404000000002,Batik Sari,Sari,Sleman,kriya,13134,,3000000000\n")
    assert result.ok and (result.created, result.updated) == (2, 0)
    result = run(world, "nib,name,annual_sales\n3471000000001,Bakpia Mas Joko,16000000000\n")
    assert result.ok and (result.created, result.updated) == (0, 1)
    with scope(tenant=world.tenant):
        joko = Business.objects.get(nib="3471000000001")
        assert joko.name == "Bakpia Mas Joko"
        assert joko.owner_name == "Joko"  # a column absent from the file keeps its value
        assert joko.region.code == "34.71" and joko.kbli == "10792"
        assert joko.capital == 50_000_000 and joko.scale == "mikro"  # capital decides at registration
        sari = Business.objects.get(nib="3404000000002")
        assert (sari.scale, sari.scale_basis) == ("kecil", "sales")
    assert count(world) == 2


def test_bad_rows_are_listed_and_nothing_is_imported(world):
    result = run(world, HEADER +
                 "3471000000001,Good Row,,34.71,kuliner,,,\n"
                 "12345,Short NIB,,34.71,kuliner,,,\n"
                 "3471000000003,Bad KBLI,,34.71,kuliner,1079,,\n"
                 "3471000000004,Negative,,34.71,kuliner,,-5,\n"
                 "3471000000005,Nowhere,,99.99,kuliner,,,\n"
                 "3471000000001,Twice,,34.71,kuliner,,,\n"
                 '3471000000007,"=HYPERLINK(""http://x"")",,34.71,kuliner,,,\n'
                 "3471000000008,Sector,,34.71,bakery,,,\n")
    assert not result.ok and not result.committed
    errors = {(e.line, e.column): e.message for e in result.errors}
    assert "13 digits" in errors[(3, "nib")]
    assert "5 digits" in errors[(4, "kbli")]
    assert "negative" in errors[(5, "capital")]
    assert "99.99" in errors[(6, "region")]
    assert "line 2" in errors[(7, "nib")]
    assert "formula" in errors[(8, "name")]
    assert "bakery" in errors[(9, "sector")]
    assert count(world) == 0  # the good row was not imported either


def test_wrong_encoding_is_refused_with_a_message(world):
    with pytest.raises(FileRefused) as err:
        run(world, HEADER + "3471000000001,Kopi Kéren,,34.71,kuliner,,,\n", encoding="cp1252")
    assert "UTF-8" in str(err.value)


def test_missing_column_is_refused(world):
    with pytest.raises(FileRefused) as err:
        run(world, "name,region\nBakpia,34.71\n")
    assert "nib" in str(err.value)


def test_preview_writes_nothing(world):
    result = run(world, HEADER + "3471000000001,Bakpia,,34.71,kuliner,,,\n", commit=False)
    assert result.ok and result.created == 1 and not result.committed
    assert count(world) == 0


def test_xlsx_with_formula_in_name_is_refused(world):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["NIB", "Nama usaha", "Kabupaten/Kota", "Omzet"])
    sheet.append(["3471000000001", "Gudeg Yu Djum", "Kota Yogyakarta", 250000000])
    sheet.append(["3471000000002", "=1+1", "34.71", 1])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = run(world, buffer.getvalue(), filename="data.xlsx")
    assert [(e.line, e.column) for e in result.errors] == [(3, "name")]
    assert count(world) == 0
    sheet.delete_rows(3)
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert run(world, buffer.getvalue(), filename="data.xlsx").created == 1
    with scope(tenant=world.tenant):
        assert Business.objects.get(nib="3471000000001").annual_sales == 250_000_000


def test_outcome_reports_import_and_scale_refresh(world):
    run(world, HEADER + "3471000000001,Bakpia,,34.71,kuliner,,,1000000000\n")
    result = run(world, "nib,date,annual_sales,employees,online_shop,qris\n"
                        "3471000000001,2025-01-10,1000000000,3,ya,tidak\n"
                        "3471000000001,2025-12-10,2500000000,5,ya,ya\n", kind=OUTCOMES)
    assert result.ok and result.created == 2
    bad = run(world, "nib,date,annual_sales\n3471000000009,2025-01-10,1\n3471000000001,kemarin,1\n",
              kind=OUTCOMES)
    assert {(e.line, e.column) for e in bad.errors} == {(2, "nib"), (3, "date")}
    with scope(tenant=world.tenant):
        assert OutcomeReport.objects.count() == 2
        assert Business.objects.get(nib="3471000000001").scale == "kecil"


def test_command_imports_and_fails_loudly(world, tmp_path):
    good = tmp_path / "good.csv"
    good.write_text(HEADER + "3471000000001,Bakpia,,34.71,kuliner,,,\n")
    call_command("import_businesses", str(good), tenant="diy")
    assert count(world) == 1
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "3471000000002,Ok,,34.71,kuliner,,,\n1,Bad,,34.71,kuliner,,,\n")
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_businesses", str(bad), tenant="diy")
    assert count(world) == 1


def test_program_staff_upload_their_participants_outcomes_linked_to_the_program(world):
    import datetime as dt

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from tests.programs.conftest import make_program
    from tests.umkm.conftest import enrol, make_business

    program = make_program(world, status="running", start_date=dt.date(2025, 3, 10), end_date=dt.date(2025, 9, 30))
    make_business(world.tenant, "3404000000001", "Peserta")
    make_business(world.tenant, "3404000000002", "Bukan peserta")
    enrol(program, "3404000000001")
    url = reverse("umkm:import", args=["diy"]) + f"?program={program.ref}"
    client = world.client_for(world.staff)  # plain staff of the owner: not allowed on the registry import
    assert client.get(reverse("umkm:import", args=["diy"])).status_code == 403
    assert world.client_for(world.colleague).get(url).status_code == 403  # another organisation's staff

    def upload(text):
        return client.post(url, {"kind": "businesses", "file": SimpleUploadedFile("o.csv", text.encode())})

    refused = upload("nib,date,annual_sales\n3404000000001,2025-03-01,100000000\n"
                     "3404000000002,2025-03-01,100000000\n")
    body = refused.content.decode()
    assert f"NIB 3404000000002 bukan peserta {program.ref}" in body and "Konfirmasi impor" not in body
    page = upload("nib,date,annual_sales\n3404000000001,2025-03-01,100000000\n3404000000001,2025-10-01,2500000000\n")
    assert page.context["result"].ok and page.context["kind"] == OUTCOMES  # the kind sent is ignored
    with scope(tenant=world.tenant):
        assert not OutcomeReport.objects.exists()  # the preview writes nothing
    done = client.post(url, {"token": page.context["token"], "kind": "businesses", "program": program.ref})
    assert done.status_code == 302 and done["Location"].endswith(f"/program/{program.ref}/peserta/")
    with scope(tenant=world.tenant):
        reports = list(OutcomeReport.objects.order_by("date"))
        assert [(r.program_id, r.scale) for r in reports] == [(program.pk, "mikro"), (program.pk, "kecil")]
        assert Business.objects.get(nib="3404000000001").scale == "kecil"


def test_update_completes_incomplete_records_and_keeps_the_scale_of_outcome_reports(world):
    """The same rules on SQLite and on PostgreSQL (where rows go in by COPY): run this module with DATABASE_URL."""
    import datetime as dt

    from stakeholders.models import Region
    from tests.programs.conftest import make_program
    from tests.umkm.conftest import enrol, report

    enrol(make_program(world), "3404000000001", "3404000000002")  # incomplete records, as an enrolment makes them
    with scope(tenant=world.tenant):
        Business.objects.filter(nib="3404000000002").update(owner_name="Sri", region=Region.objects.get(code="34.71"))
        measured = Business.objects.get(nib="3404000000002")
    report(measured, dt.date(2025, 1, 1), 3_000_000_000)  # kecil by its report
    result = run(world, "nib,name,region,halal_number,halal_issued_on,annual_sales,year_founded\n"
                        "3404000000001,Gudeg Yu Djum,Gunungkidul,ID34110000123,2024-05-02,100000000,2001\n"
                        "3404000000002,Bakpia 25,,,,50000000,\n"
                        "3404000000003,Baru Sekali,34.04,,,,\n")
    assert result.ok and (result.created, result.updated) == (1, 2)
    with scope(tenant=world.tenant):
        rows = {b.nib: b for b in Business.objects.select_related("region")}
    gudeg, bakpia, fresh = rows["3404000000001"], rows["3404000000002"], rows["3404000000003"]
    assert (gudeg.name, gudeg.region.code, gudeg.is_minimal) == ("Gudeg Yu Djum", "34.03", False)
    assert (gudeg.halal_number, gudeg.halal_issued_on, gudeg.year_founded) == ("ID34110000123", dt.date(2024, 5, 2),
                                                                               2001)
    assert (gudeg.scale, gudeg.scale_basis) == ("mikro", "sales")
    assert (bakpia.region.code, bakpia.owner_name) == ("34.71", "Sri")  # an empty cell or column keeps the value
    assert (bakpia.name, bakpia.annual_sales, bakpia.is_minimal) == ("Bakpia 25", 50_000_000, False)
    assert bakpia.scale == "kecil"  # the latest outcome report decides, not the file's registration figures
    assert (fresh.name, fresh.owner_name, fresh.capital, fresh.scale, fresh.is_minimal) == (
        "Baru Sekali", "", None, "", False)
    assert fresh.created_at and fresh.updated_at


# --- an NIB corrected since the file was made --------------------------------------------------------------

OLD, RIGHT = "3471000000001", "3471000000099"


def corrected_bakpia(world):
    """Bakpia registered as OLD, corrected to RIGHT on the business page."""
    from tests.umkm.conftest import make_business
    from umkm.services import correct_nib

    bakpia = make_business(world.tenant, OLD, "Bakpia Mas Joko", owner_name="Joko")
    with scope(tenant=world.tenant):
        correct_nib(business=bakpia, new_nib=RIGHT, reason="salah ketik", by=world.tenant_admin)
    return bakpia


@pytest.mark.parametrize("chunk", [2000, 1])  # the old NIB and the new one in one chunk, and in different chunks
def test_an_old_nib_updates_the_business_it_was_corrected_to(world, monkeypatch, chunk):
    """Both write paths (run this module with DATABASE_URL for PostgreSQL's COPY): the old NIB reads as the new."""
    import umkm.importing

    monkeypatch.setattr(umkm.importing, "CHUNK", chunk)
    bakpia = corrected_bakpia(world)
    file = HEADER + "3404000000002,Batik Sari,Sari,34.04,kriya,,,\n" + f"{OLD},Bakpia 25,,34.71,kuliner,,,16000000000\n"
    preview = run(world, file, commit=False)
    assert preview.ok and (preview.created, preview.updated) == (1, 1)
    assert [str(n) for n in preview.corrected] == [
        f"Line 3: NIB {OLD} has been corrected to {RIGHT}; the data are saved to the business with the new NIB."]
    with translation.override("id"):
        assert str(preview.corrected[0]) == (f"Baris 3: NIB {OLD} sudah dikoreksi menjadi {RIGHT}; data disimpan "
                                             "pada usaha dengan NIB baru.")
    result = run(world, file)
    assert result.committed and (result.created, result.updated) == (1, 1) and len(result.corrected) == 1
    with scope(tenant=world.tenant):
        assert sorted(Business.objects.values_list("nib", flat=True)) == ["3404000000002", RIGHT]  # no new OLD
        bakpia = Business.objects.get(pk=bakpia.pk)
    assert (bakpia.name, bakpia.owner_name, bakpia.annual_sales, bakpia.scale) == (
        "Bakpia 25", "Joko", 16_000_000_000, "menengah")
    # outcome reports of the old NIB are the corrected business's too
    reports = run(world, f"nib,date,annual_sales\n{OLD},2025-01-10,1000000000\n", kind=OUTCOMES)
    assert reports.committed and len(reports.corrected) == 1
    with scope(tenant=world.tenant):
        assert OutcomeReport.objects.get().business_id == bakpia.pk


def test_new_nibs_ask_for_corrections_once_per_import_not_per_chunk(world, monkeypatch):
    """The speed of an import of new NIBs: the tenant's corrected NIBs are read once, not once per chunk."""
    from django.test.utils import CaptureQueriesContext

    import umkm.importing

    monkeypatch.setattr(umkm.importing, "CHUNK", 2)
    corrected_bakpia(world)
    with CaptureQueriesContext(connection) as captured:
        result = run(world, "nib,name\n" + "".join(f"34040000001{i:02d},Usaha {i}\n" for i in range(10)))
    assert result.committed and result.created == 10
    assert sum("umkm_nibcorrection" in q["sql"] for q in captured.captured_queries) == 1


@pytest.mark.parametrize("chunk", [2000, 1])
def test_a_file_naming_one_business_by_its_old_and_new_nib_is_refused(world, monkeypatch, chunk):
    import umkm.importing

    monkeypatch.setattr(umkm.importing, "CHUNK", chunk)
    corrected_bakpia(world)
    result = run(world, HEADER + f"{RIGHT},Bakpia Baru,,34.71,kuliner,,,\n{OLD},Bakpia Lama,,34.71,kuliner,,,\n")
    assert [(e.line, e.column) for e in result.errors] == [(3, "nib")] and "line 2" in result.errors[0].message
    result = run(world, HEADER + f"{OLD},Bakpia Lama,,34.71,kuliner,,,\n{RIGHT},Bakpia Baru,,34.71,kuliner,,,\n")
    assert [(e.line, e.column) for e in result.errors] == [(3 if chunk == 1 else 2, "nib")]
    assert "line 2" in result.errors[0].message or "line 3" in result.errors[0].message
    with scope(tenant=world.tenant):
        assert list(Business.objects.values_list("nib", "name")) == [(RIGHT, "Bakpia Mas Joko")]


def test_a_chain_of_corrections_and_a_reused_old_nib_follow_the_rule_of_old_links(world):
    from tests.umkm.conftest import make_business
    from umkm.services import correct_nib

    bakpia = corrected_bakpia(world)
    with scope(tenant=world.tenant):
        correct_nib(business=bakpia, new_nib="3471000000100", reason="salah lagi", by=world.tenant_admin)
    result = run(world, f"nib,name\n{OLD},Bakpia Rantai\n")
    assert result.committed and result.updated == 1 and result.corrected[0].new_nib == "3471000000100"
    # an old NIB a business holds again names that business, as the business page of that NIB does
    again = make_business(world.tenant, OLD, "Pemilik Baru NIB Lama")
    result = run(world, f"nib,name\n{OLD},Pemilik Baru\n")
    assert result.committed and result.updated == 1 and not result.corrected
    with scope(tenant=world.tenant):
        assert Business.objects.get(pk=again.pk).name == "Pemilik Baru"
        assert Business.objects.get(pk=bakpia.pk).name == "Bakpia Rantai"


def test_the_import_page_says_which_rows_carried_a_corrected_nib(world):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    corrected_bakpia(world)
    client = world.client_for(world.tenant_admin)
    url = reverse("umkm:import", args=["diy"])
    page = client.post(url, {"kind": BUSINESS, "file": SimpleUploadedFile("u.csv", f"nib,name\n{OLD},Bakpia 25\n"
                                                                                      .encode())})
    notice = f"Baris 2: NIB {OLD} sudah dikoreksi menjadi {RIGHT}; data disimpan pada usaha dengan NIB baru."
    assert notice in page.content.decode() and "Konfirmasi impor" in page.content.decode()
    done = client.post(url, {"token": page.context["token"], "kind": BUSINESS}, follow=True)
    body = done.content.decode()
    assert "0 baru, 1 diperbarui" in body and notice in body


# --- a business registered by someone else while the file is imported ---------------------------------------


class Meanwhile:
    """Someone else registers an NIB of the file while the import runs: after the import looked the chunk's NIBs
    up, before it writes them (`_follow_corrections` is its last read). One NIB per attempt, in order.

    Their rows are committed: the import's rollback cannot take them away, so they are put back before each later
    attempt, as PostgreSQL would show them (test_a_real_second_connection… does it with a real one).
    """

    def __init__(self, monkeypatch, world, *nibs):
        import umkm.importing

        self.world, self.pending, self.committed = world, list(nibs), []
        lookup, attempt = umkm.importing._follow_corrections, umkm.importing._import_once

        def raced_lookup(tenant, chunk, known, *args):
            found = lookup(tenant, chunk, known, *args)
            if self.pending and self.pending[0] in {v["nib"] for _line, v in chunk} - set(known):
                self.committed.append(self.pending.pop(0))
                self.register(self.committed[-1])
            return found

        def next_attempt(*args, **kwargs):
            for nib in self.committed:
                self.register(nib)
            return attempt(*args, **kwargs)

        monkeypatch.setattr(umkm.importing, "_follow_corrections", raced_lookup)
        monkeypatch.setattr(umkm.importing, "_import_once", next_attempt)

    def register(self, nib):
        with scope(tenant=self.world.tenant):
            Business.objects.get_or_create(tenant=self.world.tenant, nib=nib,
                                           defaults={"name": "Didaftarkan Orang Lain", "owner_name": "Ani"})


RACE_FILE = HEADER + "3471000000001,Bakpia Joko,,34.71,kuliner,,,\n3471000000002,Gudeg Sari,,34.71,kuliner,,,\n"


def test_a_business_registered_meanwhile_is_updated_by_the_import_once_more(world, monkeypatch):
    """Both write paths: the unique violation rolls the import back, and the import runs once more from the start."""
    race = Meanwhile(monkeypatch, world, "3471000000002")
    result = run(world, RACE_FILE)
    assert race.committed == ["3471000000002"]  # the race did happen
    assert result.ok and result.committed and (result.created, result.updated) == (1, 1)
    with scope(tenant=world.tenant):
        rows = {b.nib: (b.name, b.owner_name) for b in Business.objects.all()}
    # the other person's record is updated with the file's cells; its owner (a cell the file leaves empty) stays
    assert rows == {"3471000000001": ("Bakpia Joko", ""), "3471000000002": ("Gudeg Sari", "Ani")}


def test_a_race_lost_twice_imports_nothing_and_says_to_import_again(world, monkeypatch):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    client = world.client_for(world.tenant_admin)
    url = reverse("umkm:import", args=["diy"])
    page = client.post(url, {"kind": BUSINESS, "file": SimpleUploadedFile("r.csv", RACE_FILE.encode())})
    assert page.context["result"].ok
    race = Meanwhile(monkeypatch, world, "3471000000002", "3471000000001")
    done = client.post(url, {"token": page.context["token"], "kind": BUSINESS}, follow=True)
    assert race.committed == ["3471000000002", "3471000000001"]
    assert done.status_code == 200 and "Coba impor lagi" in done.content.decode()
    with scope(tenant=world.tenant):  # only the other person's two records: nothing of the file
        assert set(Business.objects.values_list("name", flat=True)) == {"Didaftarkan Orang Lain"}


def test_the_command_says_so_too(world, monkeypatch, tmp_path):
    file = tmp_path / "r.csv"
    file.write_text(RACE_FILE)
    Meanwhile(monkeypatch, world, "3471000000002", "3471000000001")
    with pytest.raises(CommandError, match="Import the file again"):
        call_command("import_businesses", str(file), tenant="diy")


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="a second writer needs PostgreSQL")
def test_a_real_second_connection_registering_an_nib_meanwhile(world, monkeypatch):
    """PostgreSQL, with the other person's INSERT committed by another connection between lookup and COPY."""
    import threading

    from django.db import connections

    import umkm.importing

    lookup, raced = umkm.importing._follow_corrections, []

    def elsewhere():
        try:
            with scope(tenant=world.tenant):
                Business.objects.create(tenant=world.tenant, nib="3471000000002", name="Didaftarkan Orang Lain",
                                        owner_name="Ani")
        finally:
            connections.close_all()

    def raced_lookup(*args):
        found = lookup(*args)
        if not raced:
            other = threading.Thread(target=elsewhere)
            other.start()
            other.join(timeout=30)
            raced.append(True)
        return found

    monkeypatch.setattr(umkm.importing, "_follow_corrections", raced_lookup)
    result = run(world, RACE_FILE)
    assert raced and result.committed and (result.created, result.updated) == (1, 1)
    with scope(tenant=world.tenant):
        rows = {b.nib: (b.name, b.owner_name) for b in Business.objects.all()}
    assert rows == {"3471000000001": ("Bakpia Joko", ""), "3471000000002": ("Gudeg Sari", "Ani")}
