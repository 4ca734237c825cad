"""Import of businesses and outcome reports: all or nothing, per-row messages, updates by NIB."""

import io

import pytest
from django.core.management import CommandError, call_command
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
