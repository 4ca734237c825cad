"""Who may do what in the UMKM registry; views and templates ask these functions, never re-implement them."""

from __future__ import annotations

from programs.models import Program
from programs.permissions import OWNER_STAFF, PARTNER, TENANT_ADMIN, roles_for
from programs.taxonomy import Status
from stakeholders.models import Membership, Tenant
from stakeholders.permissions import is_tenant_admin

from .models import Business, Enrollment


def member_org_ids(user, tenant: Tenant) -> set[int]:
    if not user.is_authenticated:
        return set()
    return set(Membership.objects.filter(tenant=tenant, user=user).values_list("organization_id", flat=True))


def enrolling_org_ids(business: Business) -> set[int]:
    """Organisations that run (own or partner) a program this business is enrolled in."""
    programs = Enrollment.objects.filter(business=business).values("program_id")
    owners = set(Program.objects.filter(pk__in=programs).values_list("owner_id", flat=True))
    partners = set(Program.partners.through.objects.filter(program_id__in=programs)
                   .values_list("organization_id", flat=True))
    return owners | partners


def may_see_contact(user, tenant: Tenant, business: Business) -> bool:
    """Owner name, phone, e-mail, address: tenant admins and organisations that enrolled the business."""
    if is_tenant_admin(user, tenant):
        return True
    return bool(member_org_ids(user, tenant) & enrolling_org_ids(business))


def may_export_personal_data(user, tenant: Tenant) -> bool:
    """Exports carry owner name, phone, e-mail and address only for tenant admins."""
    return is_tenant_admin(user, tenant)


def may_import(user, tenant: Tenant) -> bool:
    """Imports update records by NIB, so only tenant admins and organisation admins run them."""
    if is_tenant_admin(user, tenant):
        return True
    return user.is_authenticated and Membership.objects.filter(
        tenant=tenant, user=user, role=Membership.Role.ADMIN).exists()


def may_edit_business(user, tenant: Tenant, business: Business) -> bool:
    """Correct a record or add an outcome report: whoever may see its contacts (admins, enrolling organisations)."""
    return may_see_contact(user, tenant, business)


def may_correct_nib(user, tenant: Tenant, business: Business) -> bool:
    """Correct a mistyped NIB: tenant admins; and admins of the organisations that enrolled the business, as long
    as no other organisation has enrolled it. The NIB is how every stakeholder's files find the record, so a change
    others rely on goes through the province's administrators."""
    if is_tenant_admin(user, tenant):
        return True
    if not user.is_authenticated:
        return False
    enrolling = enrolling_org_ids(business)
    if not enrolling:
        return False
    admin_of = set(Membership.objects.filter(tenant=tenant, user=user, role=Membership.Role.ADMIN)
                   .values_list("organization_id", flat=True))
    return enrolling <= admin_of


# Enrolment is closed for programs that will not run.
NO_ENROLMENT = [Status.REJECTED, Status.WITHDRAWN, Status.CANCELLED]


def may_enroll(user, program: Program) -> bool:
    """Enrol businesses, change their status: the program's organisations (owner, partners) and tenant admins."""
    if program.status in NO_ENROLMENT:
        return False
    return bool(roles_for(user, program) & {OWNER_STAFF, PARTNER, TENANT_ADMIN})


def may_report_outcomes(user, program: Program) -> bool:
    return bool(roles_for(user, program) & {OWNER_STAFF, PARTNER, TENANT_ADMIN})
