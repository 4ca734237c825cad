"""The coverage roll-up on a hand-built case: every number checked exactly, and the gaps worded."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation
from django_scopes import scope

from programs.models import Program
from roadmap import coverage as cov
from roadmap.models import Priority, PriorityTarget
from stakeholders.models import HelixKind, Organization, Region


def program(world, ref, *, status="approved", start=(2025, 3, 1), end=(2025, 6, 30), umkm=0, budget=0,
            owner=None, regions=(), partners=(), priority=None):
    p = Program.objects.create(
        tenant=world.tenant, ref=ref, owner=owner or world.org, title=f"Program {ref}", kinds=["sertifikasi"],
        sectors=["kuliner"], status=status, start_date=datetime.date(*start), end_date=datetime.date(*end),
        target_umkm=umkm, budget_idr=budget)
    p.regions.set(regions)
    p.partners.set(partners)
    if priority is not None:
        p.priorities.add(priority)
    return p


@pytest.fixture
def case(plan, world):
    """The plan's priority (roadmap 2025–2027, targets 2026: 100 UMKM, 3 programs, Rp300 juta; now also 2025)."""
    with scope(tenant=world.tenant):
        sleman, kota, gk = (Region.objects.get(code=c) for c in ("34.04", "34.71", "34.03"))
        plan.priority.regions.set([sleman, gk])
        PriorityTarget.objects.create(tenant=world.tenant, priority=plan.priority, year=2025, umkm_reached=50,
                                      programs=2, budget_idr=100_000_000)
        bank = Organization.objects.create(tenant=world.tenant, name="Bank Contoh", helix=HelixKind.BUSINESS)
        p = plan.priority
        # 2025 only, Sleman, government owner + campus partner.
        program(world, "A", umkm=30, budget=40_000_000, regions=[sleman], partners=[world.other_org], priority=p)
        # Runs 2025–2026 (counts as a program both years; UMKM and budget once, in 2025), Sleman + Kota.
        program(world, "B", status="running", start=(2025, 10, 1), end=(2026, 3, 31), umkm=25, budget=60_000_000,
                owner=world.other_org, regions=[sleman, kota], partners=[bank], priority=p)
        # 2026, Sleman, submitted (counts).
        program(world, "C", status="submitted", start=(2026, 2, 1), end=(2026, 4, 1), umkm=40,
                budget=90_000_000, regions=[sleman], priority=p)
        # Not counted: a draft, a rejected program, a program not linked to the priority.
        program(world, "D", status="draft", umkm=500, budget=1, regions=[gk], priority=p)
        program(world, "E", status="rejected", umkm=500, budget=1, regions=[gk], priority=p)
        program(world, "F", umkm=500, budget=1, regions=[gk])
        # Another tenant's program can never be linked here; its priority is in its own tenant.
    return plan


def rollup(plan, world):
    with scope(tenant=world.tenant):
        priorities = list(cov.prefetched(Priority.objects.filter(pk=plan.priority.pk)))
        return cov.coverage(priorities, plan.roadmap.years)[plan.priority.pk]


def test_roll_up_numbers_are_exact(case, world):
    c = rollup(case, world)
    y2025, y2026, y2027 = c.years
    assert c.total_programs == 3
    assert (y2025.programs, y2025.planned_umkm, y2025.budget) == (2, 55, 100_000_000)
    assert (y2026.programs, y2026.planned_umkm, y2026.budget) == (2, 40, 90_000_000)
    assert (y2027.programs, y2027.planned_umkm, y2027.budget) == (0, 0, 0)
    assert (y2025.target_umkm, y2025.target_programs, y2025.target_budget) == (50, 2, 100_000_000)
    assert (y2026.target_umkm, y2026.target_programs, y2026.target_budget) == (100, 3, 300_000_000)
    assert y2027.target_umkm is None and not y2027.has_target
    # Organisations by helix kind: 2025 = Dinas (owner A), campus (partner A, owner B), bank (partner B);
    # 2026 = campus (owner B), bank (partner B), Dinas (owner C).
    assert y2025.helix == {"government": 1, "campus": 1, "business": 1}
    assert y2026.helix == {"government": 1, "campus": 1, "business": 1}
    assert y2027.helix == {}
    regions = {str(r): per_year for r, per_year in c.regions}
    assert regions == {"Sleman": {2025: 2, 2026: 2, 2027: 0}, "Gunungkidul": {2025: 0, 2026: 0, 2027: 0}}
    assert c.total_planned_umkm == 95 and c.total_budget == 190_000_000 and c.total_target_umkm == 150


def test_gaps_are_stated_in_words_year_by_year(case, world):
    with translation.override("id"):
        gaps = rollup(case, world).gaps
    texts = [g.text for g in gaps]
    assert texts == [
        "Gunungkidul: belum ada program Sertifikasi halal untuk 2025",
        "Gunungkidul: belum ada program Sertifikasi halal untuk 2026",
        "2026: 2 dari target 3 program",
        "2026: program merencanakan 40 dari target 100 UMKM",
        "Gunungkidul, Sleman: belum ada program Sertifikasi halal untuk 2027",
    ]
    assert [(g.year, g.kind, g.regions) for g in gaps][-1] == (2027, "regions", ("34.03", "34.04"))
    # 2025 reaches its targets and every expected helix kind takes part: no gap for its programs or UMKM.


