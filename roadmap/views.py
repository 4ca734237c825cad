"""Roadmap pages: the RPJMD, the roadmap with its priorities (htmx inline editing), coverage, CSV, PDF, import."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from programs.models import Program
from satusama.exports import csv_bytes

from . import coverage as cov
from . import services
from .charts import bar_chart, hbar_chart
from .forms import (
    ImportForm,
    IndicatorValuesForm,
    LinkProgramForm,
    PriorityForm,
    PriorityTargetsForm,
    RoadmapForm,
    RPJMDForm,
    hierarchy_form,
)
from .models import RPJMD, Indicator, Misi, Priority, Roadmap
from .permissions import may_edit_roadmap, require_edit
from .selectors import (
    current_roadmap,
    current_rpjmd,
    get_priority_for_user,
    get_roadmap_for_user,
    get_rpjmd_for_user,
    programs_to_link,
)


def _back_to_index(request, roadmap: Roadmap):
    return redirect(f"{_index_url(request)}?roadmap={roadmap.pk}")


def _index_url(request):
    return reverse("roadmap:index", args=[request.tenant.slug])


def roadmap_context(request, roadmap: Roadmap | None) -> dict:
    """What the roadmap page and its priority-list partial show."""
    if roadmap is None:
        return {"roadmap": None, "may_edit": may_edit_roadmap(request)}
    priorities = list(cov.prefetched(Priority.objects.filter(roadmap=roadmap)).prefetch_related(
        "sasaran", "indicators"))
    rollup = cov.coverage(priorities, roadmap.years)
    return {
        "roadmap": roadmap,
        "roadmaps": Roadmap.objects.filter(tenant=request.tenant),
        "items": [rollup[p.pk] for p in priorities],
        "may_edit": may_edit_roadmap(request),
        "has_enrolments": cov.enrollment_model() is not None,
    }


def index(request):
    roadmap_pk = request.GET.get("roadmap")
    if roadmap_pk and roadmap_pk.isdigit():
        roadmap = get_roadmap_for_user(request, int(roadmap_pk))
    else:
        roadmap = current_roadmap(request.tenant)
    return render(request, "roadmap/index.html", roadmap_context(request, roadmap))


def roadmap_create(request):
    require_edit(request)
    form = RoadmapForm(request.POST or None, tenant=request.tenant,
                       initial={"rpjmd": current_rpjmd(request.tenant)})
    if request.method == "POST" and form.is_valid():
        roadmap = form.save()
        messages.success(request, _("The roadmap was saved."))
        return _back_to_index(request, roadmap)
    return render(request, "roadmap/form_page.html", {"form": form, "title": _("New roadmap")})


def _form_response(request, template: str, context: dict, form_id: str, page: str = ""):
    """The form page (`page`, else roadmap/<template>.html), or its partial roadmap/_<template>.html for htmx; a
    refused htmx POST replaces the form itself, not the list."""
    if not request.htmx:
        return render(request, page or f"roadmap/{template}.html", context)
    response = render(request, f"roadmap/_{template}.html", {**context, "form_id": form_id})
    if request.method == "POST":
        response["HX-Retarget"] = f"#{form_id}"
        response["HX-Reswap"] = "outerHTML"
    return response


def _priority_form_response(request, form, roadmap, priority=None):
    return _form_response(request, "priority_form", {"form": form, "roadmap": roadmap, "priority": priority},
                          f"priority-form-{priority.pk if priority else 'new'}")


def _priority_list_response(request, roadmap):
    if request.htmx:
        return render(request, "roadmap/_priorities.html", roadmap_context(request, roadmap))
    return _back_to_index(request, roadmap)


def priority_create(request, roadmap_pk: int):
    roadmap = get_roadmap_for_user(request, roadmap_pk)
    require_edit(request)
    form = PriorityForm(request.POST or None, tenant=request.tenant, roadmap=roadmap)
    if request.method == "POST" and form.is_valid():
        services.save_priority(form=form)
        return _priority_list_response(request, roadmap)
    return _priority_form_response(request, form, roadmap)


def priority_edit(request, priority_pk: int):
    priority = get_priority_for_user(request, priority_pk)
    require_edit(request)
    form = PriorityForm(request.POST or None, instance=priority, tenant=request.tenant, roadmap=priority.roadmap)
    if request.method == "POST" and form.is_valid():
        services.save_priority(form=form)
        return _priority_list_response(request, priority.roadmap)
    return _priority_form_response(request, form, priority.roadmap, priority)


@require_POST
def priority_move(request, priority_pk: int):
    priority = get_priority_for_user(request, priority_pk)
    require_edit(request)
    services.move_priority(priority=priority, up=request.POST.get("direction") == "up")
    return _priority_list_response(request, priority.roadmap)


def _delete_response(request, obj, *, what: str, action: str, cancel_url: str, form_id: str, on_deleted,
                     hx_target: str = ""):
    """GET: what deleting `obj` takes with it (or why it may not go), inline for htmx. POST: delete, or say why not.

    The rules are in roadmap/deletion.py; a refused POST shows the reasons in place of the confirmation.
    """
    from .deletion import DeletionRefused, deletion_plan

    if request.method == "POST":
        try:
            services.delete_element(obj=obj)
        except DeletionRefused as refused:
            plan = refused.plan
        else:
            response = on_deleted()
            if not request.htmx or response.has_header("HX-Redirect"):  # a page that shows messages comes next
                messages.success(request, _("%(what)s was deleted.") % {"what": capfirst(what)})
            return response
    else:
        plan = deletion_plan(obj)
    context = {"plan": plan, "what": what, "action": action, "cancel_url": cancel_url, "form_id": form_id,
               "hx_target": hx_target}
    return _form_response(request, "delete_confirm", context, form_id)


def priority_delete(request, priority_pk: int):
    """A tenant admin deletes a priority with its yearly targets, unless programs still count towards it."""
    priority = get_priority_for_user(request, priority_pk)
    require_edit(request)
    roadmap = priority.roadmap
    return _delete_response(
        request, priority, what=_("the priority “%(title)s”") % {"title": priority.title},
        action=reverse("roadmap:priority_delete", args=[request.tenant.slug, priority.pk]),
        cancel_url=f"{_index_url(request)}?roadmap={roadmap.pk}", form_id=f"delete-priority-{priority.pk}",
        hx_target="#priorities", on_deleted=lambda: _priority_list_response(request, roadmap))


def priority_targets(request, priority_pk: int):
    priority = get_priority_for_user(request, priority_pk)
    require_edit(request)
    initial = {t.year: {"umkm_reached": t.umkm_reached, "programs": t.programs, "budget_idr": t.budget_idr}
               for t in priority.targets.all()}
    form = PriorityTargetsForm(request.POST or None, years=priority.roadmap.years, initial_rows=initial)
    if request.method == "POST" and form.is_valid():
        services.set_priority_targets(priority=priority, values=form.values())
        return _priority_list_response(request, priority.roadmap)
    return _form_response(request, "targets_form", {"form": form, "priority": priority, "roadmap": priority.roadmap},
                          f"targets-form-{priority.pk}")


def _coverage_of(priority: Priority) -> cov.PriorityCoverage:
    priorities = list(cov.prefetched(Priority.objects.filter(pk=priority.pk)).select_related("roadmap"))
    return cov.coverage(priorities, priority.roadmap.years)[priority.pk]


def priority(request, priority_pk: int):
    """The coverage page of one priority: target vs planned vs achieved, by year and by region; gaps in words."""
    priority = get_priority_for_user(request, priority_pk)
    c = _coverage_of(priority)
    years = [str(f.year) for f in c.years]
    charts = [
        bar_chart(title=_("Programs: target and planned per year"), categories=years, chart_id="chart-programs",
                  series=[(_("Target"), [f.target_programs for f in c.years]),
                          (_("Planned"), [f.programs for f in c.years])]),
        bar_chart(title=_("UMKM: target, planned and enrolled per year"), categories=years, chart_id="chart-umkm",
                  series=[(_("Target"), [f.target_umkm for f in c.years]),
                          (_("Planned"), [f.planned_umkm for f in c.years])]
                  + ([(_("Enrolled"), [f.enrolled for f in c.years])] if cov.enrollment_model() else [])),
    ]
    programs = (Program.objects.filter(tenant=request.tenant, pk__in=c.program_ids).select_related("owner")
                .order_by("start_date", "ref"))
    may_edit = may_edit_roadmap(request)
    link_form = LinkProgramForm(candidates=programs_to_link(priority)) if may_edit else None
    gaps_shown, gaps_hidden, gaps_hidden_count = cov.gap_sections(c.gaps, current_year=timezone.localdate().year)
    return render(request, "roadmap/priority.html", {
        "priority": priority, "roadmap": priority.roadmap, "cov": c, "charts": charts, "programs": programs,
        "gaps_shown": gaps_shown, "gaps_hidden": gaps_hidden, "gaps_hidden_count": gaps_hidden_count,
        "link_form": link_form,
        "has_enrolments": cov.enrollment_model() is not None, "may_edit": may_edit,
        "sasaran": priority.sasaran.all(), "indicators": priority.indicators.all(),
    })


@require_POST
def priority_programs(request, priority_pk: int):
    """A tenant admin links a program to the priority, or takes one off (the coverage page then shows the change)."""
    priority = get_priority_for_user(request, priority_pk)
    require_edit(request)
    page = reverse("roadmap:priority", args=[request.tenant.slug, priority.pk])
    if "unlink" in request.POST:
        program = get_object_or_404(priority.programs.all(), tenant=request.tenant, pk=request.POST["unlink"])
        services.unlink_program(priority=priority, program=program)
        messages.success(request, _("%(ref)s no longer counts towards this priority.") % {"ref": program.ref})
        return redirect(f"{page}#programs-title")
    form = LinkProgramForm(request.POST, candidates=programs_to_link(priority))
    if form.is_valid():
        program = form.cleaned_data["program"]
        services.link_program(priority=priority, program=program)
        messages.success(request, _("%(ref)s now counts towards this priority.") % {"ref": program.ref})
    else:
        messages.error(request, " ".join(form.errors.get("program", [])))
    return redirect(f"{page}#programs-title")


def _outcome_cells(o) -> list:
    if o is None:
        return [None] * 4
    return [o.measured, o.median_sales_change, o.median_sales_change_pct, o.percent_still_active]


def priority_csv(request, priority_pk: int):
    """The numbers of the coverage page as CSV: one row per year, one per region, then every gap."""
    priority = get_priority_for_user(request, priority_pk)
    c = _coverage_of(priority)
    header = ["year", "target_umkm", "target_programs", "target_budget_idr", "programs", "planned_umkm",
              "budget_idr", "enrolled_umkm", "completed_umkm", "moved_up_umkm", "measured_umkm",
              "median_sales_change_idr", "median_sales_change_pct", "still_active_pct"]
    rows = [[f.year, f.target_umkm, f.target_programs, f.target_budget, f.programs, f.planned_umkm,
             f.budget, f.enrolled, f.completed, f.moved_up, *_outcome_cells(f.outcomes)] for f in c.years]
    rows += [[], ["region_code", "region", *[f.year for f in c.years]]]
    rows += [[region.code, str(region), *per_year.values()] for region, per_year in c.regions]
    rows += [[], ["gap_year", "gap_kind", "gap_region_codes", "gap"]]  # every gap, however many the page folds
    rows += [[g.year, g.kind, " ".join(g.regions), g.text] for g in c.gaps]
    response = HttpResponse(csv_bytes(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="cakupan-prioritas-{priority.pk}.csv"'
    return response


def roadmap_pdf(request, roadmap_pk: int):
    roadmap = get_roadmap_for_user(request, roadmap_pk)
    from .pdf import roadmap_pdf_bytes

    pdf = roadmap_pdf_bytes(request, roadmap_context(request, roadmap))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="peta-jalan-{roadmap.start_year}-{roadmap.end_year}.pdf"'
    return response


# --- RPJMD ---------------------------------------------------------------------------------------------------------
def rpjmd(request):
    rpjmd_pk = request.GET.get("rpjmd")
    plan = get_rpjmd_for_user(request, int(rpjmd_pk)) if rpjmd_pk and rpjmd_pk.isdigit() else current_rpjmd(
        request.tenant)
    misi = []
    if plan is not None:
        misi = list(Misi.objects.filter(rpjmd=plan).prefetch_related(
            "tujuan__sasaran__indicators__targets", "tujuan__sasaran__indicators__achievements",
            "tujuan__sasaran__strategi", "tujuan__sasaran__arah_kebijakan"))
    return render(request, "roadmap/rpjmd.html", {
        "rpjmd": plan, "misi": misi, "plans": RPJMD.objects.filter(tenant=request.tenant),
        "may_edit": may_edit_roadmap(request), "years": plan.years if plan else [],
    })


def rpjmd_create(request):
    require_edit(request)
    form = RPJMDForm(request.POST or None, tenant=request.tenant)
    if request.method == "POST" and form.is_valid():
        plan = form.save()
        messages.success(request, _("The RPJMD was saved."))
        return redirect(f"{reverse('roadmap:rpjmd', args=[request.tenant.slug])}?rpjmd={plan.pk}")
    return render(request, "roadmap/form_page.html", {"form": form, "title": _("New RPJMD")})


def indicator_values(request, indicator_pk: int):
    indicator = get_object_or_404(Indicator.objects.select_related("sasaran__tujuan__misi__rpjmd"),
                                  tenant=request.tenant, pk=indicator_pk)
    require_edit(request)
    initial: dict[int, dict] = {}
    for t in indicator.targets.all():
        initial.setdefault(t.year, {})["target"] = t.value
    for a in indicator.achievements.all():
        initial.setdefault(a.year, {})["achievement"] = a.value
    form = IndicatorValuesForm(request.POST or None, years=indicator.rpjmd.years, initial_rows=initial)
    if request.method == "POST" and form.is_valid():
        services.set_indicator_values(indicator=indicator, values=form.values())
        if request.htmx:
            indicator = Indicator.objects.prefetch_related("targets", "achievements").get(pk=indicator.pk)
            return render(request, "roadmap/_indicator.html", {
                "indicator": indicator, "years": indicator.rpjmd.years, "may_edit": True})
        return redirect(reverse("roadmap:rpjmd", args=[request.tenant.slug]))
    return _form_response(request, "indicator_form", {"form": form, "indicator": indicator},
                          f"indicator-form-{indicator.pk}")


def _level(level: str):
    from .hierarchy import LEVELS

    if level not in LEVELS:
        raise Http404
    return LEVELS[level]


def _node_form_response(request, form, level_name: str, level, *, node=None, parent=None):
    """After a save: reload the RPJMD page (htmx) or go back to it; else the form, inline or as a page."""
    title = (_("Edit %(what)s %(code)s") % {"what": level.label, "code": node.code} if node
             else _("New %(what)s") % {"what": level.label})
    action = (reverse("roadmap:node_edit", args=[request.tenant.slug, level_name, node.pk]) if node
              else reverse("roadmap:node_create", args=[request.tenant.slug, level_name, parent.pk]))
    form_id = f"node-form-{level_name}-{node.pk if node else f'new-{parent.pk}'}"
    context = {"form": form, "title": title, "action": action, "form_id": form_id}
    return _form_response(request, "node_form", context, form_id, page="roadmap/form_page.html")


def _back_to_rpjmd(request, rpjmd_pk: int, anchor: str = ""):
    url = f"{reverse('roadmap:rpjmd', args=[request.tenant.slug])}?rpjmd={rpjmd_pk}{anchor}"
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url  # the whole page: the element in its place, with its neighbours renumbered
        return response
    return redirect(url)


def node_create(request, level: str, pk: int):
    """A tenant admin adds a misi, tujuan, sasaran, strategi, arah kebijakan or indicator under its parent `pk`."""
    lvl = _level(level)
    parent = get_object_or_404(lvl.parent_model, tenant=request.tenant, pk=pk)
    require_edit(request)
    form = hierarchy_form(lvl, request.POST or None, tenant=request.tenant, parent=parent)
    if request.method == "POST" and form.is_valid():
        node = services.save_node(form=form, parent_field=lvl.parent)
        messages.success(request, _("%(code)s was saved.") % {"code": node.code})
        return _back_to_rpjmd(request, lvl.rpjmd_of(node).pk)
    return _node_form_response(request, form, level, lvl, parent=parent)


def node_edit(request, level: str, pk: int):
    lvl = _level(level)
    node = get_object_or_404(lvl.model, tenant=request.tenant, pk=pk)
    require_edit(request)
    parent = getattr(node, lvl.parent)
    form = hierarchy_form(lvl, request.POST or None, instance=node, tenant=request.tenant, parent=parent)
    if request.method == "POST" and form.is_valid():
        node = services.save_node(form=form, parent_field=lvl.parent)
        messages.success(request, _("%(code)s was saved.") % {"code": node.code})
        return _back_to_rpjmd(request, lvl.rpjmd_of(node).pk)
    return _node_form_response(request, form, level, lvl, node=node)


@require_POST
def node_move(request, level: str, pk: int):
    lvl = _level(level)
    node = get_object_or_404(lvl.model, tenant=request.tenant, pk=pk)
    require_edit(request)
    services.move_node(node=node, parent_field=lvl.parent, up=request.POST.get("direction") == "up")
    return _back_to_rpjmd(request, lvl.rpjmd_of(node).pk)


def node_delete(request, level: str, pk: int):
    """A tenant admin deletes a misi, tujuan, sasaran, strategi, arah kebijakan or indicator (rules: deletion.py)."""
    lvl = _level(level)
    node = get_object_or_404(lvl.model, tenant=request.tenant, pk=pk)
    require_edit(request)
    rpjmd_pk = lvl.rpjmd_of(node).pk
    return _delete_response(
        request, node, what=f"{lvl.label} {node.code}",
        action=reverse("roadmap:node_delete", args=[request.tenant.slug, level, node.pk]),
        cancel_url=f"{reverse('roadmap:rpjmd', args=[request.tenant.slug])}?rpjmd={rpjmd_pk}",
        form_id=f"delete-{level}-{node.pk}", on_deleted=lambda: _back_to_rpjmd(request, rpjmd_pk))


def import_rpjmd(request):
    require_edit(request)
    from .importer import import_rpjmd_file

    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = import_rpjmd_file(tenant=request.tenant, upload=form.cleaned_data["file"])
        if result.ok:
            messages.success(request, _("Imported %(n)s rows.") % {"n": result.rows})
            return redirect(f"{reverse('roadmap:rpjmd', args=[request.tenant.slug])}?rpjmd={result.rpjmd.pk}")
    return render(request, "roadmap/import.html", {"form": form, "result": result})


# --- dashboard (the tenant home page is satusama.views.tenant_home) ------------------------------------------------
def dashboard_breakdowns(board) -> list:
    """(chart, caption, first column heading, rows) for each breakdown of the home dashboard."""
    tables = [
        (_("Programs by status"), _("Status"), board.by_status, "chart-status"),
        (_("Programs by helix kind of the organisation"), _("Helix kind"), board.by_helix, "chart-helix"),
        (_("Programs by kind of assistance"), _("Kind of assistance"), board.by_kind, "chart-kind"),
    ]
    return [(hbar_chart(title=caption, chart_id=chart_id, rows=[(label, n) for _c, label, n in rows]),
             caption, head, rows) for caption, head, rows, chart_id in tables]


def dashboard_csv(request):
    """The numbers of the home dashboard as CSV."""
    from .dashboard import build, csv_rows

    header, *rows = csv_rows(build(request))
    response = HttpResponse(csv_bytes(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="ringkasan.csv"'
    return response
