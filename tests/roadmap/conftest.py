"""Roadmap fixtures: a small RPJMD hierarchy and a roadmap in the `world` tenant."""

from decimal import Decimal

import pytest
from django_scopes import scope

from roadmap.models import (
    RPJMD,
    Indicator,
    IndicatorTarget,
    Misi,
    Priority,
    PriorityTarget,
    Roadmap,
    Sasaran,
    Tujuan,
)


class Plan:
    """RPJMD 2022–2027 with one misi/tujuan/sasaran/indicator, and a roadmap 2025–2027 with one priority."""

    def __init__(self, tenant):
        with scope(tenant=tenant):
            self.rpjmd = RPJMD.objects.create(tenant=tenant, title="RPJMD DIY 2022–2027", start_year=2022,
                                              end_year=2027, visi="Yogyakarta yang lebih bermartabat")
            self.misi = Misi.objects.create(tenant=tenant, rpjmd=self.rpjmd, code="M2", text="Ekonomi kerakyatan")
            self.tujuan = Tujuan.objects.create(tenant=tenant, misi=self.misi, code="T2.1", text="UMKM naik kelas")
            self.sasaran = Sasaran.objects.create(tenant=tenant, tujuan=self.tujuan, code="S2.1.1",
                                                  text="Meningkatnya daya saing UMKM")
            self.indicator = Indicator.objects.create(
                tenant=tenant, sasaran=self.sasaran, code="IKU-7", name="Persentase UMKM go digital",
                unit="%", baseline=Decimal("20"), final_target=Decimal("45"),
                responsible_agency="Dinas Koperasi dan UKM DIY",
            )
            IndicatorTarget.objects.create(tenant=tenant, indicator=self.indicator, year=2026, value=Decimal("40"))
            self.roadmap = Roadmap.objects.create(tenant=tenant, title="Peta Jalan UMKM DIY 2025–2027",
                                                  rpjmd=self.rpjmd, start_year=2025, end_year=2027)
            self.priority = Priority.objects.create(
                tenant=tenant, roadmap=self.roadmap, title="Sertifikasi halal", kinds=["sertifikasi"],
                sectors=["kuliner"], helix_kinds=["government", "campus"], order=1,
            )
            self.priority.sasaran.add(self.sasaran)
            self.priority.indicators.add(self.indicator)
            PriorityTarget.objects.create(tenant=tenant, priority=self.priority, year=2026, umkm_reached=100,
                                          programs=3, budget_idr=300_000_000)


@pytest.fixture
def plan(world):
    return Plan(world.tenant)
