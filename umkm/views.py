"""Pages of the UMKM registry: list and search, business page, import, export, outcome reports."""

from __future__ import annotations

import uuid
from pathlib import PurePath
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from programs.permissions import get_program_for_user
from satusama.exports import csv_stream, xlsx_bytes

from . import permissions, selectors, services
from .forms import (
    BusinessFilterForm,
    BusinessForm,
    EnrollmentForm,
    ImportUploadForm,
    NibCorrectionForm,
    OutcomeReportForm,
    UnderservedForm,
)
from .importing import BUSINESS, OUTCOMES, FileRefused, import_file
from .models import Business, Enrollment

PAGE = 50
FLASHED = 20  # corrected-NIB notices shown after an import; the preview lists them all


def get_business_for_user(request, nib: str) -> Business:
    """The business with this NIB in the request's tenant, or 404 (also for other tenants' NIBs)."""
    business = Business.objects.select_related("region", "consent_recorded_by").filter(nib=nib).first()
    if business is None:
        raise Http404
    return business


def _filtered(request):
    """The filter form and the registry rows it selects (list page and export)."""
    form = BusinessFilterForm(request.GET or None)
    f = form.cleaned_data if form.is_valid() else {}
    qs = selectors.business_list(query=f.get("q", ""), region=f.get("region", ""), sector=f.get("sector", ""),
                                 scale=f.get("scale", ""))
    return form, qs


def business_list(request):
    form, qs = _filtered(request)
    try:
        page = max(1, int(request.GET.get("page", 1)))
    except ValueError:
        page = 1
    # No COUNT(*) over a million rows: fetch one row more than a page to know whether a next page exists.
    rows = selectors.rows_page(qs, (page - 1) * PAGE, page * PAGE + 1)
    context = {
        "form": form, "businesses": rows[:PAGE], "page": page, "has_next": len(rows) > PAGE,
        "may_import": permissions.may_import(request.user, request.tenant),
    }
    query = request.GET.copy()
    query.pop("page", None)
    context["filter_query"] = query.urlencode()
    if request.htmx:
        return render(request, "umkm/_business_rows.html", context)
    return render(request, "umkm/business_list.html", context)


def business_search(request):
    """The search-as-you-type picker: NIB or name prefix, a short list of matches (with Enrol buttons for a program)."""
    query = request.GET.get("q", "").strip()
    program = None
    if ref := request.GET.get("program"):
        program = get_program_for_user(request, ref)
        if not permissions.may_enroll(request.user, program):
            program = None
    results = selectors.search_businesses(query) if len(query) >= 2 else []
    unknown_nib = bool(program and query.isdigit() and len(query) == 13 and not results)
    return render(request, "umkm/_search_results.html",
                  {"results": results, "query": query, "program": program, "unknown_nib": unknown_nib})


def business_detail(request, nib):
    try:
        business = get_business_for_user(request, nib)
    except Http404:
        # A link or bookmark with a NIB corrected since then still finds the record.
        corrected = selectors.corrected_businesses(request.tenant, [nib]).get(nib)
        if corrected is None:
            raise
        return redirect("umkm:detail", request.tenant.slug, corrected.nib)
    context = {
        "business": business,
        "show_contact": permissions.may_see_contact(request.user, request.tenant, business),
        "may_edit": permissions.may_edit_business(request.user, request.tenant, business),
        "may_correct_nib": permissions.may_correct_nib(request.user, request.tenant, business),
        "nib_corrections": list(business.nib_corrections.select_related("corrected_by")),
        "reports": selectors.outcome_history(business),
        "timeline": selectors.assistance_history(business, request.user, request.tenant),
    }
    context["naik_kelas"] = selectors.naik_kelas_of(context["reports"])
    return render(request, "umkm/business_detail.html", context)


def business_create(request):
    if not permissions.may_import(request.user, request.tenant):
        raise PermissionDenied
    return _business_form(request, Business(tenant=request.tenant))


