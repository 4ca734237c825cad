"""Who may do what on a forum: the chair and the secretary manage it, members read it, others do not see it.

Tenant admins (the provincial Dinas) and tenant viewers read every forum of their tenant. The chair's and the
secretary's right is a django-guardian object permission (`forums.manage_forum` on that forum), kept in step with
the forum's chair and secretary by `services.forum_set_officers`.
"""

from __future__ import annotations

from django.db.models import Q
from guardian.core import ObjectPermissionChecker

from stakeholders.models import Membership

from .models import Forum, ForumMember, ForumUserObjectPermission

MANAGE = "manage_forum"


def is_forum_officer(user, forum: Forum) -> bool:
    if not user.is_authenticated:
        return False
    return ObjectPermissionChecker(user).has_perm(MANAGE, forum)


def is_forum_member(user, forum: Forum) -> bool:
    """A member reads the forum: the representative of a member organisation, or anyone working for one."""
    if not user.is_authenticated:
        return False
    members = ForumMember.objects.filter(forum=forum)
    if members.filter(representative=user).exists():
        return True
    org_ids = Membership.objects.filter(tenant=forum.tenant, user=user).values("organization_id")
    return members.filter(organization_id__in=org_ids).exists()


def may_view_forum(user, forum: Forum, *, reads_whole_tenant: bool) -> bool:
    """`reads_whole_tenant`: a tenant admin or a tenant viewer (the provincial Dinas, read-only observers)."""
    return reads_whole_tenant or is_forum_officer(user, forum) or is_forum_member(user, forum)


def may_manage_forum(user, forum: Forum) -> bool:
    """Plan meetings, build agendas, record attendance, minutes and decisions, close meetings."""
    return is_forum_officer(user, forum)


def may_check_in(user, meeting) -> bool:
    # The code shown in the room is the proof of presence; any member of the tenant may use it (walk-ins).
    return user.is_authenticated


def forums_visible_to(user, tenant, *, reads_whole_tenant: bool):
    """The forums a user may see (all of the tenant's for its admins), as one queryset."""
    forums = Forum.objects.filter(tenant=tenant)
    if reads_whole_tenant:
        return forums
    if not user.is_authenticated:
        return forums.none()
    managed = ForumUserObjectPermission.objects.filter(user=user, permission__codename=MANAGE)
    org_ids = Membership.objects.filter(tenant=tenant, user=user).values("organization_id")
    return forums.filter(
        Q(pk__in=managed.values("content_object_id"))
        | Q(pk__in=ForumMember.objects.filter(tenant=tenant).filter(
            Q(representative=user) | Q(organization_id__in=org_ids)).values("forum_id"))
    )
