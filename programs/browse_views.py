"""Browsing programs: the public catalogue for UMKM owners and the timeline per region for members."""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.shortcuts import render
from django.utils import timezone

from satusama.middleware import public
from satusama.tenant_cache import CountCachedPaginator
from stakeholders.models import Region

from . import selectors, timeline
from .catalogue import CatalogueFilterForm, catalogue_programs
from .taxonomy import Intervention

TIMELINE_LIMIT = 2000  # far above a province's programs in one year and region set; keeps a bad URL cheap
CATALOGUE_PAGE = 20


@public
def catalogue(request):
    form = CatalogueFilterForm(request.GET or None, tenant=request.tenant)
    filters = {}
    if form.is_bound:
        form.is_valid()  # cleaned_data keeps the valid fields: a stale region code drops that filter only
        filters = form.cleaned_data
    programs = catalogue_programs(request.tenant, filters)
    page = CountCachedPaginator(programs, CATALOGUE_PAGE, tenant_id=request.tenant.pk).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    if request.htmx and not request.htmx.boosted:
        return render(request, "programs/_catalogue_results.html", context)
    return render(request, "programs/catalogue.html", context)


def program_timeline(request):
    params = request.GET.copy()
    if not params.get("year"):
        params["year"] = str(timezone.localdate().year)
    form, programs = selectors.program_list(request.user, request.tenant, params)
    year = form.cleaned_data.get("year") if form.is_valid() and form.cleaned_data.get("year") else \
        timezone.localdate().year
    # Drafts of one's own organisation are plans too, but withdrawn, rejected and cancelled ones are not.
    if not params.get("status"):
        programs = programs.exclude(status__in=["withdrawn", "rejected", "cancelled"])
    programs = list(programs.filter(~Q(start_date=None), ~Q(end_date=None))[:TIMELINE_LIMIT])
    regions = Region.objects.filter(tenant=request.tenant).exclude(kind=Region.Kind.PROVINCE)
    if form.is_valid() and form.cleaned_data.get("region"):
        regions = regions.filter(pk=form.cleaned_data["region"].pk)
    context = {
        "form": form, "year": year, "lanes": timeline.lanes(programs, year, regions),
        "months": [datetime.date(year, m, 1) for m in range(1, 13)],
        "kinds": Intervention.choices, "as_table": request.GET.get("view") == "table",
        "truncated": len(programs) >= TIMELINE_LIMIT,
        "previous_year": year - 1, "next_year": year + 1,
    }
    return render(request, "programs/timeline.html", context)
