"""Who may do what with the RPJMD and the roadmap: every member of the tenant reads, tenant admins edit."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied


def may_view_roadmap(request) -> bool:
    """Members only (the tenancy middleware has already refused non-members and sent visitors to log in)."""
    return bool(request.user.is_authenticated and getattr(request, "tenant", None))


def may_edit_roadmap(request) -> bool:
    """The provincial Dinas (tenant admins) keeps the RPJMD hierarchy and the roadmap."""
    return bool(getattr(request, "is_tenant_admin", False))


def require_edit(request) -> None:
    if not may_edit_roadmap(request):
        raise PermissionDenied("Only tenant admins edit the roadmap.")
