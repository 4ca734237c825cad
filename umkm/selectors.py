"""Reads of the registry shared by views, exports and other apps (search, lists, history, summaries)."""

from __future__ import annotations

from django.db import connection
from django.db.models import QuerySet
from django.db.models.functions import Collate, Upper

from programs.models import Program
from programs.taxonomy import Status
from satusama.batches import batches
from stakeholders.models import Region

from . import scale as scale_rules
from .models import Business, Enrollment, NibCorrection

# Byte-order collation, so "names starting with X" is one range scan on the index of migration 0002.
_BYTE_ORDER = {"postgresql": "C", "sqlite": "BINARY"}
_TOP = "\uffff"


def with_name_key(qs: QuerySet) -> QuerySet:
    collation = _BYTE_ORDER.get(connection.vendor)
    key = Collate(Upper("name"), collation) if collation else Upper("name")
    return qs.annotate(name_key=key)


def nib_range(prefix: str) -> tuple[str, str]:
    """All 13-digit NIBs starting with `prefix`, as an inclusive range any btree (and collation) can answer."""
    return prefix.ljust(13, "0")[:13], prefix.ljust(13, "9")[:13]


# The columns a row of the picker or of the registry list shows: loading 30 more per row cost CPU on every keystroke.
ROW_FIELDS = ("nib", "name", "sector", "scale", "is_minimal", "region")


def rows_page(qs: QuerySet, start: int, stop: int) -> list[Business]:
    """Rows start…stop of a registry query, with what a row shows.

    The regions come in a second, tiny query: joined in, they let PostgreSQL misjudge a name prefix as matching
    three rows, hash-join and sort every match (10,000 rows, 200 ms at a million businesses) instead of reading
    the first page in the name index's order (0.1 ms).
    """
    return list(qs.select_related(None).only(*ROW_FIELDS).prefetch_related("region")[start:stop])


def search_businesses(query: str, *, limit: int = 20) -> list[Business]:
    """Businesses whose NIB (digits) or name starts with the query, in the current tenant scope."""
    query = " ".join(query.split())
    if not query:
        return []
    qs = Business.objects.all()
    if query.isdigit():
        low, high = nib_range(query)
        return rows_page(qs.filter(nib__gte=low, nib__lte=high).order_by("nib"), 0, limit)
    key = query.upper()
    return rows_page(with_name_key(qs).filter(name_key__gte=key, name_key__lt=key + _TOP).order_by("name_key"), 0,
                     limit)


def corrected_businesses(tenant, nibs) -> dict[str, Business]:
    """Old NIB → the business it was corrected to, the latest correction winning (the rule old links follow).

    Give only NIBs no business holds now: a business that holds an NIB is the one it names. One query per 1,000
    NIBs, on the (tenant, old NIB) index.
    """
    found: dict[str, Business] = {}
    for chunk in batches(list(dict.fromkeys(nibs)), 1000):
        for correction in (NibCorrection.objects.filter(tenant=tenant, old_nib__in=chunk).select_related("business")
                           .order_by("corrected_at", "pk")):
            found[correction.old_nib] = correction.business  # the last correction of each old NIB wins
    return found


def business_list(*, query: str = "", region: str = "", sector: str = "", scale: str = "") -> QuerySet:
    """The registry list, filtered; ordered by the indexed name key so the first page needs no sort."""
    qs = with_name_key(Business.objects.select_related("region"))
    query = " ".join(query.split())
    if query.isdigit():
        low, high = nib_range(query)
        qs = qs.filter(nib__gte=low, nib__lte=high)
    elif query:
        key = query.upper()
        qs = qs.filter(name_key__gte=key, name_key__lt=key + _TOP)
    if region:
        # by id, not through a join on the code: a join made PostgreSQL sort every match instead of reading in order
        region_id = Region.objects.filter(code=region).values_list("pk", flat=True).first()
        qs = qs.filter(region_id=region_id) if region_id else qs.none()
    if sector:
        qs = qs.filter(sector=sector)
    if scale:
        qs = qs.filter(scale=scale)
    return qs.order_by("name_key", "pk")


def outcome_history(business: Business) -> list:
    """Outcome reports in date order, each with the scale change since the previous one."""
    reports = list(business.outcome_reports.select_related("created_by").order_by("date", "pk"))
    previous = None
    for report in reports:
        report.moved_up = bool(previous and scale_rules.moved_up(previous.scale, report.scale))
        previous = report
    return reports


def naik_kelas_of(reports: list) -> bool:
    return scale_rules.naik_kelas([r.scale for r in reports])


