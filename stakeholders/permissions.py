"""Who may do what in the stakeholders app; views and templates ask these functions, never re-implement them."""

from __future__ import annotations

from django_scopes import scopes_disabled

from .models import Membership, Tenant, TenantRole


def is_tenant_member(user, tenant: Tenant) -> bool:
    """Members of a tenant: people in one of its organisations, or holders of a tenant-wide role."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    with scopes_disabled():
        return (
            Membership.objects.filter(tenant=tenant, user=user).exists()
            or TenantRole.objects.filter(tenant=tenant, user=user).exists()
        )


def is_tenant_admin(user, tenant: Tenant) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    with scopes_disabled():
        return TenantRole.objects.filter(tenant=tenant, user=user, role=TenantRole.Role.ADMIN).exists()


def administered_tenant_ids(user) -> list[int]:
    """Tenants whose data this user may manage in the admin panel."""
    with scopes_disabled():
        return list(
            TenantRole.objects.filter(user=user, role=TenantRole.Role.ADMIN).values_list("tenant_id", flat=True)
        )
