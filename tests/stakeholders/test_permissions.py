"""Role × action matrix: every role, every stakeholder (and forum) action, allowed and refused.

The forum secretary and the forum member are real: the secretary is named on the Sleman forum
(forums.services.forum_set_officers, a guardian grant), the member represents an organisation sitting in it.
For stakeholder actions they have exactly what their own organisation membership gives them.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django_scopes import scope, scopes_disabled
from guardian.shortcuts import assign_perm

from forums import permissions as forum_perms
from forums import services as forum_services
from forums.models import Forum
from stakeholders import permissions as perms
from stakeholders.models import HelixKind, Membership, Organization, OrganizationRequest, Region, TenantRole
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

ROLES = ["tenant_admin", "tenant_viewer", "org_admin", "org_staff", "forum_secretary", "forum_member",
         "granted", "other_org_staff", "other_tenant", "no_tenant", "anonymous"]

# action → roles allowed (on world.org, in world.tenant)
ALLOWED = {
    "view_directory": {"tenant_admin", "tenant_viewer", "org_admin", "org_staff", "forum_secretary", "forum_member",
                       "granted", "other_org_staff"},
    "view_organization": {"tenant_admin", "tenant_viewer", "org_admin", "org_staff", "forum_secretary",
                          "forum_member", "granted", "other_org_staff"},
    "see_member_emails": {"tenant_admin", "tenant_viewer", "org_admin", "org_staff", "forum_secretary",
                          "forum_member", "granted", "other_org_staff"},
    "edit_organization": {"tenant_admin", "org_admin", "granted"},
    "manage_people": {"tenant_admin", "org_admin", "granted"},
    "verify_organization": {"tenant_admin"},
    "create_organization": {"tenant_admin"},
    "request_organization": set(ROLES) - {"anonymous"},
    "decide_organization_request": {"tenant_admin"},
    "view_audit_log": {"tenant_admin"},
    # the forums app's rules, on the Sleman forum
    "view_forum": {"tenant_admin", "tenant_viewer", "forum_secretary", "forum_member"},
    "manage_forum": {"forum_secretary"},
}


class Personas:
    def __init__(self, world):
        with scopes_disabled():
            viewer = make_user("pemantau@satusama.test", full_name="Pemantau")
            TenantRole.objects.create(tenant=world.tenant, user=viewer, role="viewer")
            # the Sleman forum secretary works for the Dinas (like Pak Budi); the member represents a community
            # organisation that sits in the forum
            secretary = make_user("sekretaris@satusama.test", full_name="Budi Santoso")
            Membership.objects.create(tenant=world.tenant, user=secretary, organization=world.org, role="staff")
            community = Organization.objects.create(tenant=world.tenant, name="Komunitas UMKM Sleman",
                                                    helix=HelixKind.COMMUNITY)
            member = make_user("anggota.forum@satusama.test", full_name="Anggota Forum")
            Membership.objects.create(tenant=world.tenant, user=member, organization=community, role="staff")
            with scope(tenant=world.tenant):
                self.forum = Forum.objects.create(
                    tenant=world.tenant, level="regional", region=Region.objects.get(tenant=world.tenant,
                                                                                     code="34.04"),
                    name="Forum Koordinasi SATUSAMA Kabupaten Sleman", code="FK-SLM")
                forum_services.forum_set_officers(forum=self.forum, chair=None, secretary=secretary)
                forum_services.forum_add_member(forum=self.forum, organization=community, representative=member)
            granted = make_user("pengelola@satusama.test", full_name="Pengelola Titipan")
            Membership.objects.create(tenant=world.tenant, user=granted, organization=world.other_org, role="staff")
            assign_perm(perms.MANAGE_ORGANIZATION, granted, world.org)
            self.request = OrganizationRequest.objects.create(
                tenant=world.tenant, name="Lembaga Baru", helix="media", requested_by=world.nobody)
        self.users = {
            "tenant_admin": world.tenant_admin, "tenant_viewer": viewer, "org_admin": world.org_admin,
            "org_staff": world.staff, "forum_secretary": secretary, "forum_member": member, "granted": granted,
            "other_org_staff": world.colleague, "other_tenant": world.outsider, "no_tenant": world.nobody,
            "anonymous": AnonymousUser(),
        }


@pytest.fixture
def personas(world):
    return Personas(world)


def ask(action, user, world, personas):
    org, tenant = world.org, world.tenant
    return {
        "view_directory": lambda: perms.can_view_directory(user, tenant),
        "view_organization": lambda: perms.can_view_organization(user, org),
        "see_member_emails": lambda: perms.can_see_member_emails(user, org),
        "edit_organization": lambda: perms.can_edit_organization(user, org),
        "manage_people": lambda: perms.can_manage_people(user, org),
        "verify_organization": lambda: perms.can_verify_organization(user, org),
        "create_organization": lambda: perms.can_create_organization(user, tenant),
        "request_organization": lambda: perms.can_request_organization(user, tenant),
        "decide_organization_request": lambda: perms.can_decide_organization_request(user, personas.request),
        "view_audit_log": lambda: perms.can_view_audit_log(user, tenant),
        "view_forum": lambda: forum_perms.may_view_forum(
            user, personas.forum, reads_whole_tenant=perms.is_tenant_viewer(user, tenant)),
        "manage_forum": lambda: forum_perms.may_manage_forum(user, personas.forum),
    }[action]()


@pytest.mark.parametrize("action", sorted(ALLOWED))
@pytest.mark.parametrize("role", ROLES)
def test_role_action_matrix(world, personas, role, action):
    with scope(tenant=world.tenant):
        allowed = ask(action, personas.users[role], world, personas)
    assert allowed is (role in ALLOWED[action]), f"{role} {'may not' if allowed else 'should'} {action}"


# The same rules, enforced by the server: page → roles that get it (200), others 403, or 404 outside the tenant.
PAGES = {
    "directory": ("stakeholders:directory", None, ALLOWED["view_directory"]),
    "organization": ("stakeholders:organization", "org", ALLOWED["view_organization"]),
    "organization_edit": ("stakeholders:organization_edit", "org", ALLOWED["edit_organization"]),
    "people": ("stakeholders:people", "org", ALLOWED["manage_people"]),
    "organization_create": ("stakeholders:organization_create", None, ALLOWED["create_organization"]),
    "requests": ("stakeholders:requests", None, ALLOWED["decide_organization_request"]),
    "audit": ("stakeholders:audit", None, ALLOWED["view_audit_log"]),
}


@pytest.mark.parametrize("page", sorted(PAGES))
@pytest.mark.parametrize("role", ROLES)
def test_pages_refuse_what_the_rules_refuse(world, personas, role, page):
    name, arg, allowed = PAGES[page]
    url = reverse(name, args=["diy"] + ([world.org.pk] if arg else []))
    user = personas.users[role]
    if role == "anonymous":
        response = world.client_for(world.staff).__class__().get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        return
    response = world.client_for(user).get(url)
    if role in allowed:
        assert response.status_code == 200
    elif role in ("other_tenant", "no_tenant"):
        assert response.status_code == 404  # nobody learns what exists in another tenant
    else:
        assert response.status_code == 403


def test_templates_hide_what_the_user_may_not_do(world, personas):
    url = reverse("stakeholders:organization", args=["diy", world.org.pk])
    staff_page = world.client_for(world.staff).get(url).content.decode()
    admin_page = world.client_for(world.org_admin).get(url).content.decode()
    people_url = reverse("stakeholders:people", args=["diy", world.org.pk])
    assert people_url not in staff_page and people_url in admin_page


def test_helpers_for_other_apps(world):
    with scope(tenant=world.tenant):
        assert perms.role_in_org(world.org_admin, world.org) == "admin"
        assert perms.role_in_org(world.staff, world.org) == "staff"
        assert perms.role_in_org(world.colleague, world.org) is None
        assert perms.is_org_member(world.staff, world.org) and not perms.is_org_admin(world.staff, world.org)
        assert not perms.is_org_member(AnonymousUser(), world.org)
