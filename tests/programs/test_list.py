"""The program list: filters in the URL, sorting, pagination, htmx partial, constant query count."""

import datetime

import pytest
from django.urls import reverse
from django_scopes import scope

from stakeholders.models import Organization

from .conftest import make_program


def url(name, *args):
    return reverse(f"programs:{name}", args=["diy", *args])


@pytest.fixture
def three(world):
    a = make_program(world, title="Pelatihan Kuliner Sleman", status="submitted", kinds=["pelatihan"],
                     sectors=["kuliner"], regions=("34.04",))
    b = make_program(world, owner=world.other_org, title="Klinik Halal Kota", status="approved",
                     kinds=["sertifikasi"], sectors=["kuliner", "kriya"], regions=("34.71",),
                     start_date=datetime.date(2026, 2, 1), end_date=datetime.date(2026, 6, 30))
    c = make_program(world, owner=world.other_org, title="Pameran Kriya Gunungkidul", status="running",
                     kinds=["pemasaran"], sectors=["kriya"], regions=("34.03",),
                     start_date=datetime.date(2024, 11, 1), end_date=datetime.date(2025, 1, 31))
    return a, b, c


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {0, 1, 2}),
        ("status=approved", {1}),
        ("helix=campus", {1, 2}),
        ("region=34.03", {2}),
        ("kind=sertifikasi", {1}),
        ("sector=kriya", {1, 2}),
        ("year=2024", {2}),
        ("year=2025", {0, 2}),
        ("q=halal", {1}),
        ("q=kriya+gunungkidul", {2}),
        ("mine=on", {0}),
        ("status=bogus", {0, 1, 2}),
        # An invalid value drops that filter alone: the valid ones still narrow the list.
        ("status=bogus&region=34.03", {2}),
        ("region=99.99&kind=sertifikasi", {1}),
        ("year=tahun&sector=kriya&owner=abc", {1, 2}),
    ],
)
def test_filters(world, three, query, expected):
    page = world.client_for(world.staff).get(url("list") + "?" + query).content.decode()
    shown = {i for i, p in enumerate(three) if p.title in page}
    assert shown == expected


def test_an_invalid_filter_is_named_in_a_message(world, three):
    client = world.client_for(world.staff)
    for response in (client.get(url("list") + "?status=bogus&region=34.03"),
                     client.get(url("list") + "?status=bogus&region=34.03", HTTP_HX_REQUEST="true")):
        page = response.content.decode()
        assert response.status_code == 200
        assert "Status: “bogus” bukan nilai yang sah, jadi filter ini diabaikan; filter lain tetap berlaku." in page
        alert = page[page.index('role="alert"'):]
        assert alert[:alert.index("</div>")].count('class="message warning"') == 1  # the valid filter applies
    page = client.get(url("list") + "?region=34.03").content.decode()
    assert "bukan nilai yang sah" not in page


def test_empty_choices_read_semua(world, three):
    page = world.client_for(world.staff).get(url("list")).content.decode()
    assert "---------" not in page
    for name in ("status", "helix", "owner", "region", "kind", "sector", "priority"):
        select = page[page.index(f'name="{name}"'):]
        assert select[select.index("<option"):].startswith('<option value="" selected>Semua</option>'), name


def test_owner_filter_and_sorting(world, three):
    client = world.client_for(world.staff)
    page = client.get(url("list") + f"?owner={world.other_org.pk}&sort=title").content.decode()
    assert page.index("Klinik Halal Kota") < page.index("Pameran Kriya Gunungkidul")
    assert "Pelatihan Kuliner Sleman" not in page
    page = client.get(url("list") + "?sort=-start").content.decode()
    assert page.index("Klinik Halal Kota") < page.index("Pelatihan Kuliner Sleman") < page.index("Pameran Kriya")


def test_htmx_request_gets_only_the_results(world, three):
    response = world.client_for(world.staff).get(url("list") + "?kind=pemasaran", HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert "<html" not in page and "Pameran Kriya Gunungkidul" in page
    assert "format=csv" in page and "kind=pemasaran" in page  # export keeps the filters


def test_pagination(world):
    for i in range(27):
        make_program(world, title=f"Program nomor {i:02d}", status="submitted")
    client = world.client_for(world.colleague)
    first = client.get(url("list") + "?sort=title").content.decode()
    second = client.get(url("list") + "?sort=title&page=2").content.decode()
    assert "Program nomor 00" in first and "Program nomor 25" not in first
    assert "Program nomor 25" in second and "Halaman 2 dari 2" in second


def test_query_count_is_the_same_for_10_and_100_programs(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with scope(tenant=world.tenant):
        orgs = [Organization.objects.create(tenant=world.tenant, name=f"Lembaga {i}", helix="community")
                for i in range(3)]
    client = world.client_for(world.colleague)
    counts = {}
    for total in (10, 100):
        with scope(tenant=world.tenant):
            missing = total - world.tenant.program_set.count()
        for i in range(missing):
            make_program(world, owner=orgs[i % 3], status="submitted", regions=("34.04", "34.71"),
                         partners=[world.org])
        client.get(url("list") + "?sort=ref")
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url("list") + "?sort=ref")
        assert response.status_code == 200
        counts[total] = len(ctx.captured_queries)
    assert counts[10] == counts[100], counts
    assert counts[10] <= 12, counts
