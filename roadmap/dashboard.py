"""Read-only summary behind the tenant home page: key figures, programs by status/helix/kind, roadmap, own tasks.

The number of queries does not depend on the number of programs (conditional aggregates, one per table).
The user's tasks come from each app's own rules: programs (revisions, decisions), overlap flags, forums (review
queues of the forums the user runs, coming meetings of the forums the user may see).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from forums.models import Forum, ForumUserObjectPermission, Meeting
from forums.permissions import MANAGE, forums_visible_to
from forums.selectors import reads_whole_tenant_of, waiting_programs
from programs.models import Program
from programs.overlap_models import OverlapFlag
from programs.taxonomy import Intervention, Status
from satusama import tenant_cache
from stakeholders.models import HelixKind, Membership, Organization

from . import coverage as cov
from .models import Priority
from .selectors import current_roadmap

ACTIVE = [Status.APPROVED, Status.RUNNING]
WAITING_FOR_DECISION = [Status.SUBMITTED, Status.IN_REVIEW]


@dataclass
class Dashboard:
    figures: dict
    by_status: list[tuple[str, str, int]]  # (code, label, count)
    by_helix: list[tuple[str, str, int]]
    by_kind: list[tuple[str, str, int]]
    roadmap: object = None
    priorities: list = field(default_factory=list)  # PriorityCoverage of the current roadmap
    year: int = 0
    # (key, title, rows) of each task section whose app exists; a section is shown even when it is empty.
    task_sections: list[tuple[str, str, list]] = field(default_factory=list)


def program_figures(tenant) -> tuple[dict, list, list]:
    """Totals, programs by status and by kind of assistance, in one query over the tenant's non-draft programs."""
    status_counts = {f"s_{s}": Count("pk", filter=Q(status=s)) for s in Status.values if s != Status.DRAFT}
    kind_counts = {f"k_{k}": Count("pk", filter=Q(kinds__has_any=[k])) for k in Intervention.values}
    row = Program.objects.filter(tenant=tenant).exclude(status=Status.DRAFT).aggregate(
        total=Count("pk"),
        budget=Sum("budget_idr", filter=Q(status__in=ACTIVE)),
        umkm=Sum("target_umkm", filter=Q(status__in=ACTIVE)),
        **status_counts, **kind_counts,
    )
    figures = {"programs": row["total"], "active": sum(row[f"s_{s}"] for s in ACTIVE),
               "waiting": sum(row[f"s_{s}"] for s in WAITING_FOR_DECISION),
               "budget": row["budget"] or 0, "target_umkm": row["umkm"] or 0}
    by_status = [(s, str(label), row[f"s_{s}"]) for s, label in Status.choices if s != Status.DRAFT]
    by_kind = [(k, str(label), row[f"k_{k}"]) for k, label in Intervention.choices]
    return figures, by_status, by_kind


def programs_by_helix(tenant) -> list[tuple[str, str, int]]:
    rows = dict(Program.objects.filter(tenant=tenant).exclude(status=Status.DRAFT)
                .values_list("owner__helix").annotate(n=Count("pk")).values_list("owner__helix", "n"))
    return [(h, str(label), rows.get(h, 0)) for h, label in HelixKind.choices]


# --- the user's own tasks ------------------------------------------------------------------------------------------
def _my_programs(request, org_ids: list[int]) -> list[dict]:
    """Own programs that wait for the user: revisions asked for, and (for tenant admins) programs awaiting review."""
    q = Q(owner_id__in=org_ids, status=Status.NEEDS_REVISION)
    if request.is_tenant_admin:
        q |= Q(status__in=WAITING_FOR_DECISION)
    else:
        q |= Q(owner_id__in=org_ids, status__in=WAITING_FOR_DECISION)
    rows = Program.objects.filter(q, tenant=request.tenant).order_by("-updated_at").values(
        "ref", "title", "status")[:5]
    return [{"ref": r["ref"], "title": r["title"], "status": r["status"],
             "label": str(Status(r["status"]).label)} for r in rows]


