"""Businesses for the UMKM tests, built in tenant A (diy) of the shared `world`."""

import pytest
from django_scopes import scope

from stakeholders.models import Region
from umkm.models import Business


def make_business(tenant, nib, name="Usaha Contoh", **extra):
    with scope(tenant=tenant):
        region = extra.pop("region", None) or Region.objects.filter(tenant=tenant).order_by("code").first()
        return Business.objects.create(
            tenant=tenant, nib=nib, name=name, region=region, sector=extra.pop("sector", "kuliner"), **extra
        )


@pytest.fixture
def bakpia(world):
    return make_business(
        world.tenant, "3471000000001", "Bakpia Mas Joko", owner_name="Joko Susilo", phone="081234567890",
        email="joko@bakpia.test", address="Jl. Pathuk 25",
    )
