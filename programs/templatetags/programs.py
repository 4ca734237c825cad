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


@register.filter
def heat(count: int, busiest: int) -> int:
    """0–4: how crowded a month is relative to the busiest month of the lane (for its background)."""
    if not count or not busiest:
        return 0
    return min(4, 1 + (3 * count) // busiest)


@register.simple_tag
def query_with(request, **changes):
    """The current query string with some parameters replaced (an empty value removes one)."""
    query = request.GET.copy()
    for key, value in changes.items():
        if value in ("", None):
            query.pop(key, None)
        else:
            query[key] = value
    return query.urlencode()
