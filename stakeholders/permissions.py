"""Who may do what with tenants, organisations and people: one function per rule, asked by views and templates.

Roles (see README, "Organisations and people"):
- tenant admin (the provincial Dinas): `TenantRole(role=admin)`; manages every organisation of the tenant;
- tenant viewer: `TenantRole(role=viewer)`; reads everything in the tenant, changes nothing;
- organisation admin / organisation staff: `Membership(role=admin|staff)` in one organisation;
- forum secretary / forum member: granted by the forums app (forums/permissions.py); for stakeholder actions
  they have exactly the rights their tenant membership and organisation role give them.

Common rules are plain queries on memberships and tenant roles. Grants on single objects that roles cannot
express use django-guardian with direct-foreign-key tables (`OrganizationUserObjectPermission`): e.g. a tenant
admin lets someone outside an organisation manage its people with the `stakeholders.manage_organization`
permission. Other apps build their rules from the helpers here (`role_in_org`, `is_org_admin`,
`is_org_member`, `is_tenant_admin`, `is_tenant_viewer`) in their own permissions.py.

Results are cached on the user object for the length of a request, so a template that asks the same question
for every row of a list costs one query, not one per row.
"""

from __future__ import annotations

from django_scopes import scopes_disabled

from .models import Membership, Organization, OrganizationRequest, Tenant, TenantRole

MANAGE_ORGANIZATION = "stakeholders.manage_organization"


# --- building blocks -----------------------------------------------------------------------------------------

def _tenant_roles(user, tenant_id: int) -> set[str]:
    cache = user.__dict__.setdefault("_satusama_tenant_roles", {})
    if tenant_id not in cache:
        with scopes_disabled():
            cache[tenant_id] = set(
                TenantRole.objects.filter(tenant_id=tenant_id, user=user).values_list("role", flat=True)
            )
    return cache[tenant_id]


def org_roles(user, tenant_id: int) -> dict[int, str]:
    """organisation id → role, for all the user's memberships in one tenant."""
    cache = user.__dict__.setdefault("_satusama_org_roles", {})
    if tenant_id not in cache:
        with scopes_disabled():
            cache[tenant_id] = dict(
                Membership.objects.filter(tenant_id=tenant_id, user=user).values_list("organization_id", "role")
            )
    return cache[tenant_id]


def forget_cached_roles(user) -> None:
    """After a membership or role change within the same request."""
    user.__dict__.pop("_satusama_tenant_roles", None)
    user.__dict__.pop("_satusama_org_roles", None)


def is_tenant_member(user, tenant: Tenant) -> bool:
    """Members of a tenant: people in one of its organisations, or holders of a tenant-wide role."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return bool(org_roles(user, tenant.pk)) or bool(_tenant_roles(user, tenant.pk))


def is_tenant_admin(user, tenant: Tenant) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return TenantRole.Role.ADMIN in _tenant_roles(user, tenant.pk)


def is_tenant_viewer(user, tenant: Tenant) -> bool:
    """Read-only access to the whole tenant (a tenant admin can read everything too)."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or bool(_tenant_roles(user, tenant.pk))


def administered_tenant_ids(user) -> list[int]:
    """Tenants whose data this user may manage in the admin panel."""
    with scopes_disabled():
        return list(
            TenantRole.objects.filter(user=user, role=TenantRole.Role.ADMIN).values_list("tenant_id", flat=True)
        )


def role_in_org(user, org: Organization) -> str | None:
    """`"admin"`, `"staff"` or None: the user's own role in this organisation (tenant roles not included)."""
    if not user.is_authenticated:
        return None
    return org_roles(user, org.tenant_id).get(org.pk)


def is_org_member(user, org: Organization) -> bool:
    return role_in_org(user, org) is not None


def is_org_admin(user, org: Organization) -> bool:
    return role_in_org(user, org) == Membership.Role.ADMIN


def has_org_grant(user, org: Organization, perm: str = MANAGE_ORGANIZATION) -> bool:
    """A guardian grant on this one organisation (direct-foreign-key table)."""
    if not user.is_authenticated or not user.is_active:
        return False
    from guardian.core import ObjectPermissionChecker

    checker = user.__dict__.setdefault("_satusama_guardian", ObjectPermissionChecker(user))
    return checker.has_perm(perm.split(".", 1)[1], org)


# --- rules: one per action -----------------------------------------------------------------------------------

def can_view_directory(user, tenant: Tenant) -> bool:
    return is_tenant_member(user, tenant)


def can_view_organization(user, org: Organization) -> bool:
    return is_tenant_member(user, org.tenant)


def can_see_member_emails(user, org: Organization) -> bool:
    """E-mail addresses of an organisation's people are for members of the same tenant only."""
    return is_tenant_member(user, org.tenant)


def can_edit_organization(user, org: Organization) -> bool:
    """Change the profile (description, regions, logo…): its admins, a guardian grant, or the tenant admin."""
    return is_org_admin(user, org) or is_tenant_admin(user, org.tenant) or has_org_grant(user, org)


def can_manage_people(user, org: Organization) -> bool:
    """Invite, re-send, revoke, change roles, remove: the same people who may edit the organisation."""
    return can_edit_organization(user, org)


def can_view_people_admin(user, org: Organization) -> bool:
    """The people-management page (pending invitations included); staff see the people on the public page."""
    return can_manage_people(user, org)


def can_verify_organization(user, org: Organization) -> bool:
    return is_tenant_admin(user, org.tenant)


def can_create_organization(user, tenant: Tenant) -> bool:
    return is_tenant_admin(user, tenant)


def can_request_organization(user, tenant: Tenant) -> bool:
    """Anyone signed in may ask to register an organisation, member of the tenant or not."""
    return user.is_authenticated


def can_decide_organization_request(user, org_request: OrganizationRequest) -> bool:
    return is_tenant_admin(user, org_request.tenant)


def can_view_audit_log(user, tenant: Tenant) -> bool:
    return is_tenant_admin(user, tenant)


def can_act_for(user, membership: Membership) -> bool:
    """Choose this membership as the organisation the user acts for."""
    return user.is_authenticated and membership.user_id == user.pk
