"""The demo registry: 500+ DIY businesses, enrolments in the demo programs (some doubled), outcome reports."""

from django.core.management import call_command
from django_scopes import scope, scopes_disabled

from programs.models import Program
from stakeholders.models import Tenant
from umkm.models import Business, Enrollment, OutcomeReport
from umkm.outcomes import program_outcome_summary
from umkm.selectors import double_enrolments


def test_seed_demo_fills_the_registry(db):
    call_command("seed_demo", verbosity=0)
    with scopes_disabled():
        tenant = Tenant.objects.get(slug="diy")
    with scope(tenant=tenant):
        businesses = Business.objects.filter(is_minimal=False)
        assert businesses.count() >= 500
        assert set(businesses.values_list("region__code", flat=True)) == {"34.01", "34.02", "34.03", "34.04", "34.71"}
        assert len(set(businesses.values_list("sector", flat=True))) >= 6
        assert not businesses.filter(scale="").exists()  # every demo business has figures, hence a scale
        assert OutcomeReport.objects.count() > 100
        enrolled = Program.objects.filter(enrollments__isnull=False).distinct()
        assert enrolled.count() >= 5
        # some businesses sit in two overlapping programs: the warning and the overlap check have cases
        doubled = {}
        for program in enrolled:
            doubled |= double_enrolments(program, list(Enrollment.objects.filter(program=program)
                                                       .values_list("business_id", flat=True)))
        assert doubled
        summaries = [program_outcome_summary(p) for p in enrolled.filter(status="completed")]
        assert any(s.measured and s.moved_up for s in summaries)


def test_demo_enrols_only_its_own_programs_and_businesses(db):
    """Load-test programs and businesses in the same tenant get no demo enrolments (seed_demo stays fast)."""
    import datetime as dt

    from stakeholders.models import Organization, Region
    from umkm import demo

    call_command("seed_demo", verbosity=0)
    with scopes_disabled():
        tenant = Tenant.objects.get(slug="diy")
    with scope(tenant=tenant):
        sleman = Region.objects.get(code="34.04")
        load = Program.objects.create(
            tenant=tenant, ref="LOAD-000001", owner=Organization.objects.order_by("pk").first(),
            title="Pelatihan Pemasaran Digital Kuliner Angkatan 1", kinds=["pelatihan", "digitalisasi"],
            sectors=["kuliner"], start_date=dt.date(2025, 1, 1), end_date=dt.date(2025, 2, 1), target_umkm=50,
            status="running",
        )
        load.regions.set([sleman])
        stranger = Business.objects.create(tenant=tenant, nib="9000000000001", name="Kopi Beban 1", region=sleman,
                                           sector="kuliner")
        before = Enrollment.objects.count()
        demo.seed({"diy": tenant})  # what a second seed_demo does on a database holding load-test data
        assert not load.enrollments.exists()
        assert not stranger.enrollments.exists()
        assert Enrollment.objects.count() == before
        # the demo's programs are those of programs/demo.py, however many others the tenant holds
        from programs.demo import demo_programs

        assert load not in demo_programs(tenant)
        assert demo_programs(tenant).count() == Program.objects.exclude(pk=load.pk).count()
