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
    return {"summary": selectors.program_outcome_summary(program), "tenant": request.tenant,
            "may_report": permissions.may_report_outcomes(request.user, program)}
