"""RPJMD import from CSV/XLSX: the template imports, broken rows are reported by number, nothing half-imported."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_scopes import scope
from openpyxl import Workbook

from roadmap.importer import import_rpjmd_file
from roadmap.models import RPJMD, Indicator, IndicatorAchievement, IndicatorTarget, Misi, Sasaran

TEMPLATE = Path(__file__).resolve().parents[2] / "roadmap" / "static" / "roadmap" / "templat-impor-rpjmd.csv"


def upload(text: str, name="rpjmd.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def counts(tenant):
    with scope(tenant=tenant):
        return [m.objects.count() for m in (RPJMD, Misi, Sasaran, Indicator, IndicatorTarget, IndicatorAchievement)]


def test_the_documented_template_imports_and_a_second_import_changes_nothing(world):
    with scope(tenant=world.tenant):
        result = import_rpjmd_file(tenant=world.tenant, upload=upload(TEMPLATE.read_text()))
    assert result.errors == [] and result.rows == 8
    assert counts(world.tenant) == [1, 1, 1, 2, 12, 6]
    with scope(tenant=world.tenant):
        halal = Indicator.objects.get(code="IKU-2.1.1b")
        assert halal.final_target == 12000 and halal.unit == "unit usaha"
        assert IndicatorTarget.objects.get(indicator=halal, year=2026).value == 10000
        assert IndicatorAchievement.objects.get(indicator=halal, year=2024).value == 7240
        import_rpjmd_file(tenant=world.tenant, upload=upload(TEMPLATE.read_text()))
    assert counts(world.tenant) == [1, 1, 1, 2, 12, 6]


def test_xlsx_with_semicolon_free_cells_imports(world):
    wb = Workbook()
    ws = wb.active
    ws.append(["level", "code", "parent_code", "text", "unit", "target_2023"])
    ws.append(["rpjmd", "2022-2027", None, "RPJMD DIY", None, None])
    ws.append(["misi", "M1", None, "Misi satu", None, None])
    ws.append(["tujuan", "T1", "M1", "Tujuan satu", None, None])
    ws.append(["sasaran", "S1", "T1", "Sasaran satu", None, None])
    ws.append(["indikator", "I1", "S1", "Indikator satu", "%", 12.5])
    data = io.BytesIO()
    wb.save(data)
    file = SimpleUploadedFile("rpjmd.xlsx", data.getvalue())
    with scope(tenant=world.tenant):
        result = import_rpjmd_file(tenant=world.tenant, upload=file)
        assert result.ok, result.errors
        assert IndicatorTarget.objects.get(indicator__code="I1", year=2023).value == 12.5


BROKEN = """level;code;parent_code;text;unit;baseline;target_2023;target_2031
rpjmd;2022-2027;;RPJMD DIY;;;;
misi;M1;;Misi satu;;;;
tujuan;T1;M9;Tujuan tanpa induk;;;;
tujuan;T2;M1;Tujuan dua;;;;
sasaran;S1;T2;Sasaran;;;;
indikator;I1;S1;Tanpa satuan;;;;
indikator;I2;S1;Negatif;%;-4;;
indikator;I3;S1;Di luar periode;%;;;7
planet;X;;?;;;;
"""


def test_broken_rows_are_reported_and_nothing_is_saved(world):
    with scope(tenant=world.tenant):
        result = import_rpjmd_file(tenant=world.tenant, upload=upload(BROKEN))
    assert not result.ok
    by_row = dict(result.errors)
    assert set(by_row) == {4, 7, 8, 9, 10}
    assert "M9" in by_row[4]
    assert "satuan" in by_row[7] or "unit" in by_row[7]
    assert "negatif" in by_row[8]
    assert "2031" in by_row[9] and "2022–2027" in by_row[9]
    assert "planet" in by_row[10]
    assert counts(world.tenant) == [0, 0, 0, 0, 0, 0]


def test_an_overlapping_rpjmd_is_refused_in_the_import(plan, world):
    with scope(tenant=world.tenant):
        result = import_rpjmd_file(tenant=world.tenant, upload=upload(
            "level,code,text\nrpjmd,2025-2029,RPJMD baru\nmisi,M1,Misi\n"))
    assert dict(result.errors)[2].count("RPJMD DIY 2022–2027") == 1
    assert counts(world.tenant)[:2] == [1, 1]


def test_import_page_shows_row_errors(world):
    client = world.client_for(world.tenant_admin)
    response = client.post(reverse("roadmap:import", args=["diy"]), {"file": upload(BROKEN)})
    page = response.content.decode()
    assert "Tidak ada yang diimpor" in page
    assert "Baris 4" in page and "Baris 10" in page


def test_import_page_redirects_to_the_rpjmd_after_success(world):
    client = world.client_for(world.tenant_admin)
    response = client.post(reverse("roadmap:import", args=["diy"]), {"file": upload(TEMPLATE.read_text())},
                           follow=True)
    page = response.content.decode()
    assert "Jumlah UMKM bersertifikat halal" in page
    assert "8 baris diimpor" in page


@pytest.mark.parametrize("content", ["", "foo,bar\n1,2\n"])
def test_unusable_files(world, content):
    with scope(tenant=world.tenant):
        result = import_rpjmd_file(tenant=world.tenant, upload=upload(content))
    assert result.errors and result.errors[0][0] == 1
