"""Reads shared by the roadmap views: the access helpers (404 outside the tenant) and the current plans."""

from __future__ import annotations

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from .models import RPJMD, Priority, Roadmap


def get_priority_for_user(request, pk: int) -> Priority:
    return get_object_or_404(Priority.objects.select_related("roadmap"), tenant=request.tenant, pk=pk)


def get_roadmap_for_user(request, pk: int) -> Roadmap:
    return get_object_or_404(Roadmap, tenant=request.tenant, pk=pk)


def get_rpjmd_for_user(request, pk: int) -> RPJMD:
    return get_object_or_404(RPJMD, tenant=request.tenant, pk=pk)


def _current(qs):
    """The plan covering this year, else the most recent one, else None."""
    year = timezone.localdate().year
    return qs.filter(start_year__lte=year, end_year__gte=year).first() or qs.order_by("-start_year").first()


def current_roadmap(tenant) -> Roadmap | None:
    return _current(Roadmap.objects.filter(tenant=tenant).select_related("rpjmd"))


def current_rpjmd(tenant) -> RPJMD | None:
    return _current(RPJMD.objects.filter(tenant=tenant))


def programs_to_link(priority: Priority, *, limit: int = 200):
    """Programs a tenant admin may link to a priority: counted in the roll-up, not linked yet, sharing a kind of
    assistance or a sector with it (the program form's rule, seen from the priority) and running inside the roadmap
    period. The newest first, at most `limit` (a select list, not a search)."""
    from programs.models import Program

    from .coverage import COUNTED_STATUSES

    roadmap = priority.roadmap
    qs = (Program.objects.filter(tenant_id=priority.tenant_id, status__in=COUNTED_STATUSES)
          .exclude(priorities=priority)
          .filter(Q(start_date__year__lte=roadmap.end_year) | Q(start_date__isnull=True))
          .filter(Q(end_date__year__gte=roadmap.start_year) | Q(end_date__isnull=True)))
    if priority.kinds or priority.sectors:
        qs = qs.filter(Q(kinds__has_any=priority.kinds) | Q(sectors__has_any=priority.sectors))
    ids = list(qs.order_by("-start_date", "-pk").values_list("pk", flat=True)[:limit])
    return Program.objects.filter(pk__in=ids).select_related("owner").order_by("-start_date", "-pk")
