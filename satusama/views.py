"""Cross-cutting pages: the landing page that lists provinces, and the tenant home."""

from django.shortcuts import redirect, render
from django_scopes import scopes_disabled

from stakeholders.models import Tenant
from stakeholders.selectors import memberships_of, tenants_of


def landing(request):
    """Send people straight to their province; otherwise list the provinces."""
    if request.user.is_authenticated and (mine := tenants_of(request.user)):
        return redirect("home", tenant_slug=mine[0].slug)
    with scopes_disabled():
        tenants = list(Tenant.objects.all())
    if len(tenants) == 1:
        return redirect("home", tenant_slug=tenants[0].slug)
    return render(request, "landing.html", {"tenants": tenants})


def tenant_home(request):
    return render(
        request,
        "home.html",
        {"memberships": memberships_of(request.user, request.tenant)},
    )
