"""The timeline per region: month bars coloured by kind, crowding counts, an accessible table, visibility."""

import datetime
from types import SimpleNamespace

import pytest
from django.urls import reverse

from programs import browse_views, timeline
from programs.models import Program
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


def test_crowding_counts_every_program_and_bars_come_a_page_at_a_time(world, tenant_scope):
    make_program(world, title="A", start_date=D(2025, 3, 1), end_date=D(2025, 4, 30), regions=("34.04",))
    make_program(world, title="B", start_date=D(2025, 4, 1), end_date=D(2025, 4, 5), regions=("34.04", "34.71"))
    make_program(world, title="Tahun Lalu", start_date=D(2024, 4, 1), end_date=D(2024, 4, 5), regions=("34.04",))
    regions = {r.code: r for r in Region.objects.filter(tenant=tenant_scope)}
    sleman, kota = regions["34.04"].pk, regions["34.71"].pk
    programs = Program.objects.all()
    counts = timeline.crowding(programs, 2025, list(regions.values()))
    assert set(counts) == {sleman, kota}  # Gunungkidul has no program in 2025: no lane
    total, per_month = counts[sleman]
    assert total == 2 and per_month[2:5] == [1, 2, 0] and sum(per_month) == 3
    assert counts[kota] == (1, [0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0])
    first = timeline.bars(programs, 2025, [sleman, kota], offset=0, limit=1)
    assert {k: [b.program.title for b in v] for k, v in first.items()} == {sleman: ["A"], kota: ["B"]}
    second = timeline.bars(programs, 2025, [sleman, kota], offset=1, limit=1)
    assert {k: [b.program.title for b in v] for k, v in second.items()} == {sleman: ["B"]}


@pytest.fixture
def small_pages(monkeypatch):
    """Page sizes of a few bars, so paging shows with a handful of programs."""
    monkeypatch.setattr(browse_views, "TIMELINE_BARS_PER_LANE", 3)
    monkeypatch.setattr(browse_views, "TIMELINE_REGIONS_PER_PAGE", 2)
    monkeypatch.setattr(browse_views, "TIMELINE_BARS_PER_PAGE", 4)


@pytest.fixture
def busy_sleman(world):
    for month in range(1, 6):
        make_program(world, title=f"Sleman bulan {month}", status="approved", regions=("34.04",),
                     start_date=D(2025, month, 1), end_date=D(2025, 6, 30))
    make_program(world, title="Program Gunungkidul", status="approved", regions=("34.03",))
    make_program(world, title="Program Kota", status="approved", regions=("34.71",))


def shown(page: str) -> list[str]:
    return [t for t in [f"Sleman bulan {m}" for m in range(1, 6)] + ["Program Gunungkidul", "Program Kota"]
            if f">{t}<" in page]


def running_row(page: str) -> str:
    return page[page.index("tl-row tl-count"):page.index("tl-bars")]


def test_all_regions_show_their_first_bars_and_regions_come_a_few_at_a_time(world, busy_sleman, small_pages):
    client = world.client_for(world.colleague)
    page = client.get(url("year=2025")).content.decode()
    # Regions by code, two per page: Gunungkidul and Sleman; Sleman's first three programs by start date.
    assert shown(page) == ["Sleman bulan 1", "Sleman bulan 2", "Sleman bulan 3", "Program Gunungkidul"]
    assert "Program 1–3 dari 5 menurut tanggal mulai" in page and "Halaman 1 dari 2" in page
    assert "?year=2025&amp;region=34.04" in page and "Semua 5 program di Sleman" in page
    # The "running" row counts all five Sleman programs, not only the three bars drawn.
    assert ">5</span>" in running_row(page[page.index('id="lane-3404"'):])
    assert shown(client.get(url("year=2025&page=2")).content.decode()) == ["Program Kota"]


def test_one_region_pages_through_all_its_programs(world, busy_sleman, small_pages):
    client = world.client_for(world.colleague)
    first = client.get(url("year=2025&region=34.04")).content.decode()
    second = client.get(url("year=2025&region=34.04&page=2")).content.decode()
    assert shown(first) == [f"Sleman bulan {m}" for m in range(1, 5)]
    assert shown(second) == ["Sleman bulan 5"] and "Program 5–5 dari 5" in second
    assert "Halaman 2 dari 2" in second and "?year=2025&amp;region=34.04&amp;page=1" in second
    assert running_row(first) == running_row(second)  # the counts cover the whole region on every page
    table = client.get(url("year=2025&region=34.04&page=2&view=table")).content.decode()
    assert "<table>" in table and shown(table) == ["Sleman bulan 5"]


def test_this_year_by_default(world):
    this_year = datetime.date.today().year
    make_program(world, title="Program Tahun Ini", status="approved", start_date=D(this_year, 2, 1),
                 end_date=D(this_year, 2, 28))
    make_program(world, title="Program Tahun Lalu", status="approved", start_date=D(this_year - 1, 2, 1),
                 end_date=D(this_year - 1, 2, 28))
    page = world.client_for(world.colleague).get(url()).content.decode()
    assert f"Linimasa program {this_year}" in page
    assert "Program Tahun Ini" in page and "Program Tahun Lalu" not in page


def test_an_invalid_filter_is_dropped_alone_with_a_message(world):
    make_program(world, title="Pelatihan Sleman", status="approved", regions=("34.04",), kinds=["pelatihan"])
    make_program(world, title="Halal Kota", status="approved", regions=("34.71",), kinds=["sertifikasi"])
    page = world.client_for(world.colleague).get(url("year=2025&region=34.71&kind=bogus")).content.decode()
    assert "Halal Kota" in page and "Pelatihan Sleman" not in page
    assert "Jenis bantuan: “bogus” bukan nilai yang sah, jadi filter ini diabaikan" in page


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


@pytest.mark.parametrize("query", ["year=2025", "year=2025&region=34.04", "year=2025&region=34.04&view=table"])
def test_timeline_query_count_does_not_grow(world, query):
    counts = query_counts(world.client_for(world.colleague), url(query), lambda i: make_program(
        world, title=f"Program {i}", status="approved", regions=("34.04", "34.71"),
        start_date=D(2025, 1 + i % 12, 1), end_date=D(2025, 1 + i % 12, 20)))
    assert counts[10] == counts[60], counts


def test_the_page_draws_a_bounded_number_of_bars(world):
    """60 programs in one region: the overview draws the first 20, the region's page 50 — never all at once."""
    for i in range(60):
        make_program(world, title=f"Program {i:02d}", status="approved", regions=("34.04",),
                     start_date=D(2025, 1 + i % 12, 1), end_date=D(2025, 1 + i % 12, 20))
    client = world.client_for(world.colleague)
    assert client.get(url("year=2025")).content.decode().count('class="tl-bar ') == 20
    assert client.get(url("year=2025&region=34.04")).content.decode().count('class="tl-bar ') == 50
    assert client.get(url("year=2025&region=34.04&page=2")).content.decode().count('class="tl-bar ') == 10
