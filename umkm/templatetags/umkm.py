"""Panels other apps' pages include for a program: its participants and its outcome summary."""

from django import template

from .. import permissions, selectors

register = template.Library()


@register.inclusion_tag("umkm/_enrollment_panel.html", takes_context=True)
def program_enrollments_panel(context, program):
    from ..views import enrollment_panel_context

    request = context["request"]
    return {**enrollment_panel_context(request, program), "tenant": request.tenant, "request": request,
            "csrf_token": context.get("csrf_token")}


@register.inclusion_tag("umkm/_program_outcomes_panel.html", takes_context=True)
def program_outcomes_panel(context, program):
    request = context["request"]
    return {"program": program, "summary": selectors.program_outcome_summary(program), "tenant": request.tenant,
            "may_report": permissions.may_report_outcomes(request.user, program)}


@register.inclusion_tag("umkm/_program_card.html", takes_context=True)
def program_umkm_card(context, program):
    """The program page's card: participants against the quota, a link to them, and the outcome summary."""
    request = context["request"]
    counts = selectors.enrollment_counts(program)
    return {
        "program": program, "tenant": request.tenant, "summary": selectors.program_outcome_summary(program),
        "may_enroll": permissions.may_enroll(request.user, program), **counts,
    }
