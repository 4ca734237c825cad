"""Browsing programs: the public catalogue for UMKM owners and the timeline per region for members."""

from __future__ import annotations

import datetime

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from satusama.middleware import public
from satusama.page_cache import cached_page
from satusama.tenant_cache import CountCachedPaginator, rendered_results
from stakeholders.models import Region

from . import selectors, timeline
from .catalogue import CatalogueFilterForm, catalogue_programs
from .taxonomy import Intervention

# A page stays readable and quick with thousands of programs in a year: bars are shown a page at a time.
TIMELINE_BARS_PER_LANE = 20  # all regions: the first programs of each, and a link to the rest
TIMELINE_REGIONS_PER_PAGE = 6  # a province of 35 regencies/cities: six lanes per page
TIMELINE_BARS_PER_PAGE = 50  # one region: its programs fifty at a time
CATALOGUE_PAGE = 20


@public
@cached_page
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
    context["results"] = rendered_results(request, "programs/_catalogue_results.html", context)
    if request.htmx and not request.htmx.boosted:
        return HttpResponse(context["results"])
    return render(request, "programs/catalogue.html", context)


def program_timeline(request):
    """One year (this year unless chosen) per region: every region's first bars, or one region page by page."""
    params = request.GET.copy()
    if not params.get("year"):
        params["year"] = str(timezone.localdate().year)
    form, programs = selectors.program_list(request.user, request.tenant, params)
    year = form.cleaned_data.get("year") or timezone.localdate().year  # an invalid year: this one, with a note
    # Drafts of one's own organisation are plans too, but withdrawn, rejected and cancelled ones are not.
    if not form.cleaned_data.get("status"):
        programs = programs.exclude(status__in=["withdrawn", "rejected", "cancelled"])
    regions = Region.objects.filter(tenant=request.tenant).exclude(kind=Region.Kind.PROVINCE)
    one_region = form.cleaned_data.get("region")
    if one_region:
        regions = regions.filter(pk=one_region.pk)
    regions = list(regions)
    counts = timeline.crowding(programs, year, regions)
    busy = [r for r in regions if r.pk in counts]
    if one_region:
        # One region: its programs BARS_PER_PAGE at a time, the month counts always over all of them.
        total = counts[one_region.pk][0] if busy else 0
        page = Paginator(range(total), TIMELINE_BARS_PER_PAGE).get_page(request.GET.get("page"))
        shown, offset, limit = busy, (page.number - 1) * TIMELINE_BARS_PER_PAGE, TIMELINE_BARS_PER_PAGE
    else:
        # Every region: the first bars of each (a link opens the region), regions a few at a time.
        page = Paginator(busy, TIMELINE_REGIONS_PER_PAGE).get_page(request.GET.get("page"))
        shown, offset, limit = list(page), 0, TIMELINE_BARS_PER_LANE
    found = timeline.bars(programs, year, [r.pk for r in shown], offset=offset, limit=limit)
    lanes = [
        timeline.Lane(region=r, bars=found.get(r.pk, []), total=counts[r.pk][0], per_month=counts[r.pk][1],
                      first=offset + 1)
        for r in shown
    ]
    context = {
        "form": form, "year": year, "lanes": lanes, "page": page, "one_region": one_region,
        "months": [datetime.date(year, m, 1) for m in range(1, 13)],
        "kinds": Intervention.choices, "as_table": request.GET.get("view") == "table",
        "previous_year": year - 1, "next_year": year + 1,
    }
    return render(request, "programs/timeline.html", context)