def business_edit(request, nib):
    business = get_business_for_user(request, nib)
    if not permissions.may_edit_business(request.user, request.tenant, business):
        raise PermissionDenied
    return _business_form(request, business)


def _business_form(request, business):
    form = BusinessForm(request.POST or None, instance=business, tenant=request.tenant)
    if request.method == "POST" and form.is_valid():
        try:
            business = services.business_save(business=form.save(commit=False))
        except ValidationError as exc:  # the NIB was registered by someone else after the form's check
            form.add_error("nib", exc.messages[0])
        else:
            messages.success(request, _("The business record is saved."))
            return redirect("umkm:detail", request.tenant.slug, business.nib)
    return render(request, "umkm/business_form.html", {"form": form, "business": business})


def nib_correct(request, nib):
    business = get_business_for_user(request, nib)
    if not permissions.may_correct_nib(request.user, request.tenant, business):
        raise PermissionDenied
    form = NibCorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        old = business.nib
        try:
            services.correct_nib(business=business, new_nib=form.cleaned_data["new_nib"],
                                 reason=form.cleaned_data["reason"], by=request.user)
        except ValidationError as exc:
            form.add_error("reason" if exc.code == "reason" else "new_nib", exc.messages[0])
        else:
            messages.success(request, _("The NIB is corrected from %(old)s to %(new)s.")
                             % {"old": old, "new": business.nib})
            return redirect("umkm:detail", request.tenant.slug, business.nib)
    return render(request, "umkm/nib_correct.html", {"business": business, "form": form})


def outcome_add(request, nib):
    business = get_business_for_user(request, nib)
    if not permissions.may_edit_business(request.user, request.tenant, business):
        raise PermissionDenied
    form = OutcomeReportForm(request.POST or None, business=business,
                             programs=selectors.programs_of(business, request.user, request.tenant))
    if request.method == "POST" and form.is_valid():
        report = form.save(commit=False)
        report.business = business
        services.outcome_report_save(report=report, by=request.user)
        messages.success(request, _("Outcome report saved."))
        return redirect("umkm:detail", request.tenant.slug, business.nib)
    return render(request, "umkm/outcome_form.html", {"business": business, "form": form})


@require_POST
def consent_record(request, nib):
    business = get_business_for_user(request, nib)
    if not permissions.may_edit_business(request.user, request.tenant, business):
        raise PermissionDenied
    services.record_consent(business=business, by=request.user)
    messages.success(request, _("The owner's consent is recorded."))
    return redirect("umkm:detail", request.tenant.slug, business.nib)


def _import_program(request):
    """The program whose participants' outcome reports are uploaded (`?program=REF`), or None for the registry."""
    ref = request.GET.get("program") or request.POST.get("program")
    return get_program_for_user(request, ref) if ref else None


def business_import(request):
    """Upload → preview with per-row errors → confirm; the file waits in storage between the two steps.

    Tenant and organisation admins import businesses and outcome reports into the registry; a program's staff
    upload outcome reports of its participants (`?program=REF`), which are linked to the program.
    """
    program = _import_program(request)
    allowed = (permissions.may_report_outcomes(request.user, program) if program is not None
               else permissions.may_import(request.user, request.tenant))
    if not allowed:
        raise PermissionDenied
    if request.method == "POST" and "token" in request.POST:
        return _import_confirm(request, program)
    form = ImportUploadForm(request.POST or None, request.FILES or None, program=program)
    context = {"form": form, "program": program}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        kind = form.cleaned_data["kind"]
        try:
            result = import_file(tenant=request.tenant, data=data, filename=upload.name, kind=kind, commit=False,
                                 program=program)
        except FileRefused as exc:
            form.add_error("file", str(exc))
        else:
            suffix = PurePath(upload.name).suffix.lower()
            token = f"{uuid.uuid4().hex}{suffix}"
            default_storage.save(_pending_path(request, token), ContentFile(data))
            context.update(result=result, token=token, kind=kind, filename=upload.name)
    return render(request, "umkm/import.html", context)


