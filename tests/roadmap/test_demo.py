"""The demo roadmap: every priority has targets and plausibly linked programs, so coverage is not empty."""

from django.core.management import call_command
from django_scopes import scope

from roadmap import coverage as cov
from roadmap.demo import ROADMAP_TITLE
from roadmap.models import Priority, Roadmap
from stakeholders.models import Tenant


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
