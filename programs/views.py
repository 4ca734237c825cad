"""Program pages: register and edit (htmx validation), the program page with its workflow, list, exports."""

from __future__ import annotations

import uuid

from django import forms
from django.contrib import messages
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from satusama import tenant_cache
from satusama.page_cache import cached_page
from satusama.tenant_cache import CountCachedPaginator, rendered_results

from . import exchange, importer, selectors, services, workflow
from . import permissions as perms
from .forms import CommentForm, ProgramForm, TransitionForm
from .history import history_entries
from .models import Program
from .permissions import get_program_for_user

PAGE_SIZE = 25


def _detail_url(request, program: Program) -> str:
    return reverse("programs:detail", args=[request.tenant.slug, program.ref])


def _form(request, *, instance=None, data=None):
    return ProgramForm(
        data,
        instance=instance,
        tenant=request.tenant,
        owners=perms.organizations_user_can_register_for(request.user, request.tenant),
    )


def _field_errors(request, form) -> HttpResponse:
    """Validation while typing: every field's error box, swapped out of band; "required" waits for saving."""
    return render(request, "programs/_field_errors.html", {"form": form})


def _submit(request, program: Program) -> bool:
    try:
        workflow.transition(program=program, to=Program.Status.SUBMITTED, by=request.user)
    except workflow.TransitionError as refused:
        messages.error(request, _("Saved as a draft, but not submitted: %(why)s") % {"why": refused.message})
        return False
    messages.success(request, _("The program has been submitted."))
    return True


def program_create(request):
    perms.require(perms.may_create_program(request.user, request.tenant))
    form = _form(request, data=request.POST or None)
    if request.method == "POST":
        if "_validate" in request.POST:
            form.is_valid()
            return _field_errors(request, form)
        if form.is_valid():
            program = services.create_program(
                tenant=request.tenant, owner=form.cleaned_data["owner"], data=form.content(), by=request.user
            )
            if request.POST.get("action") == "submit":
                if not _submit(request, program):
                    return redirect("programs:edit", request.tenant.slug, program.ref)
            else:
                messages.success(request, _("The program has been saved as a draft."))
            return redirect(_detail_url(request, program))
    return render(request, "programs/form.html", {"form": form, "program": None})


def program_edit(request, ref):
    program = get_program_for_user(request, ref)
    perms.require(perms.may_edit_program(request.user, program))
    form = _form(request, instance=program, data=request.POST or None)
    changes = None
    if request.method == "POST":
        if "_validate" in request.POST:
            form.is_valid()
            return _field_errors(request, form)
        if form.is_valid():
            try:
                services.update_program(
                    program=program, data=form.content(), by=request.user,
                    expected_version=form.cleaned_data.get("version") or 0,
                )
            except services.StaleEdit as stale:
                # Keep what the user typed, show what others changed, and base the next save on the current
                # version: saving again is then a deliberate choice, never a silent overwrite.
                data = request.POST.copy()
                data["version"] = stale.current.version
                form = _form(request, instance=stale.current, data=data)
                form.is_valid()
                changes = stale.changes
                messages.error(request, _("This program has been changed since you opened it."))
                return render(
                    request, "programs/form.html", {"form": form, "program": stale.current, "changes": changes},
                    status=409,
                )
            if request.POST.get("action") == "submit":
                if not _submit(request, program):
                    return redirect("programs:edit", request.tenant.slug, program.ref)
            else:
                messages.success(request, _("Your changes have been saved."))
            return redirect(_detail_url(request, program))
    return render(request, "programs/form.html", {"form": form, "program": program, "changes": changes})


def _detail_context(request, program: Program, **extra) -> dict:
    user = request.user
    return {
        "program": program,
        "regions": program.regions.all(),
        "partners": program.partners.all(),
        "priorities": program.priorities.all(),
        "events": program.events.select_related("by"),
        "history": tenant_cache.cached(program.tenant_id, f"history:{program.pk}", lambda: history_entries(program)),
        "comments": program.comments.select_related("author"),
        "transitions": workflow.available_transitions(user, program),
        "may_edit": perms.may_edit_program(user, program),
        "may_delete": perms.may_delete_program(user, program),
        "may_comment": perms.may_comment_on_program(user, program),
        "comment_form": CommentForm(),
        **extra,
    }


@cached_page
def program_detail(request, ref):
    program = get_program_for_user(request, ref)
    return render(request, "programs/detail.html", _detail_context(request, program))


