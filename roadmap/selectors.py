"""Reads shared by the roadmap views: the access helpers (404 outside the tenant) and the current plans."""

from __future__ import annotations

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
