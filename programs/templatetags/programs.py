"""Template helpers for program pages: grouped form fields, errors worth showing while typing, status badges."""

from django import template

from ..forms import fieldsets

register = template.Library()

STATUS_TONE = {
    "draft": "muted", "needs_revision": "warn", "rejected": "error", "withdrawn": "muted", "cancelled": "muted",
}


@register.simple_tag
def form_fieldsets(form):
    return fieldsets(form)


@register.simple_tag
def typing_errors(form, name):
    """Errors of one field except "required": an empty field the user has not reached yet is not an error."""
    errors = form.errors.as_data().get(name, [])
    return [message for error in errors if error.code != "required" for message in error.messages]


@register.filter
def status_tone(status: str) -> str:
    return STATUS_TONE.get(status, "")
