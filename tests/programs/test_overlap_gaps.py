"""Gap analysis: the matrix kabupaten/kota × kind of assistance per year, crowded and empty cells, links, CSV."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django_scopes import scope

from programs.overlap_gaps import gap_matrix
from programs.taxonomy import Status
from stakeholders.models import HelixKind, Organization, Region
from tests.umkm.conftest import make_business
from umkm.models import Enrollment

from .conftest import make_program


def org(world, name):
    with scope(tenant=world.tenant):
        return Organization.objects.create(tenant=world.tenant, name=name, helix=HelixKind.COMMUNITY)


@pytest.fixture
def sleman_training(world):
    """Three organisations train Sleman's culinary businesses in 2025 (crowded); one also covers Kota Yogyakarta."""
    third = org(world, "Komunitas Kuliner Sleman")
    a = make_program(world, status=Status.APPROVED, regions=("34.04", "34.71"))
    b = make_program(world, owner=world.other_org, status=Status.SUBMITTED, title="Workshop Jualan Online",
                     start_date=datetime.date(2024, 12, 1), end_date=datetime.date(2025, 1, 15))
    c = make_program(world, owner=third, status=Status.RUNNING, title="Kelas Foto Produk",
                     kinds=["pelatihan"], sectors=["umum"])
    # not counted: a draft, a withdrawn program, a program of another year
    make_program(world, owner=third, status=Status.DRAFT)
    make_program(world, owner=third, status=Status.WITHDRAWN)
    make_program(world, status=Status.APPROVED, start_date=datetime.date(2026, 2, 1),
                 end_date=datetime.date(2026, 2, 3))
    with scope(tenant=world.tenant):
        sleman, kota = (Region.objects.get(tenant=world.tenant, code=code) for code in ("34.04", "34.71"))
    in_sleman = make_business(world.tenant, "3404000000011", region=sleman)
    in_kota = make_business(world.tenant, "3471000000012", region=kota)
    with scope(tenant=world.tenant):
        for program, business in ((a, in_sleman), (b, in_sleman), (a, in_kota), (c, in_sleman)):
            Enrollment.objects.create(tenant=world.tenant, program=program, business=business)
    return a, b, c


def cell(matrix, code, kind):
    for region, cells in matrix.rows:
        if region.code == code:
            return next(c for c in cells if c.kind == kind)
    raise AssertionError(code)


def test_counts_programs_organisations_and_distinct_businesses_per_cell(world, sleman_training):
    with scope(tenant=world.tenant):
        matrix = gap_matrix(world.tenant, year=2025)
    training = cell(matrix, "34.04", "pelatihan")
    assert (training.program_count, training.organisation_count, training.business_count) == (3, 3, 1)
    assert training.crowded and not training.empty
    digital = cell(matrix, "34.04", "digitalisasi")
    assert (digital.program_count, digital.organisation_count, digital.crowded) == (2, 2, False)
    # the Sleman business enrolled in the two-region program counts in Sleman only
    kota = cell(matrix, "34.71", "pelatihan")
    assert (kota.program_count, kota.business_count) == (1, 1)
    gunungkidul = cell(matrix, "34.03", "pelatihan")
    assert gunungkidul.empty and gunungkidul in matrix.empty_cells
    assert cell(matrix, "34.04", "sertifikasi").empty


def test_sector_filter_and_year(world, sleman_training):
    with scope(tenant=world.tenant):
        culinary = gap_matrix(world.tenant, year=2025, sector="kuliner")
        next_year = gap_matrix(world.tenant, year=2026)
    assert cell(culinary, "34.04", "pelatihan").program_count == 2  # the cross-sector class is not "kuliner"
    assert cell(next_year, "34.04", "pelatihan").program_count == 1


def test_page_marks_crowded_and_empty_cells_and_links_each_cell_to_its_programs(
    world, sleman_training, django_assert_max_num_queries
):
    client = world.client_for(world.colleague)
    url = reverse("programs:gaps", args=[world.tenant.slug])
    with django_assert_max_num_queries(20):
        response = client.get(url, {"year": 2025})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Analisis kesenjangan" in html and "<svg" in html
    assert "padat" in html and "kosong" in html
    link = reverse("programs:list", args=[world.tenant.slug]) + "?region=34.04&amp;kind=pelatihan&amp;year=2025"
    assert link in html
    listed = client.get(reverse("programs:list", args=[world.tenant.slug]),
                        {"region": "34.04", "kind": "pelatihan", "year": 2025}).content.decode()
    for program in sleman_training:
        assert program.ref in listed
    # the query count does not grow with the data
    for i in range(5):
        make_program(world, status=Status.APPROVED, regions=("34.03",), title=f"Pelatihan {i}")
    with django_assert_max_num_queries(20):
        client.get(url, {"year": 2025})


def test_csv_download_is_one_row_per_cell_and_neutralised(world, sleman_training):
    with scope(tenant=world.tenant):
        Region.objects.filter(tenant=world.tenant, code="34.03").update(name="=HYPERLINK(1)")
    response = world.client_for(world.staff).get(
        reverse("programs:gaps", args=[world.tenant.slug]), {"year": 2025, "sector": "kuliner", "format": "csv"}
    )
    assert response["Content-Disposition"] == 'attachment; filename="kesenjangan-diy-2025-kuliner.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 1 + 3 * 9  # header + regions × kinds
    by_key = {(r[2], r[4]): r for r in rows[1:]}
    assert by_key[("34.04", "pelatihan")][6:] == ["2", "2", "1", "0", "0"]
    assert by_key[("34.03", "pelatihan")][3] == "'=HYPERLINK(1)"


def test_bad_filters_fall_back_and_strangers_get_404(world, sleman_training):
    url = reverse("programs:gaps", args=[world.tenant.slug])
    assert world.client_for(world.staff).get(url, {"year": "abc", "sector": "nope"}).status_code == 200
    assert world.client_for(world.outsider).get(url).status_code == 404