# Programs that will not (or did not) deliver anything: they neither warn nor count as assistance.
NOT_DELIVERED = [Status.DRAFT, Status.REJECTED, Status.WITHDRAWN, Status.CANCELLED]


def double_enrolments(program: Program, business_ids: list[int]) -> dict[int, list[Program]]:
    """business id → other programs it is enrolled in with a shared kind of assistance and intersecting dates."""
    if not business_ids or not program.kinds or not program.period:
        return {}
    start, end = program.period
    rows = (
        Enrollment.objects.filter(business_id__in=business_ids)
        .exclude(program=program).exclude(status=Enrollment.Status.DROPPED)
        .exclude(program__status__in=NOT_DELIVERED)
        # periods touching on one day still overlap
        .filter(program__kinds__has_any=list(program.kinds), program__start_date__lte=end,
                program__end_date__gte=start)
        .select_related("program__owner").order_by("program__start_date", "program__ref")
    )
    found: dict[int, list[Program]] = {}
    for enrollment in rows:
        found.setdefault(enrollment.business_id, []).append(enrollment.program)
    return found


def warning_text(programs: list[Program]) -> str:
    return "; ".join(f"{p.ref} {p.title}" for p in programs)


def active_enrollment_count(program: Program) -> int:
    """Participants who take a place of the quota (everyone but those who dropped out)."""
    return Enrollment.objects.filter(program=program).exclude(status=Enrollment.Status.DROPPED).count()


def quota_figures(program: Program, active: int) -> dict:
    """What the pages show about the quota: places taken, the quota (target UMKM), whether it is full."""
    quota = program.target_umkm
    return {"active_count": active, "quota": quota, "quota_full": quota is not None and active >= quota}


def enrollment_counts(program: Program) -> dict:
    return quota_figures(program, active_enrollment_count(program))


def shared_nibs(program_a: Program, program_b: Program) -> list[str]:
    """NIBs enrolled (not dropped) in both programs: the overlap engine's "same named businesses"."""
    in_b = Enrollment.objects.filter(program=program_b).exclude(status=Enrollment.Status.DROPPED).values("business_id")
    return list(Enrollment.objects.filter(program=program_a, business_id__in=in_b)
                .exclude(status=Enrollment.Status.DROPPED)
                .order_by("business__nib").values_list("business__nib", flat=True))


def assistance_history(business: Business, user, tenant) -> list[Enrollment]:
    """Every program the business took part in that this user may see, from every stakeholder, by start date."""
    from programs.permissions import visible_programs

    return list(
        Enrollment.objects.filter(business=business, program__in=visible_programs(user, tenant))
        .select_related("program__owner").order_by("program__start_date", "program__ref")
    )


def programs_of(business: Business, user, tenant) -> QuerySet:
    """The programs this business took part in that this user may see (the outcome form's choices)."""
    from programs.permissions import visible_programs

    return visible_programs(user, tenant).filter(enrollments__business=business).order_by("-start_date", "ref")


def underserved(*, years: int, region: str = "", sector: str = "", today=None) -> QuerySet:
    """Businesses (optionally of a region/sector) enrolled in no delivered program that ran in the last `years` years.

    A program counts when its end date (or, undated, the program itself) falls in the window; dropped-out
    enrolments do not count as assistance.
    """
    from django.db.models import Exists, OuterRef, Q
    from django.utils import timezone

    today = today or timezone.localdate()
    try:
        cutoff = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        cutoff = today.replace(year=today.year - years, day=28)
    assisted = (
        Enrollment.objects.filter(business=OuterRef("pk")).exclude(status=Enrollment.Status.DROPPED)
        .exclude(program__status__in=NOT_DELIVERED)
        .filter(Q(program__end_date__gte=cutoff) | Q(program__end_date__isnull=True))
    )
    qs = Business.objects.select_related("region").filter(~Exists(assisted))
    if region:
        qs = qs.filter(region__code=region)
    if sector:
        qs = qs.filter(sector=sector)
    return qs.order_by("region__code", "sector", "name", "pk")


def program_outcome_summary(program: Program):
    """The program's outcome summary (see umkm/outcomes.py); the program page and the roadmap read it.

    Cached until the tenant's data changes (satusama/tenant_cache.py): it reads every participant's reports."""
    from satusama import tenant_cache

    from .outcomes import program_outcome_summary as summarise

    return tenant_cache.cached(program.tenant_id, f"outcomes:{program.pk}", lambda: summarise(program))
