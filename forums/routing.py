"""Which forum reviews a program — the one place this rule lives.

A program in exactly one kabupaten/kota goes to that kabupaten/kota's forum; a program spanning several
(or naming none) goes to the provincial forum, because no single regional forum can decide for the others.
"""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from stakeholders.models import Region

from .models import Forum


def forum_for_regions(tenant, regions: list[Region]) -> Forum | None:
    """The forum responsible for a program in these regions (None when that forum does not exist yet)."""
    forums = Forum.objects.filter(tenant=tenant)
    if len(regions) == 1:
        return forums.filter(level=Forum.Level.REGIONAL, region=regions[0]).first()
    return forums.filter(level=Forum.Level.PROVINCIAL).first()


def forum_for_program(program) -> Forum | None:
    return forum_for_regions(program.tenant, list(program.regions.all()))


def routed_to(forum: Forum, programs: QuerySet) -> QuerySet:
    """Narrow a program queryset to the programs this forum is responsible for (same rule, in SQL)."""
    programs = programs.annotate(region_count=Count("regions", distinct=True))
    if forum.level == Forum.Level.REGIONAL:
        return programs.filter(Q(region_count=1) & Q(regions=forum.region_id))
    return programs.exclude(region_count=1)
