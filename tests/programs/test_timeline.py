"""The timeline per region: month bars coloured by kind, crowding counts, an accessible table, visibility."""

import datetime
from types import SimpleNamespace

from django.urls import reverse

from programs import timeline
from stakeholders.models import Region

from .conftest import make_program, query_counts

D = datetime.date


def url(query=""):
    return reverse("programs:timeline", args=["diy"]) + (f"?{query}" if query else "")


def fake(start, end, kinds=("pelatihan",)):
    return SimpleNamespace(start_date=start, end_date=end, kinds=list(kinds), ref="X")


def test_bar_covers_the_months_of_the_year_the_program_touches():
    bar = timeline.bar_for(fake(D(2025, 3, 10), D(2025, 5, 2)), 2025)
    assert (bar.first_month, bar.last_month, bar.end_column) == (3, 5, 6)
    assert not bar.starts_before and not bar.ends_after and bar.kind == "pelatihan"


def test_bar_is_cut_at_the_year_boundaries_and_says_so():
    bar = timeline.bar_for(fake(D(2024, 11, 1), D(2026, 2, 1), kinds=["pemasaran"]), 2025)
    assert (bar.first_month, bar.last_month) == (1, 12)
    assert bar.starts_before and bar.ends_after and bar.kind == "pemasaran"
    assert timeline.bar_for(fake(D(2024, 1, 1), D(2024, 12, 31)), 2025) is None
    assert timeline.bar_for(fake(None, None), 2025) is None


def test_lanes_group_by_region_and_count_programs_per_month(world, tenant_scope):
    a = make_program(world, title="A", start_date=D(2025, 3, 1), end_date=D(2025, 4, 30), regions=("34.04",))
    b = make_program(world, title="B", start_date=D(2025, 4, 1), end_date=D(2025, 4, 5),
                     regions=("34.04", "34.71"))
    regions = list(Region.objects.filter(tenant=tenant_scope).order_by("code"))  # 34.03, 34.04, 34.71
    lanes = timeline.lanes([b, a], 2025, regions)
    assert [lane.region.code for lane in lanes] == ["34.04", "34.71"]  # Gunungkidul has no bar: no lane
    sleman = lanes[0]
    assert [bar.program.title for bar in sleman.bars] == ["A", "B"]
    assert sleman.per_month[2:5] == [1, 2, 0] and sleman.busiest == 2


def test_timeline_page_shows_bars_by_region_with_kind_colours(world):
    make_program(world, title="Pelatihan Kuliner Maret", status="approved", regions=("34.04",),
                 start_date=D(2025, 3, 10), end_date=D(2025, 5, 12), kinds=["pelatihan"])
    make_program(world, owner=world.other_org, title="Pameran Kriya Akhir Tahun", status="running",
                 regions=("34.03",), start_date=D(2025, 11, 1), end_date=D(2026, 1, 31), kinds=["pemasaran"])
    page = world.client_for(world.colleague).get(url("year=2025")).content.decode()
    assert "Linimasa program 2025" in page
    assert "Sleman" in page and "Gunungkidul" in page
    assert "tl-bar tl-kind-pelatihan tl-s-3 tl-e-6" in page
    assert "tl-bar tl-kind-pemasaran tl-s-11 tl-e-13 tl-after" in page
    assert "?year=2024" in page and "?year=2026" in page


def test_table_alternative_lists_the_same_programs(world):
    make_program(world, title="Klinik Halal Kota", status="submitted", regions=("34.71",),
                 start_date=D(2025, 2, 1), end_date=D(2025, 2, 28))
    page = world.client_for(world.colleague).get(url("year=2025&view=table")).content.decode()
    assert "<table>" in page and "tl-bar" not in page
    assert "Klinik Halal Kota" in page and "Kota Yogyakarta" in page and "Diajukan" in page
    assert "Tampilkan sebagai linimasa" in page


def test_other_organisations_drafts_and_dropped_programs_stay_off(world):
    make_program(world, title="Draf Dinas Rahasia", status="draft", start_date=D(2025, 3, 1),
                 end_date=D(2025, 3, 31))
    make_program(world, title="Program Ditarik", status="withdrawn", start_date=D(2025, 3, 1),
                 end_date=D(2025, 3, 31))
    make_program(world, title="Program Diajukan", status="submitted", start_date=D(2025, 3, 1),
                 end_date=D(2025, 3, 31))
    colleague = world.client_for(world.colleague).get(url("year=2025")).content.decode()
    assert "Program Diajukan" in colleague
    assert "Draf Dinas Rahasia" not in colleague and "Program Ditarik" not in colleague
    # The owner's own draft is a plan too: it shows for its own staff.
    assert "Draf Dinas Rahasia" in world.client_for(world.staff).get(url("year=2025")).content.decode()
    # Asking for the status explicitly shows it.
    assert "Program Ditarik" in world.client_for(world.colleague).get(
        url("year=2025&status=withdrawn")).content.decode()


def test_filters_narrow_the_timeline(world):
    make_program(world, title="Pelatihan Sleman", status="approved", regions=("34.04",), kinds=["pelatihan"])
    make_program(world, title="Halal Kota", status="approved", regions=("34.71",), kinds=["sertifikasi"])
    client = world.client_for(world.colleague)
    page = client.get(url("year=2025&region=34.71")).content.decode()
    assert "Halal Kota" in page and "Pelatihan Sleman" not in page
    page = client.get(url("year=2025&kind=pelatihan")).content.decode()
    assert "Pelatihan Sleman" in page and "Halal Kota" not in page


def test_timeline_query_count_does_not_grow(world):
    counts = query_counts(world.client_for(world.colleague), url("year=2025"), lambda i: make_program(
        world, title=f"Program {i}", status="approved", regions=("34.04", "34.71"),
        start_date=D(2025, 1 + i % 12, 1), end_date=D(2025, 1 + i % 12, 20)))
    assert counts[10] == counts[60], counts