def _open_flags(request, org_ids: list[int]):
    """Open overlap flags on the user's organisations' programs (all open flags for tenant admins)."""
    qs = OverlapFlag.objects.filter(tenant=request.tenant).open()
    if not request.is_tenant_admin:
        qs = qs.filter(Q(program_a__owner_id__in=org_ids) | Q(program_b__owner_id__in=org_ids))
    flags = list(qs.select_related("program_a", "program_b").order_by("-created_at")[:5])
    for flag in flags:
        # Link the user's own program of the pair (where the flag is answered).
        mine_first = flag.program_a.owner_id in org_ids or flag.program_b.owner_id not in org_ids
        flag.dashboard_program, flag.dashboard_other = (
            (flag.program_a, flag.program_b) if mine_first else (flag.program_b, flag.program_a))
        flag.dashboard_percent = round(flag.score * 100)
        flag.dashboard_reasons = flag.rendered_reasons()[:3]  # where, when, what: the rest is on the flag page
    return flags


def _coming_meetings(request, org_ids: list[int]):
    """Planned meetings from now on, of the forums the user may see (every forum for tenant admins)."""
    forums = forums_visible_to(request.user, request.tenant, reads_whole_tenant=reads_whole_tenant_of(request))
    return list(Meeting.objects.filter(tenant=request.tenant, forum__in=forums, status=Meeting.Status.PLANNED,
                                       starts_at__gte=timezone.now())
                .select_related("forum").order_by("starts_at")[:5])


def _forum_queues(request, org_ids: list[int]):
    """For the chair and secretary of a forum: programs waiting in that forum's review queue (None for others)."""
    managed = ForumUserObjectPermission.objects.filter(user=request.user, permission__codename=MANAGE)
    forums = list(Forum.objects.filter(tenant=request.tenant, pk__in=managed.values("content_object_id"))
                  .order_by("level", "name"))
    if not forums:
        return None
    # One count per forum the user runs (one or two), whatever the number of programs.
    return [{"forum": forum, "waiting": waiting_programs(forum).count()} for forum in forums]


TASK_PROVIDERS = [("flags", _open_flags), ("queues", _forum_queues), ("meetings", _coming_meetings)]


def tasks_for(request) -> list[tuple[str, str, list]]:
    org_ids = list(Membership.objects.filter(tenant=request.tenant, user=request.user)
                   .values_list("organization_id", flat=True))
    rows = _my_programs(request, org_ids) if (org_ids or request.is_tenant_admin) else []
    sections = [("programs", title_of("programs"), rows)]
    for key, provider in TASK_PROVIDERS:
        rows = provider(request, org_ids)
        if rows is not None:  # None: the section does not concern this user
            sections.append((key, title_of(key), rows))
    return sections


def tenant_summary(tenant) -> Dashboard:
    """The part every member sees alike: figures over all programs and the current roadmap's coverage."""
    figures, by_status, by_kind = program_figures(tenant)
    figures["organisations"] = Organization.objects.filter(tenant=tenant).count()
    enrollment = cov.enrollment_model()
    if enrollment is not None:
        # Businesses taking part in a program now or before (drop-outs left out), each counted once.
        figures["umkm_enrolled"] = (enrollment.objects.filter(tenant=tenant).exclude(status="dropped")
                                    .values("business_id").distinct().count())
    board = Dashboard(figures=figures, by_status=by_status, by_helix=programs_by_helix(tenant), by_kind=by_kind,
                      year=timezone.localdate().year)
    board.roadmap = current_roadmap(tenant)
    if board.roadmap is not None:
        priorities = list(cov.prefetched(Priority.objects.filter(roadmap=board.roadmap)))
        year = board.year if board.year in board.roadmap.years else board.roadmap.end_year
        board.year = year
        rollup = cov.coverage(priorities, [year])
        board.priorities = [(rollup[p.pk], rollup[p.pk].years[0]) for p in priorities]
    return board


def build(request) -> Dashboard:
    """The tenant summary (cached until the tenant's data changes) and the user's own tasks (always fresh)."""
    board = copy.copy(tenant_cache.cached(request.tenant.pk, "dashboard", lambda: tenant_summary(request.tenant)))
    board.task_sections = tasks_for(request)
    return board


def csv_rows(board: Dashboard) -> list[list]:
    """The dashboard's tables as CSV rows (table, code, label, value)."""
    rows = [["table", "code", "label", "value"]]
    rows += [["figures", k, k, v] for k, v in board.figures.items()]
    rows += [["status", c, label, n] for c, label, n in board.by_status]
    rows += [["helix", c, label, n] for c, label, n in board.by_helix]
    rows += [["kind", c, label, n] for c, label, n in board.by_kind]
    return rows


def title_of(section: str) -> str:
    return {"programs": _("Programs waiting for you"), "flags": _("Overlap flags to answer"),
            "queues": _("Your forum's review queue"), "meetings": _("Coming meetings")}[section]
