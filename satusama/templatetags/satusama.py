"""Template helpers shared by every app: money in rupiah."""

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def rupiah(value):
    """45000000 → "Rp45.000.000" (Indonesian grouping; English uses commas)."""
    if value is None or value == "":
        return "–"
    return f"Rp{number_format(int(value), decimal_pos=0, force_grouping=True)}"


@register.simple_tag
def catalogue_links():
    """(tenant name, public catalogue URL) for every tenant, once the catalogue exists."""
    from django.urls import NoReverseMatch, reverse
    from django_scopes import scopes_disabled

    from stakeholders.models import Tenant

    links = []
    with scopes_disabled():
        for tenant in Tenant.objects.order_by("name"):
            try:
                links.append((tenant.name, reverse("programs:catalogue", args=[tenant.slug])))
            except NoReverseMatch:
                return []
    return links