def _pending_path(request, token: str) -> str:
    # Namespaced by tenant and user: a token cannot be replayed by someone else.
    return f"umkm-imports/{request.tenant.pk}/{request.user.pk}/{PurePath(token).name}"


def _import_confirm(request, program):
    token = request.POST["token"]
    kind = OUTCOMES if program is not None or request.POST.get("kind") == OUTCOMES else BUSINESS
    path = _pending_path(request, token)
    again = redirect(_import_url(request, program))
    if not default_storage.exists(path):
        messages.error(request, _("That upload has expired; upload the file again."))
        return again
    with default_storage.open(path, "rb") as handle:
        data = handle.read()
    try:
        result = import_file(tenant=request.tenant, data=data, filename=token, kind=kind, commit=True,
                             by=request.user, program=program)
    except FileRefused as exc:
        result = None
        messages.error(request, str(exc))
    default_storage.delete(path)
    if result is None or not result.ok:
        if result is not None:  # a concurrent write twice (the failure), or rows that went bad since the preview
            messages.error(request, result.failure or _("The file has errors; nothing was imported."))
        return again
    messages.success(request, _("Imported %(rows)s rows: %(created)s new, %(updated)s updated.") % {
        "rows": result.rows, "created": result.created, "updated": result.updated})
    for notice in result.corrected[:FLASHED]:
        messages.info(request, str(notice))
    if (more := len(result.corrected) + result.more_corrected - FLASHED) > 0:
        messages.info(request, _("… and %(n)s more rows with a corrected NIB.") % {"n": more})
    if program is not None:
        return redirect("umkm:enroll", request.tenant.slug, program.ref)
    return redirect("umkm:list", request.tenant.slug)


def _import_url(request, program) -> str:
    url = reverse("umkm:import", args=[request.tenant.slug])
    return f"{url}?{urlencode({'program': program.ref})}" if program is not None else url


EXPORT_COLUMNS = ["nib", "name", "region", "district", "village", "sector", "kbli", "scale", "year_founded",
                  "capital", "annual_sales", "pirt_number", "halal_number", "bpom_number"]
PERSONAL_COLUMNS = ["owner_name", "owner_gender", "phone", "email", "address"]


def export_rows(businesses, *, personal: bool):
    """Header and rows of a registry export; personal columns only when asked for (and allowed)."""
    header = EXPORT_COLUMNS + (PERSONAL_COLUMNS if personal else [])

    def rows():
        for b in businesses:
            row = [b.nib, b.name, b.region.code if b.region_id else "", b.district, b.village, b.sector, b.kbli,
                   b.scale, b.year_founded, b.capital, b.annual_sales, b.pirt_number, b.halal_number,
                   b.bpom_number]
            if personal:
                row += [b.owner_name, b.owner_gender, b.phone, b.email, b.address]
            yield row

    return header, rows()