def gap(year, n):
    return [cov.Gap(year, "programs", f"{year}: gap {i}") for i in range(n)]


def test_long_gap_lists_are_grouped_by_year_this_year_first_and_folded():
    gaps = gap(2023, 3) + gap(2024, 2) + gap(2026, 4) + gap(2027, 2) + gap(2028, 3)
    shown, hidden, hidden_count = cov.gap_sections(gaps, current_year=2026, shown=6)
    # This year and the coming ones first, whole years only, about six sentences; past years at the end.
    assert [y for y, _items in shown] == [2026, 2027]
    assert [y for y, _items in hidden] == [2028, 2023, 2024]
    assert hidden_count == 8 and sum(len(items) for _y, items in shown) == 6
    # One year longer than the cap is still shown whole; nothing is lost.
    shown, hidden, hidden_count = cov.gap_sections(gap(2026, 9), current_year=2026, shown=6)
    assert [(y, len(items)) for y, items in shown] == [(2026, 9)] and hidden == [] and hidden_count == 0
    assert cov.gap_sections([], current_year=2026) == ([], [], 0)


def test_coverage_page_folds_long_gap_lists_and_the_csv_keeps_them_all(plan, world):
    with scope(tenant=world.tenant):
        regions = [Region.objects.create(tenant=world.tenant, code=f"34.{n:02d}", name=f"Kabupaten {n}",
                                         kind="kabupaten") for n in range(10, 16)]
        plan.priority.regions.set(regions)
        for year in (2025, 2026, 2027):
            PriorityTarget.objects.update_or_create(
                tenant=world.tenant, priority=plan.priority, year=year,
                defaults={"umkm_reached": 100, "programs": 3, "budget_idr": 1})
    c = rollup(plan, world)
    assert len(c.gaps) == 12  # per year: regions, programs, UMKM, helix kinds
    client = world.client_for(world.colleague)
    page = client.get(reverse("roadmap:priority", args=["diy", plan.priority.pk])).content.decode()
    section = page[page.index('id="gaps"'):page.index('id="years-title"')]
    shown, folded = section.split('<details class="gaps-more">')
    assert shown.count("<li>") == 4 and folded.count("<li>") == 8
    assert "Tampilkan semua kesenjangan (8 lagi)" in folded
    csv_text = client.get(reverse("roadmap:priority_csv", args=["diy", plan.priority.pk])).content.decode()
    rows = csv_text.split("gap_year,gap_kind,gap_region_codes,gap")[1].strip().splitlines()
    assert len(rows) == 12
    assert rows[0].startswith("2025,regions,34.10 34.11 34.12 34.13 34.14 34.15,")


def test_linking_a_program_changes_the_coverage(plan, world):
    with scope(tenant=world.tenant):
        p = program(world, "X", start=(2026, 1, 5), end=(2026, 2, 5), umkm=12, budget=5_000_000)
    assert rollup(plan, world).year(2026).programs == 0
    with scope(tenant=world.tenant):
        p.priorities.add(plan.priority)
    f = rollup(plan, world).year(2026)
    assert (f.programs, f.planned_umkm, f.budget) == (1, 12, 5_000_000)


