"""Overlap pages: one flag side by side with its answers, the live "similar programs" panel, the gap analysis."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from satusama.exports import csv_bytes

from . import overlap_gaps as gaps
from . import overlap_resolve as resolve
from . import workflow
from .models import OverlapFlag, Program
from .overlap_selectors import comparison, flags_for_user, similar_to_unsaved
from .permissions import get_program_for_user, may_create_program, require
from .taxonomy import Intervention, Sector, Status

ANSWERS = {
    "not_overlap": resolve.flag_not_overlap,
    "differentiate": resolve.flag_differentiate,
    "withdraw": resolve.flag_withdraw,
}


def overlap_flag_list(request):
    """The in-app list of overlap flags on the user's organisations' programs (all of them for tenant admins)."""
    page = Paginator(flags_for_user(request.user, request.tenant), 50).get_page(request.GET.get("page"))
    orgs = set(request.user.memberships.filter(tenant=request.tenant).values_list("organization_id", flat=True))
    rows = []
    for flag in page.object_list:
        mine_first = flag.program_a.owner_id in orgs or flag.program_b.owner_id not in orgs
        rows.append((flag, *((flag.program_a, flag.program_b) if mine_first else (flag.program_b, flag.program_a))))
    return render(request, "programs/overlap/list.html", {"page": page, "rows": rows})


def get_flag_for_user(request, ref: str, overlapflag_pk: int) -> tuple[Program, OverlapFlag]:
    """The access helper: a flag of program `ref` (which this user may see), else 404."""
    program = get_program_for_user(request, ref)
    flag = get_object_or_404(
        OverlapFlag.objects.involving(program).select_related(
            "program_a__owner", "program_b__owner", "joint_program", "proposed_by", "resolved_by"
        ),
        tenant=request.tenant, pk=overlapflag_pk,
    )
    return program, flag


def _flag_context(request, program: Program, flag: OverlapFlag, **extra) -> dict:
    left, right, rows = comparison(flag, program)
    user = request.user
    return {
        "program": program, "flag": flag, "left": left, "right": right, "rows": rows,
        "reasons": flag.rendered_reasons(),
        "may_answer": resolve.may_answer_flag(user, flag, program),
        "may_accept": resolve.may_accept_collaboration(user, flag, program),
        # Withdrawing alone follows the workflow's rule (an organisation admin); offered only to those it allows.
        "may_withdraw": Status.WITHDRAWN in [to for to, *_rest in workflow.available_transitions(user, program)],
        **extra,
    }


def overlap_flag(request, ref, overlapflag_pk):
    program, flag = get_flag_for_user(request, ref, overlapflag_pk)
    return render(request, "programs/overlap/flag.html", _flag_context(request, program, flag))


@require_POST
def overlap_flag_answer(request, ref, overlapflag_pk):
    program, flag = get_flag_for_user(request, ref, overlapflag_pk)
    require(resolve.may_answer_flag(request.user, flag, program))
    action = request.POST.get("action", "")
    note = request.POST.get("note", "")
    try:
        if action in ANSWERS:
            ANSWERS[action](flag=flag, program=program, by=request.user, note=note)
            messages.success(request, _("Your answer has been recorded."))
        elif action == "propose":
            joint = program if request.POST.get("joint") == "mine" else flag.other(program)
            resolve.flag_propose_collaboration(flag=flag, program=program, by=request.user, joint=joint, note=note)
            messages.success(request, _("Your proposal has been sent to the other organisation."))
        elif action in ("accept", "decline"):
            require(resolve.may_accept_collaboration(request.user, flag, program))
            if action == "accept":
                joint = resolve.flag_accept_collaboration(flag=flag, program=program, by=request.user)
                messages.success(request, _("The programs have been merged into %(ref)s.") % {"ref": joint.ref})
                return redirect("programs:detail", request.tenant.slug, joint.ref)
            resolve.flag_decline_collaboration(flag=flag, program=program, by=request.user)
            messages.success(request, _("The proposal has been declined."))
        else:
            context = _flag_context(request, program, flag, answer_error=_("Please choose an answer."))
            return render(request, "programs/overlap/flag.html", context, status=400)
    except resolve.AnswerRefused as refused:
        flag.refresh_from_db()
        context = _flag_context(request, program, flag, answer_error=refused.message, chosen=action, note=note)
        return render(request, "programs/overlap/flag.html", context, status=400)
    return redirect("programs:overlap_flag", request.tenant.slug, program.ref, flag.pk)


@require_POST
def similar_programs(request):
    """The live hint beside the program form: the most similar programs to the unsaved values (htmx partial)."""
    require(may_create_program(request.user, request.tenant))
    similar = similar_to_unsaved(request.tenant, request.POST, exclude_ref=request.POST.get("ref", ""))
    return render(request, "programs/overlap/_similar.html", {"similar": similar})


class GapFilterForm(forms.Form):
    year = forms.TypedChoiceField(coerce=int, label=_lazy("Year"))
    sector = forms.ChoiceField(required=False, label=_lazy("Sector"))

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, y) for y in years]
        self.fields["sector"].choices = [("", _lazy("All sectors")), *Sector.choices]


def gap_analysis(request):
    """Matrix kabupaten/kota × kind of assistance for one year: who is crowded, who gets nothing (any member)."""
    tenant = request.tenant
    years = gaps.available_years(tenant) or [timezone.localdate().year]
    form = GapFilterForm(request.GET or None, years=years)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    year, sector = data.get("year") or years[0], data.get("sector") or ""
    matrix = gaps.gap_matrix(tenant, year=year, sector=sector)
    kind_labels = {code: str(label) for code, label in Intervention.choices}
    sector_label = dict(Sector.choices).get(sector, "")
    title = _("Programs per regency/city and kind of assistance, %(year)s") % {"year": year}
    if sector_label:
        title += f" — {sector_label}"
    if request.GET.get("format") == "csv":
        header = [_("year"), _("sector"), _("region code"), _("regency/city"), _("kind code"), _("kind of assistance"),
                  _("programs"), _("organisations"), _("businesses"), _("crowded"), _("empty")]
        response = HttpResponse(csv_bytes(header, gaps.csv_rows(matrix, kind_labels)), content_type="text/csv")
        suffix = f"-{sector}" if sector else ""
        response["Content-Disposition"] = f'attachment; filename="kesenjangan-{tenant.slug}-{year}{suffix}.csv"'
        return response
    list_url = reverse("programs:list", args=[tenant.slug])
    rows = [
        (region, [(cell, gaps.heat_level(cell, matrix.peak), _cell_link(list_url, cell, year, sector))
                  for cell in cells])
        for region, cells in matrix.rows
    ]
    return render(request, "programs/overlap/gaps.html", {
        "form": form, "matrix": matrix, "rows": rows, "year": year, "sector": sector, "title": title,
        "kind_labels": [kind_labels[code] for code, _label in matrix.kinds],
        "heatmap": gaps.heatmap_svg(matrix, title=title, kind_labels=kind_labels),
        "crowded_threshold": gaps.CROWDED_ORGANISATIONS,
        "csv_query": urlencode({"year": year, "sector": sector, "format": "csv"}),
    })


def _cell_link(list_url: str, cell, year: int, sector: str) -> str:
    query = {"region": cell.region.code, "kind": cell.kind, "year": year}
    if sector:
        query["sector"] = sector
    return f"{list_url}?{urlencode(query)}"
