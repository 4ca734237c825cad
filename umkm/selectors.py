"""Reads of the registry shared by views, exports and other apps (search, lists, history, summaries)."""

from __future__ import annotations

from django.db import connection
from django.db.models import QuerySet
from django.db.models.functions import Collate, Upper

from . import scale as scale_rules
from .models import Business

# Byte-order collation, so "names starting with X" is one range scan on the index of migration 0002.
_BYTE_ORDER = {"postgresql": "C", "sqlite": "BINARY"}
_TOP = "\uffff"


def with_name_key(qs: QuerySet) -> QuerySet:
    collation = _BYTE_ORDER.get(connection.vendor)
    key = Collate(Upper("name"), collation) if collation else Upper("name")
    return qs.annotate(name_key=key)


def nib_range(prefix: str) -> tuple[str, str]:
    """All 13-digit NIBs starting with `prefix`, as an inclusive range any btree (and collation) can answer."""
    return prefix.ljust(13, "0")[:13], prefix.ljust(13, "9")[:13]


def search_businesses(query: str, *, limit: int = 20) -> list[Business]:
    """Businesses whose NIB (digits) or name starts with the query, in the current tenant scope."""
    query = " ".join(query.split())
    if not query:
        return []
    qs = Business.objects.select_related("region")
    if query.isdigit():
        low, high = nib_range(query)
        return list(qs.filter(nib__gte=low, nib__lte=high).order_by("nib")[:limit])
    key = query.upper()
    return list(with_name_key(qs).filter(name_key__gte=key, name_key__lt=key + _TOP).order_by("name_key")[:limit])


def business_list(*, query: str = "", region: str = "", sector: str = "", scale: str = "") -> QuerySet:
    """The registry list, filtered; ordered by the indexed name key so the first page needs no sort."""
    qs = with_name_key(Business.objects.select_related("region"))
    query = " ".join(query.split())
    if query.isdigit():
        low, high = nib_range(query)
        qs = qs.filter(nib__gte=low, nib__lte=high)
    elif query:
        key = query.upper()
        qs = qs.filter(name_key__gte=key, name_key__lt=key + _TOP)
    if region:
        qs = qs.filter(region__code=region)
    if sector:
        qs = qs.filter(sector=sector)
    if scale:
        qs = qs.filter(scale=scale)
    return qs.order_by("name_key", "pk")


def outcome_history(business: Business) -> list:
    """Outcome reports in date order, each with the scale change since the previous one."""
    reports = list(business.outcome_reports.select_related("created_by").order_by("date", "pk"))
    previous = None
    for report in reports:
        report.moved_up = bool(previous and scale_rules.moved_up(previous.scale, report.scale))
        previous = report
    return reports


def naik_kelas_of(reports: list) -> bool:
    return scale_rules.naik_kelas([r.scale for r in reports])
