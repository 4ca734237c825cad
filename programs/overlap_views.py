"""Overlap pages: one flag side by side with its answers, the live "similar programs" panel, synonyms."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import overlap_resolve as resolve
from .models import OverlapFlag, Program
from .overlap_selectors import comparison, similar_to_unsaved
from .permissions import get_program_for_user, may_create_program, require

ANSWERS = {
    "not_overlap": resolve.flag_not_overlap,
    "differentiate": resolve.flag_differentiate,
    "withdraw": resolve.flag_withdraw,
}


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
