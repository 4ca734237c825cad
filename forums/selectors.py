"""Reads shared by the forums views: access helpers (404 for who may not know, 403 for readers) and lists."""

from __future__ import annotations

from collections import Counter

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Min, Q
from django.http import Http404
from django.utils import timezone

from stakeholders.permissions import is_tenant_viewer

from .models import AgendaItem, Forum, Meeting
from .permissions import forums_visible_to, may_manage_forum, may_view_forum


def reads_whole_tenant_of(request) -> bool:
    """Tenant admins and viewers read every forum of the tenant (one rule for the forums pages and the dashboard)."""
    return request.is_tenant_admin or is_tenant_viewer(request.user, request.tenant)


def get_forum_for_user(request, forum_pk, *, edit: bool = False) -> tuple[Forum, bool]:
    """The forum and whether the user may manage it; 404 when the user may not see it, 403 when edit is needed."""
    forum = Forum.objects.filter(pk=forum_pk).select_related("region", "chair", "secretary").first()
    if forum is None or not may_view_forum(request.user, forum, reads_whole_tenant=reads_whole_tenant_of(request)):
        raise Http404
    can_edit = may_manage_forum(request.user, forum)
    if edit and not can_edit:
        raise PermissionDenied
    return forum, can_edit


def get_meeting_for_user(request, meeting_pk, *, edit: bool = False) -> tuple[Meeting, bool]:
    meeting = (Meeting.objects.filter(pk=meeting_pk)
               .select_related("forum", "forum__region", "forum__chair", "forum__secretary", "tenant").first())
    if meeting is None:
        raise Http404
    _forum, can_edit = get_forum_for_user(request, meeting.forum_id, edit=edit)
    return meeting, can_edit


def get_item_for_user(request, agendaitem_pk, *, edit: bool = False) -> tuple[AgendaItem, bool]:
    item = AgendaItem.objects.filter(pk=agendaitem_pk).select_related("meeting", "meeting__forum").first()
    if item is None:
        raise Http404
    _meeting, can_edit = get_meeting_for_user(request, item.meeting_id, edit=edit)
    return item, can_edit


def forum_list(request):
    """Visible forums with their next meeting date and meeting count, in one query."""
    now = timezone.now()
    return (forums_visible_to(request.user, request.tenant, reads_whole_tenant=reads_whole_tenant_of(request))
            .select_related("region", "chair", "secretary")
            .annotate(meeting_count=Count("meetings", distinct=True),
                      next_meeting=Min("meetings__starts_at", filter=Q(meetings__starts_at__gte=now)))
            .order_by("level", "region__code"))


def meetings_of(forum: Forum):
    return (forum.meetings.annotate(item_count=Count("agenda_items", distinct=True),
                                    attendance_count=Count("attendances", distinct=True))
            .order_by("-starts_at"))


def upcoming_meetings(forum: Forum):
    return forum.meetings.filter(status=Meeting.Status.PLANNED, starts_at__gte=timezone.now()).order_by("starts_at")


def waiting_programs(forum: Forum):
    """Submitted programs this forum is responsible for, by the routing rule."""
    from programs.models import Program

    from .routing import routed_to

    return routed_to(forum, Program.objects.filter(tenant=forum.tenant, status="submitted"))


def open_flag_counts(program_ids: list[int]) -> Counter:
    """Open overlap flags per program (each blocks a decision), for a whole list in one query."""
    from programs.models import OverlapFlag

    counts: Counter = Counter()
    pairs = (OverlapFlag.objects.open().filter(Q(program_a_id__in=program_ids) | Q(program_b_id__in=program_ids))
             .values_list("program_a_id", "program_b_id"))
    wanted = set(program_ids)
    for pair in pairs:
        counts.update(pk for pk in pair if pk in wanted)
    return counts


def queue_rows(forum: Forum) -> list[dict]:
    """The review queue: each waiting program with its organisation, regions and open overlap flags."""
    programs = list(waiting_programs(forum).select_related("owner").prefetch_related("regions")
                    .order_by("created_at", "pk"))
    flags = open_flag_counts([p.pk for p in programs])
    return [
        {"program": p, "organization": p.owner.name, "regions": [str(r) for r in p.regions.all()],
         "open_flags": flags[p.pk]}
        for p in programs
    ]
