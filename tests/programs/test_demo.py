"""The programs demo reads like a province: varied programs per organisation and region, the deliberate Sleman
overlaps, and a public catalogue with programs one can still join on the day the demo is seeded."""

from collections import Counter

from django.core.management import call_command
from django.test import Client
from django_scopes import scope, scopes_disabled

from programs.models import OverlapFlag, Program, ProgramEvent
from programs.taxonomy import Status
from stakeholders.models import Organization, Tenant


def test_demo_programs(db):
    call_command("seed_demo", verbosity=0)
    with scopes_disabled():
        diy = Tenant.objects.get(slug="diy")
    with scope(tenant=diy):
        programs = list(Program.objects.filter(tenant=diy).select_related("owner").prefetch_related("regions"))
        assert 55 <= len(programs) <= 70
        # No archetype repeated across organisations: every title is its own.
        assert Counter(p.title for p in programs).most_common(1)[0][1] == 1
        assert len({p.description for p in programs}) == len(programs)
        # Every status (submitted ones wait in their forum's review queue).
        assert set(Status.values) <= {p.status for p in programs}
        assert {2024, 2025, 2026} <= {p.start_date.year for p in programs}
        per_org = Counter(p.owner.name for p in programs)
        assert set(per_org) == set(Organization.objects.filter(tenant=diy).values_list("name", flat=True))
        assert min(per_org.values()) >= 2
        regions = Counter(r.code for p in programs for r in p.regions.all())
        assert set(regions) == {"34.01", "34.02", "34.03", "34.04", "34.71"}
        # Each program is run from its own organisation's region(s) and has a contact from that organisation.
        for p in programs:
            assert {r.pk for r in p.regions.all()} <= set(p.owner.regions.values_list("pk", flat=True)), p.title
            assert p.owner.memberships.filter(user__full_name=p.contact_name).exists(), p.title
            assert ProgramEvent.objects.filter(program=p).count() == p.version - 1
        # The deliberate overlaps in Sleman are flagged.
        pairs = {frozenset((f.program_a.ref, f.program_b.ref))
                 for f in OverlapFlag.objects.filter(tenant=diy).select_related("program_a", "program_b")}
        assert frozenset(("PRG-2025-0001", "PRG-2025-0002")) in pairs
        assert frozenset(("PRG-2026-0001", "PRG-2026-0002")) in pairs

    page = Client().get("/diy/katalog/?region=34.71&sector=kuliner").content.decode()
    assert "Fasilitasi Sertifikasi Halal Gratis untuk Produsen Bakpia dan Gudeg" in page
    assert Client().get("/diy/katalog/").content.decode().count('class="card catalogue-item"') >= 8
