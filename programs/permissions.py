"""Who may do what with programs (issue 4 §9); views, templates and the workflow ask these functions."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from stakeholders.models import Membership, Organization
from stakeholders.permissions import is_tenant_admin, is_tenant_member, org_roles

from .models import Program
from .taxonomy import EDITABLE_STATUSES, VISIBLE_TO_ALL_MEMBERS, Status

# Roles a person can have towards one program; the workflow table names them.
OWNER_STAFF = "owner_staff"  # any member (staff or admin) of the owning organisation
OWNER_ADMIN = "owner_admin"  # an admin of the owning organisation
PARTNER = "partner"  # a member of a partner organisation
TENANT_ADMIN = "tenant_admin"
MEMBER = "member"  # any member of the tenant


def _memberships(user, tenant) -> dict[int, str]:
    """organisation id → role of this user in the tenant (cached on the user object for one request)."""
    return org_roles(user, tenant.pk)


def _is_tenant_admin(user, tenant) -> bool:
    cache = getattr(user, "_program_tenant_admin", None)
    if cache is None or cache[0] != tenant.pk:
        cache = (tenant.pk, is_tenant_admin(user, tenant))
        user._program_tenant_admin = cache
    return cache[1]


def roles_for(user, program: Program) -> set[str]:
    if not user.is_authenticated:
        return set()
    tenant = program.tenant
    roles = set()
    if _is_tenant_admin(user, tenant):
        roles |= {TENANT_ADMIN, MEMBER}
    memberships = _memberships(user, tenant)
    if memberships:
        roles.add(MEMBER)
    if program.owner_id in memberships:
        roles.add(OWNER_STAFF)
        if memberships[program.owner_id] == Membership.Role.ADMIN:
            roles.add(OWNER_ADMIN)
    if program.pk and memberships and _is_partner(user, program, memberships):
        roles.add(PARTNER)
    return roles


def _is_partner(user, program: Program, memberships: dict[int, str]) -> bool:
    """One query per program and user in a request, however many rules a page asks."""
    known = program.__dict__.setdefault("_satusama_partner_of", {})
    if user.pk not in known:
        known[user.pk] = program.partners.filter(pk__in=list(memberships)).exists()
    return known[user.pk]


def organizations_user_can_register_for(user, tenant):
    """Organisations whose staff this user is: a new program is registered for one of them."""
    if not user.is_authenticated:
        return Organization.objects.none()
    return Organization.objects.filter(tenant=tenant, pk__in=list(_memberships(user, tenant)))


def may_create_program(user, tenant) -> bool:
    return bool(user.is_authenticated and _memberships(user, tenant))


def may_view_program(user, program: Program) -> bool:
    roles = roles_for(user, program)
    if roles & {TENANT_ADMIN, OWNER_STAFF, PARTNER}:
        return True
    # Other members see a program from `submitted` on, never another organisation's draft.
    return MEMBER in roles and program.status in VISIBLE_TO_ALL_MEMBERS


def may_edit_program(user, program: Program) -> bool:
    return program.status in EDITABLE_STATUSES and OWNER_STAFF in roles_for(user, program)


def may_delete_program(user, program: Program) -> bool:
    return program.status == Status.DRAFT and OWNER_STAFF in roles_for(user, program)


def may_comment_on_program(user, program: Program) -> bool:
    return bool(roles_for(user, program) & {OWNER_STAFF, PARTNER, TENANT_ADMIN})


def may_import_programs(user, tenant) -> bool:
    return _is_tenant_admin(user, tenant)


def may_transition(user, program: Program, to: str, *, by_forum: bool = False) -> bool:
    from .workflow import actor_allowed

    return actor_allowed(roles_for(user, program), program.status, to, by_forum=by_forum)


def visible_programs(user, tenant):
    """Programs of the tenant this user may see (the list, the timeline, exports)."""
    qs = Program.objects.filter(tenant=tenant)
    if not user.is_authenticated:
        return qs.none()
    if _is_tenant_admin(user, tenant):
        return qs
    own = list(_memberships(user, tenant))
    # A tenant-wide viewer has no organisation but is a member all the same.
    if not own and not is_tenant_member(user, tenant):
        return qs.none()
    partnered = Program.partners.through.objects.filter(organization_id__in=own).values("program_id")
    # A subquery rather than a join: no duplicate rows, so no DISTINCT over a large list.
    return qs.filter(Q(status__in=VISIBLE_TO_ALL_MEMBERS) | Q(owner_id__in=own) | Q(pk__in=partnered))


def get_program_for_user(request, ref: str) -> Program:
    """The access helper: the program `ref` of the current tenant if this user may see it, else 404."""
    program = get_object_or_404(Program.objects.select_related("owner", "tenant"), tenant=request.tenant, ref=ref)
    if not may_view_program(request.user, program):
        # A member must not learn that another organisation's draft exists.
        raise Http404
    return program


def require(allowed: bool) -> None:
    """Turn a refused rule into 403 for a member lacking a right (logged by handler403)."""
    if not allowed:
        raise PermissionDenied
