"""Cross-cutting pages: the landing page that lists provinces, the tenant home, the 403 page."""

import logging

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.defaults import permission_denied as default_permission_denied
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


def health(request):
    """Liveness for load balancers, and the framework's ceiling in bench/load.sh: no database, no template."""
    return HttpResponse("ok", content_type="text/plain")


def tenant_home(request):
    """The tenant dashboard; its figures come from the read-only roadmap.dashboard module."""
    from roadmap.dashboard import build
    from roadmap.views import dashboard_breakdowns

    board = build(request)
    return render(
        request,
        "home.html",
        {"memberships": memberships_of(request.user, request.tenant), "board": board,
         "breakdowns": dashboard_breakdowns(board)},
    )


security_log = logging.getLogger("satusama.security")


def permission_denied(request, exception=None):
    """Refused permission checks are logged (who, what) before the usual 403 page."""
    security_log.warning(
        "permission refused: user=%s path=%s tenant=%s",
        getattr(request.user, "pk", None), request.path, getattr(getattr(request, "tenant", None), "slug", None),
    )
    return default_permission_denied(request, exception)
