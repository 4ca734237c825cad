"""Template helpers shared by every app: money in rupiah."""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

register = template.Library()


def _money(amount: int, number: str, sign: str) -> str:
    """The one place "Rp" meets its number: the minus goes before the currency ("-Rp20.000.000", as Indonesian
    texts and banks write it, not "Rp-20.000.000"); `sign="+"` also marks a gain or no change ("+Rp0")."""
    if amount < 0:
        return f"-Rp{number}"
    return f"{'+' if sign == '+' else ''}Rp{number}"


@register.filter
def rupiah(value, sign=""):
    """45000000 → "Rp45.000.000", -20000000 → "-Rp20.000.000" (Indonesian grouping; English uses commas).

    `{{ change|rupiah:"+" }}` is for a change rather than an amount: "+Rp990.000.000", "-Rp20.000.000".
    No amount (None or "") is "–". Spreadsheet exports keep the raw number and never come here.
    """
    if value is None or value == "":
        return "–"
    amount = int(value)
    return _money(amount, number_format(abs(amount), decimal_pos=0, force_grouping=True), sign)


@register.filter
def rupiah_short(value, sign=""):
    """1180000000 → "Rp1,18 miliar": a large amount that fits a narrow card (the full amount goes beside it)."""
    if value is None or value == "":
        return "–"
    amount = int(value)
    for size, word in ((10**12, _("trillion")), (10**9, _("billion")), (10**6, _("million"))):
        if abs(amount) >= size:
            n = (Decimal(abs(amount)) / size).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            n = n.quantize(Decimal(1)) if n == n.to_integral_value() else n.normalize()
            return f"{_money(amount, number_format(n, force_grouping=True), sign)} {word}"
    return rupiah(amount, sign)


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
