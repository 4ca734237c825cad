"""Reads about people and organisations that several views share."""

from django_scopes import scopes_disabled

from .models import Membership, Tenant, TenantRole


def memberships_of(user, tenant: Tenant | None = None) -> list[Membership]:
    """A person's memberships, in one tenant or (for the profile page) in all of them."""
    with scopes_disabled():
        qs = Membership.objects.filter(user=user).select_related("organization", "tenant")
        if tenant is not None:
            qs = qs.filter(tenant=tenant)
        return list(qs.order_by("tenant__name", "organization__name"))


def tenants_of(user) -> list[Tenant]:
    """Tenants the user belongs to, through an organisation or a tenant-wide role."""
    with scopes_disabled():
        ids = set(Membership.objects.filter(user=user).values_list("tenant_id", flat=True))
        ids |= set(TenantRole.objects.filter(user=user).values_list("tenant_id", flat=True))
        return list(Tenant.objects.filter(id__in=ids))
