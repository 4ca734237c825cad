"""Program fixtures: a complete program of world.org, ready to be submitted."""

import datetime

import pytest
from django_scopes import scope

from programs.models import Program
from stakeholders.models import Region


def make_program(world, *, owner=None, status="draft", regions=("34.04",), partners=(), **fields):
    """A complete program (every field submit needs) of `owner` (default world.org) in the given status."""
    tenant = world.tenant
    with scope(tenant=tenant):
        values = {
            "title": "Pelatihan Pemasaran Digital bagi UMKM Kuliner",
            "description": "Pelatihan tiga hari tentang pemasaran lewat media sosial.",
            "kinds": ["pelatihan", "digitalisasi"],
            "sectors": ["kuliner"],
            "start_date": datetime.date(2025, 3, 10),
            "end_date": datetime.date(2025, 3, 12),
            "target_umkm": 40,
            "budget_idr": 45_000_000,
            "funding_source": "apbd",
            "contact_name": "Rina Wulandari",
            "contact_phone": "0274 123456",
            "status": status,
        }
        values.update(fields)
        program = Program(tenant=tenant, owner=owner or world.org, **values)
        if "ref" in fields:
            program.save()
        else:
            program.save_with_new_ref()
        program.regions.set(Region.objects.filter(tenant=tenant, code__in=regions))
        program.partners.set(partners)
    return program


@pytest.fixture
def program(world):
    return make_program(world)


def query_counts(client, path, make_one, sizes=(10, 60)) -> dict[int, int]:
    """SQL queries of one GET of `path` after make_one(i) built `size` programs, for each size."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts, made = {}, 0
    for size in sizes:
        for i in range(made, size):
            make_one(i)
        made = size
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(path)
        assert response.status_code == 200
        counts[size] = len(ctx.captured_queries)
    return counts
