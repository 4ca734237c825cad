"""Directory of organisations and the user's profile."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .models import Organization
from .selectors import memberships_of, tenants_of


def directory(request):
    organizations = Organization.objects.select_related("parent").order_by("name")
    return render(request, "stakeholders/directory.html", {"organizations": organizations})


@login_required
def profile(request):
    return render(
        request,
        "stakeholders/profile.html",
        {"memberships": memberships_of(request.user), "tenants": tenants_of(request.user)},
    )