@require_POST
def program_transition(request, ref):
    program = get_program_for_user(request, ref)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        return render(request, "programs/detail.html", _detail_context(request, program), status=400)
    try:
        workflow.transition(
            program=program, to=form.cleaned_data["to"], by=request.user, reason=form.cleaned_data["reason"]
        )
    except workflow.TransitionError as refused:
        context = _detail_context(request, program, transition_error=refused.message)
        return render(request, "programs/detail.html", context, status=refused.status_code)
    messages.success(request, _("Status changed to “%(status)s”.") % {"status": program.get_status_display()})
    return redirect(_detail_url(request, program))


@require_POST
def program_delete(request, ref):
    program = get_program_for_user(request, ref)
    perms.require(perms.may_delete_program(request.user, program))
    services.delete_draft(program=program, by=request.user)
    messages.success(request, _("The draft %(ref)s has been deleted.") % {"ref": program.ref})
    return redirect("programs:list", request.tenant.slug)


@require_POST
def program_comment(request, ref):
    program = get_program_for_user(request, ref)
    perms.require(perms.may_comment_on_program(request.user, program))
    form = CommentForm(request.POST)
    if form.is_valid():
        services.add_comment(program=program, by=request.user, body=form.cleaned_data["body"])
        messages.success(request, _("Your comment has been added."))
        return redirect(_detail_url(request, program) + "#comments")
    return render(request, "programs/detail.html", _detail_context(request, program, comment_form=form), status=400)


@cached_page
def program_list(request):
    form, programs = selectors.program_list(request.user, request.tenant, request.GET)
    page = CountCachedPaginator(programs, PAGE_SIZE, tenant_id=request.tenant.pk).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form, "page": page, "query": query.urlencode(),
        "may_create": perms.may_create_program(request.user, request.tenant),
        "may_import": perms.may_import_programs(request.user, request.tenant),
    }
    context["results"] = rendered_results(request, "programs/_list_results.html", context)
    if request.htmx and not request.htmx.boosted:
        return HttpResponse(context["results"])
    return render(request, "programs/list.html", context)


def program_export(request):
    _form, programs = selectors.program_list(request.user, request.tenant, request.GET)
    programs = exchange.export_queryset(programs)
    stamp = timezone.localdate().isoformat()
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(
            exchange.to_xlsx(programs),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="program-{request.tenant.slug}-{stamp}.xlsx"'
        return response
    response = HttpResponse(exchange.to_csv(programs), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="program-{request.tenant.slug}-{stamp}.csv"'
    return response


class ImportUploadForm(forms.Form):
    file = forms.FileField(label=_lazy("CSV file"), help_text=_lazy("The program exchange format; UTF-8."))


IMPORT_SESSION_KEY = "programs_import_file"
PREVIEW_ROWS = 200


def program_import(request):
    """Upload → preview with every problem → confirm; the file waits in storage between the two steps."""
    perms.require(perms.may_import_programs(request.user, request.tenant))
    if request.method == "POST" and "confirm" in request.POST:
        return _import_confirm(request)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = b"" if upload.size > importer.MAX_BYTES else upload.read()
        if upload.size > importer.MAX_BYTES:
            report = importer.ImportReport(problems=[importer.Problem(1, importer.FILE, _(
                "the file is larger than %(mb)s MB; split it into smaller files"
            ) % {"mb": importer.MAX_BYTES // (1024 * 1024)})])
        else:
            report = importer.parse_programs(tenant=request.tenant, data=data)
        if report.ok:
            importer.mark_existing(tenant=request.tenant, report=report)
            name = default_storage.save(f"program-imports/{request.tenant.pk}/{uuid.uuid4().hex}.csv",
                                        ContentFile(data))
            request.session[IMPORT_SESSION_KEY] = name
        context.update(report=report, preview=report.rows[:PREVIEW_ROWS],
                       new=sum(not r.exists for r in report.rows), status=200 if report.ok else 400)
        return render(request, "programs/import.html", context, status=context["status"])
    return render(request, "programs/import.html", context)


def _import_confirm(request):
    name = request.session.pop(IMPORT_SESSION_KEY, None)
    prefix = f"program-imports/{request.tenant.pk}/"
    if not name or not name.startswith(prefix) or not default_storage.exists(name):
        messages.error(request, _("The uploaded file is no longer available; please upload it again."))
        return redirect("programs:import", request.tenant.slug)
    with default_storage.open(name, "rb") as stored:
        data = stored.read()
    default_storage.delete(name)
    report = importer.import_programs(tenant=request.tenant, data=data, by=request.user)
    if not report.ok:  # the data changed between preview and confirm (e.g. an organisation was renamed)
        return render(request, "programs/import.html", {"form": ImportUploadForm(), "report": report}, status=400)
    messages.success(request, _("Import finished: %(created)s new, %(updated)s updated, %(unchanged)s unchanged "
                                "programs.")
                     % {"created": report.created, "updated": report.updated, "unchanged": report.unchanged})
    return redirect("programs:list", request.tenant.slug)
