"""Pages of the registry stay O(1) in SQL: the same number of queries with few rows and with many."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.programs.conftest import make_program
from tests.umkm.conftest import enrol, make_business, make_businesses, report
from umkm.scale import MILIAR

JUTA = 1_000_000


def queries(client, path, params=None) -> int:
    client.get(path, params or {})  # warm the session and per-process caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, params or {})
    assert response.status_code == 200
    return len(captured)


def test_list_and_underserved_and_picker(world, django_assert_max_num_queries):
    client = world.client_for(world.staff)
    paths = [(reverse("umkm:list", args=["diy"]), {}), (reverse("umkm:list", args=["diy"]), {"q": "Usaha"}),
             (reverse("umkm:underserved", args=["diy"]), {"years": 3}),
             (reverse("umkm:search", args=["diy"]), {"q": "3404"})]
    make_businesses(world, 1, 3)
    few = [queries(client, path, params) for path, params in paths]
    make_businesses(world, 100, 60)
    many = [queries(client, path, params) for path, params in paths]
    assert few == many
    with django_assert_max_num_queries(12):
        client.get(*paths[0])


def test_business_page_with_a_long_history(world, django_assert_max_num_queries):
    business = make_business(world.tenant, "3404000000001", "Bakpia Pathok")
    client = world.client_for(world.tenant_admin)
    path = reverse("umkm:detail", args=["diy", business.nib])

    def take_part(i):
        program = make_program(world, status="completed", start_date=dt.date(2020, 1, 1) + dt.timedelta(days=40 * i),
                               end_date=dt.date(2020, 1, 20) + dt.timedelta(days=40 * i), title=f"Program {i}")
        enrol(program, business)
        report(business, program.start_date, (100 + i) * JUTA, program=program)

    take_part(0)
    few = queries(client, path)
    for i in range(1, 8):
        take_part(i)
    assert queries(client, path) == few
    with django_assert_max_num_queries(14):
        page = client.get(path).content.decode()
    assert "Program 7" in page and "Program 0" in page


def test_participants_page_and_program_page(world):
    program = make_program(world, status="running", target_umkm=200)
    client = world.client_for(world.staff)
    paths = [reverse("umkm:enroll", args=["diy", program.ref]), reverse("programs:detail", args=["diy", program.ref])]

    def take_part(first, count):
        businesses = make_businesses(world, first, count)
        enrol(program, *businesses)
        for business in businesses:
            report(business, dt.date(2025, 3, 1), 1 * MILIAR, program=program)
            report(business, dt.date(2025, 4, 1), 3 * MILIAR, program=program)

    take_part(1, 2)
    few = [queries(client, path) for path in paths]
    take_part(100, 40)
    assert [queries(client, path) for path in paths] == few
    assert "42 dari 200" in client.get(paths[1]).content.decode()