def test_enrolments_completions_and_moving_up_come_from_the_umkm_registry(case, world):
    from tests.umkm.conftest import make_business
    from umkm.models import Enrollment, OutcomeReport
    from umkm.outcomes import program_outcome_summary
    from umkm.scale import JUTA, MILIAR
    from umkm.services import enroll_by_nibs, outcome_report_save

    businesses = [make_business(world.tenant, f"340400000000{i}", f"Usaha {i}") for i in range(1, 5)]
    with scope(tenant=world.tenant):
        a, b, c = (Program.objects.get(ref=r) for r in "ABC")
        enroll_by_nibs(program=a, nibs=[x.nib for x in businesses[:3]])  # 2025
        enroll_by_nibs(program=c, nibs=[x.nib for x in businesses[2:]])  # 2026
        Enrollment.objects.filter(program=a, business=businesses[0]).update(status="completed")
        Enrollment.objects.filter(program=a, business=businesses[1]).update(status="dropped")
        # Business 1 moves up from mikro to kecil over program A (2025-03-01 – 2025-06-30).
        for date, sales in ((datetime.date(2025, 2, 1), 1 * MILIAR), (datetime.date(2025, 8, 1), 3 * MILIAR)):
            outcome_report_save(report=OutcomeReport(business=businesses[0], date=date, annual_sales=sales))
        # Business 3 (in A, then in C) sells less after A and has closed; C (2026) has no report after its start.
        for date, sales, active in ((datetime.date(2025, 1, 1), 100 * JUTA, True),
                                    (datetime.date(2025, 7, 1), 80 * JUTA, False)):
            outcome_report_save(report=OutcomeReport(business=businesses[2], date=date, annual_sales=sales,
                                                     still_active=active))
    c = rollup(case, world)
    y2025, y2026, _y2027 = c.years
    assert (y2025.enrolled, y2025.completed, y2025.moved_up) == (2, 1, 1)
    assert (y2026.enrolled, y2026.completed, y2026.moved_up) == (2, 0, 0)
    # 2025: +2 miliar (+200 %) and −20 juta (−20 %): medians +990 juta and +90 %; one of two still active.
    o = y2025.outcomes
    assert (o.measured, o.median_sales_change, o.median_sales_change_pct, o.percent_still_active) == (
        2, 990 * JUTA, 90.0, 50)
    assert (y2026.outcomes.measured, y2026.outcomes.median_sales_change, y2026.outcomes.percent_still_active) == (
        0, None, None)
    assert (c.outcomes.enrolled, c.outcomes.completed, c.outcomes.measured, c.outcomes.moved_up) == (4, 1, 2, 1)
    # The program page computes program A's numbers with the same code: they agree.
    with scope(tenant=world.tenant):
        page = program_outcome_summary(a)
    assert (page.enrolled, page.moved_up, page.median_sales_change, page.percent_still_active) == (
        o.enrolled, o.moved_up, o.median_sales_change, o.percent_still_active)
    client = world.client_for(world.staff)
    csv_text = client.get(f"/diy/peta-jalan/prioritas/{case.priority.pk}/csv/").content.decode()
    assert "2025,50,2,100000000,2,55,100000000,2,1,1,2,990000000,90.0,50" in csv_text
    assert "2026,100,3,300000000,2,40,90000000,2,0,0,0,,,\r\n" in csv_text
    page_html = client.get(f"/diy/peta-jalan/prioritas/{case.priority.pk}/").content.decode()
    outcomes = page_html[page_html.index('id="outcomes-title"'):page_html.index('id="programs-title"')]
    assert "Hasil dari registri UMKM" in outcomes, outcomes
    assert "+Rp990.000.000 (+90,0%)" in outcomes and ">50%<" in outcomes, outcomes


def test_coverage_page_lists_the_linked_programs_in_constant_queries(case, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = world.client_for(world.staff)
    url = f"/diy/peta-jalan/prioritas/{case.priority.pk}/"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        page = client.get(url).content.decode()
    for ref in "ABC":
        assert f'href="/diy/program/{ref}/">{ref} Program {ref}</a>' in page
    assert 'href="/diy/program/D/"' not in page and 'href="/diy/program/F/"' not in page
    with scope(tenant=world.tenant):
        for i in range(30):
            program(world, f"M{i}", regions=[Region.objects.get(code="34.03")], partners=[world.other_org],
                    priority=case.priority)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


def test_tenant_admin_links_and_takes_off_a_program_on_the_coverage_page(plan, world):
    with scope(tenant=world.tenant):
        p = program(world, "L", start=(2026, 1, 5), end=(2026, 2, 5), umkm=12, budget=5_000_000)
        program(world, "OTHERKIND", start=(2026, 1, 5), end=(2026, 2, 5))
        Program.objects.filter(ref="OTHERKIND").update(kinds=["pembiayaan"], sectors=["jasa"])
        program(world, "OLD", start=(2020, 1, 5), end=(2020, 2, 5))  # before the roadmap period
        program(world, "DRAFT", status="draft", start=(2026, 1, 5), end=(2026, 2, 5))
    client = world.client_for(world.tenant_admin)
    page_url = f"/diy/peta-jalan/prioritas/{plan.priority.pk}/"
    post_url = f"{page_url}program/"
    page = client.get(page_url).content.decode()
    form = page.split('id="link-program"')[1].split("</form>")[0]
    # Offered: the matching submitted program of the period; not the other kind, the old one or the draft.
    assert f'value="{p.pk}"' in form and "L — Program L" in form
    assert "OTHERKIND" not in form and "OLD" not in form and "DRAFT" not in form

    response = client.post(post_url, {"program": p.pk})
    assert response.status_code == 302
    assert rollup(plan, world).year(2026).programs == 1
    page = client.get(page_url).content.decode()
    assert "L sekarang dihitung untuk prioritas ini." in page
    assert '<td class="num">12</td>' in page  # planned UMKM in the yearly table and the program's row

    # A program that is not offered (another kind, or another tenant's id) is refused with a message.
    with scope(tenant=world.tenant):
        other = Program.objects.get(ref="OTHERKIND")
    client.post(post_url, {"program": other.pk})
    assert "Pilih salah satu program yang ditawarkan." in client.get(page_url).content.decode()
    with scope(tenant=world.tenant):
        assert not other.priorities.exists()

    client.post(post_url, {"unlink": p.pk})
    assert rollup(plan, world).year(2026).programs == 0
    assert client.post(post_url, {"unlink": other.pk}).status_code == 404
    # Others read the linked programs but get no form.
    assert 'id="link-program"' not in world.client_for(world.staff).get(page_url).content.decode()
