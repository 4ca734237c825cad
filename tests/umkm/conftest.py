"""Businesses, enrolments and outcome reports for the UMKM tests, built in tenant A (diy) of the shared `world`.

One factory per thing: `make_business(es)`, `enrol` (a program's participants), `report` (an outcome report);
`three` gives the businesses with NIBs A, B and C that the enrolment tests pass around.
"""

import pytest
from django.urls import reverse
from django_scopes import scope

from stakeholders.models import Region
from umkm.models import Business, Enrollment, OutcomeReport
from umkm.services import enroll_by_nibs, outcome_report_save

A, B, C = "3404000000001", "3404000000002", "3404000000003"


def make_business(tenant, nib, name="Usaha Contoh", **extra):
    with scope(tenant=tenant):
        region = extra.pop("region", None) or Region.objects.filter(tenant=tenant).order_by("code").first()
        return Business.objects.create(
            tenant=tenant, nib=nib, name=name, region=region, sector=extra.pop("sector", "kuliner"), **extra
        )


def make_businesses(world, first, count, **extra) -> list[Business]:
    """`count` businesses "Usaha N" with NIBs 3404… numbered from `first`."""
    return [make_business(world.tenant, f"3404{first + i:09d}", f"Usaha {first + i}", **extra) for i in range(count)]


def enrol(program, *businesses) -> list[Enrollment]:
    """Enrol businesses (or NIBs) in the program the way the importer does: no quota, unknown NIBs created."""
    nibs = [b if isinstance(b, str) else b.nib for b in businesses]
    with scope(tenant=program.tenant):
        return enroll_by_nibs(program=program, nibs=nibs)


def report(business, date, sales, active=True, program=None) -> OutcomeReport:
    """An outcome report saved through the service, so the business's scale follows."""
    with scope(tenant=business.tenant):
        return outcome_report_save(report=OutcomeReport(business=business, date=date, annual_sales=sales,
                                                        still_active=active, program=program))


def enroll_url(program) -> str:
    return reverse("umkm:enroll", args=[program.tenant.slug, program.ref])


@pytest.fixture
def three(world) -> list[Business]:
    return [make_business(world.tenant, nib, f"Usaha {i}") for i, nib in enumerate((A, B, C))]


@pytest.fixture
def bakpia(world):
    return make_business(
        world.tenant, "3471000000001", "Bakpia Mas Joko", owner_name="Joko Susilo", phone="081234567890",
        email="joko@bakpia.test", address="Jl. Pathuk 25",
    )
