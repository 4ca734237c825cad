"""The demo roadmap: every priority has targets and plausibly linked programs, so coverage is not empty."""

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scope

from programs.demo import demo_programs
from programs.models import Program
from roadmap import coverage as cov
from roadmap.demo import ROADMAP_TITLE, link_demo_programs, matches
from roadmap.models import Priority, Roadmap
from stakeholders.models import Organization, Tenant


def test_demo_priorities_are_linked_to_matching_programs_and_show_coverage(db):
    call_command("seed_demo", verbosity=0)
    tenant = Tenant.objects.get(slug="diy")
    with scope(tenant=tenant):
        roadmap = Roadmap.objects.get(title=ROADMAP_TITLE)
        priorities = list(cov.prefetched(Priority.objects.filter(roadmap=roadmap)))
        assert 5 <= len(priorities) <= 8
        rollup = cov.coverage(priorities, roadmap.years)
        for priority in priorities:
            c = rollup[priority.pk]
            assert c.total_programs > 0, priority.title
            assert sum(f.planned_umkm for f in c.years) > 0, priority.title
            assert all(f.has_target for f in c.years), priority.title
            # Every linked program gives the priority's main kind of assistance.
            for kinds in priority.programs.values_list("kinds", flat=True):
                assert priority.kinds[0] in kinds, priority.title


def demo_links(tenant) -> set[tuple[str, str]]:
    """(program ref, priority title) of every link to a demo priority."""
    through = Program.priorities.through
    return set(through.objects.filter(priority__roadmap__title=ROADMAP_TITLE, program__tenant=tenant)
               .values_list("program__ref", "priority__title"))


def test_the_demo_links_each_of_its_programs_to_exactly_the_priorities_it_matches(db):
    call_command("seed_demo", verbosity=0)
    tenant = Tenant.objects.get(slug="diy")
    with scope(tenant=tenant):
        priorities = list(Priority.objects.filter(roadmap__title=ROADMAP_TITLE))
        programs = list(demo_programs(tenant))
        # a fresh demo database holds only the demo's programs: every one of them is considered, as before
        assert len(programs) == Program.objects.count()
        expected = {(program.ref, priority.title) for program in programs for priority in priorities
                    if matches(priority, program.kinds, program.sectors)}
        assert demo_links(tenant) == expected
        assert len(expected) >= len(priorities)
        # links that drifted (one removed, one wrong added) are set right again by the next seed
        ref, title = sorted(expected)[0]
        Program.objects.get(ref=ref).priorities.remove(Priority.objects.get(title=title))
        wrong = next((program, priority) for program in programs for priority in priorities
                     if (program.ref, priority.title) not in expected)
        wrong[0].priorities.add(wrong[1])
        link_demo_programs(tenant)
        assert demo_links(tenant) == expected


def test_linking_the_demo_does_not_read_or_touch_other_programs(db, django_assert_num_queries):
    """seed_demo runs on benchmark databases with 10,000+ programs: the linking must not walk them."""
    call_command("seed_demo", verbosity=0)
    tenant = Tenant.objects.get(slug="diy")
    with scope(tenant=tenant):
        before = demo_links(tenant)
        with CaptureQueriesContext(connection) as alone:
            link_demo_programs(tenant)
        owner = Organization.objects.filter(tenant=tenant).first()
        # 50 programs nobody seeded, each matching every demo priority: the old loop linked (and walked) them all
        Program.objects.bulk_create([
            Program(tenant=tenant, owner=owner, ref=f"LOAD-{n:04d}", title=f"Program beban {n}",
                    kinds=["digitalisasi", "pelatihan", "sertifikasi", "legalitas", "pembiayaan", "pemasaran",
                           "produksi"], sectors=["umum"])
            for n in range(50)])
        by_hand = Program.objects.get(ref="LOAD-0000")
        unrelated = Priority.objects.get(title="Akses pembiayaan")
        by_hand.priorities.add(unrelated)  # a link someone made: the demo leaves it
        with django_assert_num_queries(len(alone.captured_queries)):
            link_demo_programs(tenant)
        links = demo_links(tenant)
    assert links - before == {("LOAD-0000", "Akses pembiayaan")}
    assert before <= links
