"""Panels other apps' pages include for a program: its participants and its outcome summary."""

from functools import cache

from django import template
from django.utils import translation

from programs.taxonomy import Sector

from .. import permissions, selectors
from ..models import Scale

register = template.Library()


@cache
def _labels(choices, language: str) -> dict[str, str]:
    with translation.override(language):
        return {value: str(label) for value, label in choices.choices}


def _label(choices, value: str) -> str:
    return _labels(choices, translation.get_language() or "id").get(value, value)


# Lists of many rows: Django's get_FOO_display() rebuilds and hashes every choice (translated) on each call,
# which was a fifth of the registry picker's CPU time.
@register.filter
def sector_label(value: str) -> str:
    return _label(Sector, value) if value else ""


@register.filter
def scale_label(value: str) -> str:
    return _label(Scale, value) if value else ""


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
