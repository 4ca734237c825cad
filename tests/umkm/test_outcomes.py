"""A program's outcome summary: naik kelas, median sales change, share still active."""

import datetime as dt

from django.urls import reverse
from django_scopes import scope

from tests.programs.conftest import make_program
from tests.umkm.conftest import enrol, make_business, report
from umkm.scale import MILIAR
from umkm.selectors import program_outcome_summary

JUTA = 1_000_000


def test_summary_counts_naik_kelas_median_and_still_active(world, django_assert_num_queries):
    program = make_program(world, status="completed", start_date=dt.date(2025, 3, 10),
                           end_date=dt.date(2025, 9, 30))
    grows = make_business(world.tenant, "3404000000001", "Grows")
    flat = make_business(world.tenant, "3404000000002", "Flat")
    closes = make_business(world.tenant, "3404000000003", "Closes")
    unmeasured = make_business(world.tenant, "3404000000004", "No reports")
    enrol(program, grows, flat, closes, unmeasured)
    with scope(tenant=world.tenant):
        report(grows, dt.date(2024, 12, 31), 2 * MILIAR)  # mikro, exactly at the limit
        report(grows, dt.date(2025, 1, 15), 1 * MILIAR)  # the baseline: last report before the start
        report(grows, dt.date(2025, 10, 1), 2 * MILIAR + 1)  # kecil
        report(flat, dt.date(2025, 3, 10), 100 * JUTA)
        report(flat, dt.date(2025, 10, 1), 120 * JUTA)
        report(closes, dt.date(2025, 3, 1), 200 * JUTA)
        report(closes, dt.date(2025, 10, 1), 100 * JUTA, active=False)
        with django_assert_num_queries(2):
            summary = program_outcome_summary(program)
    assert summary.enrolled == 4 and summary.measured == 3
    assert summary.moved_up == 1 and summary.moved_up_nibs == ["3404000000001"]
    # changes: +1,000,000,001 / +20,000,000 / -100,000,000 → median +20 juta; percents +100%, +20%, -50%
    assert summary.median_sales_change == 20 * JUTA
    assert summary.median_sales_change_pct == 20.0
    assert summary.reported_at_end == 3 and summary.still_active == 2
    assert round(summary.share_still_active, 2) == 0.67


def test_reports_linked_to_the_program_win(world):
    program = make_program(world, status="completed")
    business = make_business(world.tenant, "3404000000001")
    enrol(program, business)
    with scope(tenant=world.tenant):
        report(business, dt.date(2020, 1, 1), 5 * MILIAR)
        report(business, dt.date(2025, 3, 10), 1 * MILIAR, program=program)
        report(business, dt.date(2025, 4, 1), 3 * MILIAR, program=program)
        report(business, dt.date(2026, 1, 1), 1 * MILIAR)
        summary = program_outcome_summary(program)
    assert summary.moved_up == 1 and summary.median_sales_change == 2 * MILIAR


def grown_program(world):
    """A completed program with three participants: one moves up (mikro → kecil), one stays, one closes."""
    program = make_program(world, status="completed", start_date=dt.date(2025, 3, 10), end_date=dt.date(2025, 9, 30))
    nibs = ["3404000000011", "3404000000012", "3404000000013"]
    businesses = [make_business(world.tenant, nib, f"Usaha {nib[-2:]}") for nib in nibs]
    enrol(program, *businesses)
    for business, before, after, active in zip(
            businesses, (1 * MILIAR, 300 * JUTA, 200 * JUTA), (3 * MILIAR, 330 * JUTA, 100 * JUTA),
            (True, True, False), strict=True):
        report(business, dt.date(2025, 3, 1), before, program=program)
        report(business, dt.date(2025, 10, 1), after, active=active, program=program)
    return program


def test_summaries_of_many_programs_take_two_queries(world, django_assert_num_queries):
    from umkm.outcomes import outcome_summaries

    first = grown_program(world)
    second = make_program(world, status="approved", start_date=dt.date(2026, 1, 5), end_date=dt.date(2026, 2, 5))
    enrol(second, "3404000000011")
    with scope(tenant=world.tenant), django_assert_num_queries(2):
        summaries = outcome_summaries({first.pk: first.start_date, second.pk: second.start_date})
    assert (summaries[first.pk].enrolled, summaries[first.pk].measured, summaries[first.pk].moved_up) == (3, 3, 1)
    # the second program's participant has no report after its 2026 start: enrolled, not measured
    assert (summaries[second.pk].enrolled, summaries[second.pk].measured) == (1, 0)


def test_program_page_shows_participants_and_outcome_summary(world):
    program = grown_program(world)
    page = world.client_for(world.staff).get(reverse("programs:detail", args=["diy", program.ref]))
    text = " ".join(page.content.decode().split())
    assert "Peserta dan capaian" in text
    assert "<strong>3 dari 40</strong>" in text  # participants against the quota (target 40)
    assert "<strong>1 / 3</strong>" in text  # naik kelas
    assert "<strong>67%</strong>" in text  # two of three still active
    assert reverse("umkm:enroll", args=["diy", program.ref]) in text
    assert "Kelola peserta" in text  # the owner's staff may enrol


def test_roadmap_coverage_counts_participants_who_moved_up(world):
    from roadmap.coverage import coverage, prefetched
    from roadmap.models import Priority
    from tests.roadmap.conftest import Plan

    plan = Plan(world.tenant)
    program = grown_program(world)
    with scope(tenant=world.tenant):
        program.priorities.add(plan.priority)
        result = coverage(prefetched(Priority.objects.filter(pk=plan.priority.pk)), [2025, 2026])
    figures = result[plan.priority.pk]
    assert [(y.year, y.enrolled, y.completed, y.moved_up) for y in figures.years] == [(2025, 3, 0, 1),
                                                                                      (2026, 0, 0, 0)]
    page = world.client_for(world.tenant_admin).get(
        reverse("roadmap:priority_csv", args=["diy", plan.priority.pk])).content.decode()
    header, first = page.splitlines()[:2]
    assert ",enrolled_umkm,completed_umkm,moved_up_umkm,measured_umkm," in header and ",3,0,1,3," in first