def export_response(request, businesses, basename: str):
    personal = permissions.may_export_personal_data(request.user, request.tenant)
    header, rows = export_rows(businesses, personal=personal)
    stamp = timezone.localdate().isoformat()
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(
            xlsx_bytes(header, rows, title=basename),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{basename}-{stamp}.xlsx"'
        return response
    response = StreamingHttpResponse(csv_stream(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{basename}-{stamp}.csv"'
    return response


XLSX_LIMIT = 100_000


def business_export(request):
    _form, qs = _filtered(request)
    if request.GET.get("format") == "xlsx":
        qs = qs[:XLSX_LIMIT]  # a spreadsheet past this is unusable; the CSV streams everything
    return export_response(request, qs.iterator(chunk_size=2000), "umkm")


# --- enrolment ---------------------------------------------------------------------------------------------


def enrollment_panel_context(request, program, result=None) -> dict:
    enrollments = list(Enrollment.objects.filter(program=program).select_related("business")
                       .order_by("business__name", "pk"))
    active = sum(1 for e in enrollments if e.counts_towards_quota)
    return {
        "program": program, "enrollments": enrollments, **selectors.quota_figures(program, active),
        "may_enroll": permissions.may_enroll(request.user, program), "result": result,
        "statuses": Enrollment.Status.choices,
    }


def program_enrollments(request, ref):
    """The program's participants: list, search-as-you-type picker, NIB list; POST enrols."""
    program = get_program_for_user(request, ref)
    result = None
    if request.method == "POST":
        if not permissions.may_enroll(request.user, program):
            raise PermissionDenied
        text = request.POST.get("nibs", "")
        if upload := request.FILES.get("nibs_file"):
            text += "\n" + upload.read(2_000_000).decode("utf-8-sig", errors="replace")
        nibs, invalid = services.parse_nibs(text)
        result = services.enroll_checked(program=program, nibs=nibs, invalid=invalid, by=request.user)
        if not request.htmx:
            _flash_result(request, result)
            return redirect("umkm:enroll", request.tenant.slug, program.ref)
    context = enrollment_panel_context(request, program, result)
    if request.htmx:
        return render(request, "umkm/_enrollment_panel.html", context)
    return render(request, "umkm/program_enrollments.html", context)


def _flash_result(request, result) -> None:
    if result.enrolled:
        messages.success(request, _("%(n)s business(es) enrolled.") % {"n": len(result.enrolled)})
    for nib, others in result.warnings.items():
        messages.warning(request, warning_message(nib, others))
    if result.already:
        messages.info(request, _("Already enrolled: %(nibs)s") % {"nibs": ", ".join(result.already)})
    if result.over_quota:
        messages.error(request, _("The quota is full; not enrolled: %(nibs)s") % {"nibs": ", ".join(result.over_quota)})
    if result.invalid:
        messages.error(request, _("Not an NIB (13 digits): %(bad)s") % {"bad": ", ".join(result.invalid[:20])})


def warning_message(nib: str, others) -> str:
    return _("NIB %(nib)s is already enrolled in %(programs)s: the same kind of assistance in overlapping dates.") % {
        "nib": nib, "programs": "; ".join(f"{p.ref} “{p.title}” ({p.owner})" for p in others)}


@require_POST
def enrollment_update(request, pk):
    enrollment = Enrollment.objects.select_related("program", "business").filter(pk=pk).first()
    if enrollment is None:
        raise Http404
    program = get_program_for_user(request, enrollment.program.ref)
    if not permissions.may_enroll(request.user, program):
        raise PermissionDenied
    if request.POST.get("remove"):
        services.enrollment_remove(enrollment=enrollment)
    else:
        form = EnrollmentForm(request.POST, instance=enrollment)
        if form.is_valid():
            services.enrollment_update(enrollment=enrollment, status=form.cleaned_data["status"],
                                       attendance=form.cleaned_data["attendance"])
        else:
            messages.error(request, _("Check the status and the attendance."))
    if request.htmx:
        return render(request, "umkm/_enrollment_panel.html", enrollment_panel_context(request, program))
    return redirect("umkm:enroll", request.tenant.slug, program.ref)


# --- under-served ------------------------------------------------------------------------------------------


def underserved(request):
    """Businesses with no assistance in the last N years, by region and sector: for planning the next programs."""
    form = UnderservedForm(request.GET or None)
    f = form.cleaned_data if form.is_valid() else {"years": 3}
    qs = selectors.underserved(years=f.get("years") or 3, region=f.get("region", ""), sector=f.get("sector", ""))
    if request.GET.get("download"):
        return export_response(request, qs.iterator(chunk_size=2000), "umkm-belum-terlayani")
    try:
        page = max(1, int(request.GET.get("page", 1)))
    except ValueError:
        page = 1
    rows = selectors.rows_page(qs, (page - 1) * PAGE, page * PAGE + 1)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "umkm/underserved.html", {
        "form": form, "businesses": rows[:PAGE], "page": page, "has_next": len(rows) > PAGE,
        "filter_query": query.urlencode(), "years": f.get("years") or 3,
    })
