"""Overlap in the portal: the tenant's synonyms, cached text profiles, candidate retrieval, flag recomputation.

Every decision goes through `programs.overlap.compare` (the one rule); this module only fetches what it needs
from the database, stores the answers as OverlapFlag rows and tells the owners.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.apps import apps
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from satusama.jobs import enqueue_on_commit
from stakeholders.models import Region, Tenant

from .models import OverlapFlag, Program, ProgramProfile, SynonymEntry
from .overlap import OverlapResult, ProgramFacts, TextProfile, compare, may_overlap, text_profile
from .taxonomy import Status
from .textnorm import DEFAULT_SYNONYMS_CSV, Synonyms, default_synonyms

log = logging.getLogger("programs.overlap")

# Programs others must coordinate with: submitted and everything after it that still happens or happened.
# Drafts are private; rejected, withdrawn and cancelled programs will not run.
CHECKED_STATUSES = [
    Status.SUBMITTED, Status.IN_REVIEW, Status.NEEDS_REVISION, Status.APPROVED, Status.RUNNING, Status.COMPLETED,
]


# --- synonyms ---------------------------------------------------------------------------------------------------
_SYNONYMS_MEMO: dict[int, tuple[str, Synonyms]] = {}


def _synonyms_cache_key(tenant_id: int) -> str:
    return f"overlap:synonyms-version:{tenant_id}"


def _synonym_rows(tenant: Tenant) -> list[tuple[str, str]]:
    return list(SynonymEntry.objects.filter(tenant=tenant).order_by("pk").values_list("concept", "phrase"))


def synonyms_for(tenant: Tenant) -> tuple[str, Synonyms]:
    """(version, Synonyms) of this tenant: its own rows, or the shipped list while it has none.

    Built once per process and version; the version (a hash of the rows) sits in the shared cache and is
    dropped on every edit, so each process notices an edit on its next check.
    """
    version = cache.get(_synonyms_cache_key(tenant.pk))
    memo = _SYNONYMS_MEMO.get(tenant.pk)
    if version is not None and memo and memo[0] == version:
        return memo
    rows = _synonym_rows(tenant)
    version = hashlib.sha1(repr(rows).encode(), usedforsecurity=False).hexdigest() if rows else "default"
    cache.set(_synonyms_cache_key(tenant.pk), version, None)
    if memo and memo[0] == version:
        return memo
    synonyms = Synonyms.from_rows(rows) if rows else default_synonyms()
    _SYNONYMS_MEMO[tenant.pk] = (version, synonyms)
    return version, synonyms


def synonyms_changed(tenant: Tenant) -> None:
    """Call after any edit of a tenant's synonyms (portal, admin): the next check rebuilds them."""
    cache.delete(_synonyms_cache_key(tenant.pk))


def seed_synonyms(tenant: Tenant, path=DEFAULT_SYNONYMS_CSV) -> int:
    """Give a tenant its own editable copy of the shipped synonym list; rows it already has stay. Returns new rows."""
    import csv

    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = [(r["concept"].strip(), r["phrase"].strip()) for r in csv.DictReader(handle) if r.get("phrase")]
    existing = set(SynonymEntry.objects.filter(tenant=tenant).values_list("concept", "phrase"))
    new = [SynonymEntry(tenant=tenant, concept=c, phrase=p) for c, p in dict.fromkeys(rows) if (c, p) not in existing]
    SynonymEntry.objects.bulk_create(new)
    synonyms_changed(tenant)
    return len(new)


# --- facts and profiles -----------------------------------------------------------------------------------------
def _profile_to_json(profile: TextProfile) -> dict:
    return {
        "w": dict(profile.weights), "n": profile.norm,
        "c": sorted(profile.concepts), "t": sorted(profile.title_trigrams),
    }


def _profile_from_json(data: dict) -> TextProfile:
    return TextProfile(data["w"], data["n"], frozenset(data["c"]), frozenset(data["t"]))


def _source_hash(program: Program, version: str) -> str:
    text = f"{version}\0{program.title}\0{program.description}"
    return hashlib.sha256(text.encode()).hexdigest()


def profiles_for(programs: Iterable[Program], *, version: str, synonyms: Synonyms) -> dict[int, TextProfile]:
    """Text profiles by program id: stored ones when current, the others computed once and stored."""
    programs = list(programs)
    wanted = {p.pk: _source_hash(p, version) for p in programs}
    # one query: a stale row's data is read for nothing, but stale rows are rare (an edit, a synonym change)
    profiles = {
        pk: _profile_from_json(data)
        for pk, source_hash, data in ProgramProfile.objects.filter(program_id__in=list(wanted)).values_list(
            "program_id", "source_hash", "data"
        )
        if wanted.get(pk) == source_hash
    }
    fresh = []
    for program in programs:
        if program.pk in profiles:
            continue
        profile = text_profile(program.title, program.description, synonyms)
        profiles[program.pk] = profile
        fresh.append(ProgramProfile(
            tenant_id=program.tenant_id, program_id=program.pk, source_hash=wanted[program.pk],
            data=_profile_to_json(profile),
        ))
    if fresh:
        fresh.sort(key=lambda row: row.program_id)  # one lock order for every writer: waits, not deadlocks
        ProgramProfile.objects.bulk_create(
            fresh, update_conflicts=True, unique_fields=["program"], update_fields=["source_hash", "data"]
        )
    return profiles


def _enrollment_model():
    try:
        return apps.get_model("umkm", "Enrollment")
    except LookupError:
        return None


def nibs_by_program(program_ids: Iterable[int]) -> dict[int, frozenset[str]]:
    """Enrolled businesses' NIBs per program (empty until the umkm app provides enrolments)."""
    enrollment = _enrollment_model()
    if enrollment is None:
        return {}
    found: dict[int, set[str]] = defaultdict(set)
    rows = enrollment.objects.filter(program_id__in=list(program_ids)).values_list("program_id", "business__nib")
    for program_id, nib in rows:
        if nib:
            found[program_id].add(nib)
    return {pk: frozenset(nibs) for pk, nibs in found.items()}


def region_names(tenant: Tenant) -> dict[str, str]:
    return dict(Region.objects.filter(tenant=tenant).values_list("code", "name"))


@dataclass(frozen=True)
class CandidateRow:
    """The columns the engine reads of a candidate, without building a model instance: a check of one program
    among 100,000 reads hundreds of candidates and keeps the few that overlap."""

    pk: int
    tenant_id: int
    ref: str
    title: str
    description: str
    kinds: list
    sectors: list
    start_date: datetime.date
    end_date: datetime.date

    FIELDS = ("pk", "tenant_id", "ref", "title", "description", "kinds", "sectors", "start_date", "end_date")


def facts_of(program: Program, *, region_codes: Iterable[str], nibs: frozenset[str] = frozenset()) -> ProgramFacts:
    return ProgramFacts(
        key=program.ref, title=program.title, description=program.description,
        kinds=frozenset(program.kinds or ()), sectors=frozenset(program.sectors or ()),
        regions=frozenset(region_codes), start=program.start_date, end=program.end_date, nibs=nibs,
    )


@dataclass
class Context:
    """What comparing programs of one tenant needs once: synonyms, region names."""

    tenant: Tenant
    version: str
    synonyms: Synonyms
    region_names: dict[str, str]

    @classmethod
    def of(cls, tenant: Tenant) -> Context:
        version, synonyms = synonyms_for(tenant)
        return cls(tenant, version, synonyms, region_names(tenant))


def _region_codes(program_ids: Iterable[int]) -> dict[int, set[str]]:
    codes: dict[int, set[str]] = defaultdict(set)
    through = Program.regions.through
    for program_id, code in through.objects.filter(program_id__in=list(program_ids)).values_list(
        "program_id", "region__code"
    ):
        codes[program_id].add(code)
    return codes


# --- candidates -------------------------------------------------------------------------------------------------
def candidate_programs(
    *, tenant: Tenant, region_codes: Iterable[str], start, end, exclude_id: int | None = None
) -> QuerySet:
    """Checked programs of the tenant sharing a kabupaten/kota and an intersecting period (index-backed).

    The period filter uses the (tenant, start_date, end_date) index (on PostgreSQL a GiST range index) and the
    region filter the program–region table; the engine's `is_candidate` is the same test, applied again in
    `compare`.
    """
    through = Program.regions.through
    in_regions = through.objects.filter(region__tenant=tenant, region__code__in=list(region_codes))
    qs = Program.objects.filter(
        tenant=tenant, status__in=CHECKED_STATUSES, start_date__lte=end, end_date__gte=start,
        pk__in=in_regions.values("program_id"),
    )
    if connection.vendor == "postgresql":
        # The same period test once more, in the form the GiST index of migration 0006 answers: among 100,000
        # programs it finds those running at the same time without reading every one that started earlier.
        qs = qs.filter(RawSQL(
            "daterange(programs_program.start_date, programs_program.end_date, '[]') && daterange(%s, %s, '[]')",
            (start, end), output_field=BooleanField(),
        ))
    if exclude_id is not None:
        qs = qs.exclude(pk=exclude_id)
    return qs


def compare_with_candidates(
    facts: ProgramFacts, profile: TextProfile, candidates: list[Program], ctx: Context, *, overlaps_only: bool = False
) -> list[tuple[Program, OverlapResult]]:
    """Compare one program with the candidate programs (profiles, regions and NIBs fetched in bulk).

    `overlaps_only` skips the pairs `may_overlap` rules out (the flags need no score for them)."""
    ids = [c.pk for c in candidates]
    codes = _region_codes(ids)
    nibs = nibs_by_program(ids)
    others = {
        c.pk: facts_of(c, region_codes=codes.get(c.pk, ()), nibs=nibs.get(c.pk, frozenset())) for c in candidates
    }
    if overlaps_only:
        candidates = [c for c in candidates if may_overlap(facts, others[c.pk])]
    profiles = profiles_for(candidates, version=ctx.version, synonyms=ctx.synonyms)
    results = []
    for candidate in candidates:
        other = others[candidate.pk]
        result = compare(
            facts, other, synonyms=ctx.synonyms, region_names=ctx.region_names,
            profile_a=profile, profile_b=profiles[candidate.pk],
        )
        results.append((candidate, result))
    return results


def overlaps_of(program: Program, ctx: Context | None = None) -> list[tuple[Program, OverlapResult]]:
    """Every checked program that overlaps `program` by the rule, with the engine's result."""
    if not program.period:
        return []
    ctx = ctx or Context.of(program.tenant)
    codes = _region_codes([program.pk]).get(program.pk, set())
    if not codes:
        return []
    facts = facts_of(program, region_codes=codes, nibs=nibs_by_program([program.pk]).get(program.pk, frozenset()))
    profile = profiles_for([program], version=ctx.version, synonyms=ctx.synonyms)[program.pk]
    rows = [
        CandidateRow(*values) for values in candidate_programs(
            tenant=program.tenant, region_codes=codes, start=program.start_date, end=program.end_date,
            exclude_id=program.pk,
        ).values_list(*CandidateRow.FIELDS)
    ]
    found = [
        (row, result)
        for row, result in compare_with_candidates(facts, profile, rows, ctx, overlaps_only=True)
        if result.is_overlap
    ]
    programs = Program.objects.in_bulk([row.pk for row, _result in found])
    return [(programs[row.pk], result) for row, result in found]


def reasons_as_data(result: OverlapResult) -> list[dict]:
    return [{"code": r.code, "params": _jsonable(r.params)} for r in result.reasons]


def _jsonable(value):
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (tuple, list, frozenset, set)):
        return [_jsonable(v) for v in value]
    return value


# --- flags ------------------------------------------------------------------------------------------------------
AUTO_CLOSED_NOTE = _("Closed automatically: after a change of %(ref)s the programs no longer overlap.")
STATUS_CLOSED_NOTE = _("Closed automatically: %(ref)s is now “%(status)s”.")


def _ordered(p: Program, q: Program) -> tuple[Program, Program]:
    return (p, q) if p.pk < q.pk else (q, p)


def recompute_flags_for(program: Program, *, notify: bool = True) -> list[OverlapFlag]:
    """Store the text profiles first, then recompute the flags in one transaction (see `_recompute_flags`).

    The profiles are a cache shared by every check: written before the flag transaction (each write commits at
    once outside a caller's transaction), two programs submitted at the same moment never hold each other's
    profile rows while waiting for their own — which PostgreSQL reported as a deadlock.
    """
    warm_profiles(program)
    return _recompute_flags(program, notify=notify)


def warm_profiles(program: Program) -> None:
    if not program.period:
        return
    ctx = Context.of(program.tenant)
    codes = _region_codes([program.pk]).get(program.pk, set())
    candidates = [
        CandidateRow(*values) for values in candidate_programs(
            tenant=program.tenant, region_codes=codes, start=program.start_date, end=program.end_date,
            exclude_id=program.pk,
        ).values_list(*CandidateRow.FIELDS)
    ] if codes else []
    profiles_for([program, *candidates], version=ctx.version, synonyms=ctx.synonyms)


@transaction.atomic
def _recompute_flags(program: Program, *, notify: bool = True) -> list[OverlapFlag]:
    """Create or update the flags between `program` and every program it overlaps; close those that ended.

    Idempotent: each unordered pair has one row (unique constraint), a second run changes nothing. A flag a
    person resolved stays resolved; one closed automatically opens again when the overlap comes back.
    Returns the flags that were newly opened (their owners are notified).
    """
    program = Program.objects.select_related("tenant").get(pk=program.pk)
    existing = {
        (flag.program_b_id if flag.program_a_id == program.pk else flag.program_a_id): flag
        for flag in OverlapFlag.objects.involving(program).filter(tenant=program.tenant)
    }
    opened: list[OverlapFlag] = []
    if program.status not in CHECKED_STATUSES:
        note = STATUS_CLOSED_NOTE % {"ref": program.ref, "status": program.get_status_display()}
        resolution = OverlapFlag.Resolution.WITHDRAW if program.status == Status.WITHDRAWN else ""
        for flag in existing.values():
            if flag.is_open:
                _close(flag, resolution=resolution, note=str(note), by=None)
        return opened

    # Sorted by the other program's id: concurrent checks then lock flag rows in one order.
    found = dict(sorted((other.pk, (other, result)) for other, result in overlaps_of(program)))
    now = timezone.now()
    for other_id, (other, result) in found.items():
        flag = existing.get(other_id)
        reasons = reasons_as_data(result)
        if flag is None:
            a, b = _ordered(program, other)
            flag, created = OverlapFlag.objects.get_or_create(
                tenant=program.tenant, program_a=a, program_b=b,
                defaults={"score": result.score, "reasons": reasons},
            )
            if created:
                opened.append(flag)
                continue
        if flag.is_open or not flag.resolution:
            reopened = not flag.is_open
            flag.score, flag.reasons = result.score, reasons
            if reopened:
                flag.status, flag.note, flag.resolved_at, flag.resolved_by = OverlapFlag.Status.OPEN, "", None, None
                opened.append(flag)
            flag.updated_at = now
            flag.save()
    note = str(AUTO_CLOSED_NOTE % {"ref": program.ref})
    for other_id, flag in existing.items():
        if flag.is_open and other_id not in found:
            _close(flag, resolution="", note=note, by=None)
    if opened and notify:
        from .overlap_notify import notify_flag_opened

        for flag in opened:
            notify_flag_opened(flag)
    return opened


def _close(flag: OverlapFlag, *, resolution: str, note: str, by) -> None:
    flag.status = OverlapFlag.Status.RESOLVED
    flag.resolution = resolution
    flag.note = note
    flag.resolved_by = by if by is not None and by.is_authenticated else None
    flag.resolved_at = timezone.now()
    # an automatic close ends a pending collaboration proposal
    flag.proposed_by, flag.proposed_for, flag.proposed_at, flag.joint_program = None, None, None, None
    flag.save()


def schedule_recompute(program: Program) -> None:
    """Queue the recomputation of `program`'s flags once the current transaction commits (the programs hook)."""
    from .overlap_tasks import recompute_overlap_flags

    if program.status == Status.DRAFT:  # drafts are private and never flagged
        return
    enqueue_on_commit(recompute_overlap_flags, program_id=program.pk, tenant_id=program.tenant_id)



# --- the whole tenant (the `overlaps` report) -------------------------------------------------------------------
def tenant_overlaps(tenant: Tenant) -> list[tuple[CandidateRow, CandidateRow, OverlapResult]]:
    """Every overlapping pair of checked programs in the tenant, each unordered pair once (a < b by ref).

    Programs are loaded once (as rows, not model instances) with their regions, NIBs and stored profiles;
    candidate pairs come from a sweep over the periods within each kabupaten/kota, so only pairs sharing a region
    and a period are compared.
    """
    ctx = Context.of(tenant)
    programs = {
        row[0]: CandidateRow(*row) for row in Program.objects.filter(
            tenant=tenant, status__in=CHECKED_STATUSES, start_date__isnull=False, end_date__isnull=False
        ).values_list(*CandidateRow.FIELDS)
    }
    codes = _region_codes(programs)
    nibs = nibs_by_program(programs)
    profiles = profiles_for(programs.values(), version=ctx.version, synonyms=ctx.synonyms)
    facts = {
        pk: facts_of(p, region_codes=codes.get(pk, ()), nibs=nibs.get(pk, frozenset())) for pk, p in programs.items()
    }
    by_region: dict[str, list[int]] = defaultdict(list)
    for pk, region_codes in codes.items():
        if pk in programs:
            for code in region_codes:
                by_region[code].append(pk)
    pairs: set[tuple[int, int]] = set()
    for members in by_region.values():
        members.sort(key=lambda pk: programs[pk].start_date)
        active: list[int] = []
        for pk in members:
            start = programs[pk].start_date
            # periods touching on one day still intersect
            active = [other for other in active if programs[other].end_date >= start]
            pairs.update((min(pk, other), max(pk, other)) for other in active)
            active.append(pk)
    found = []
    for i, j in pairs:
        if not may_overlap(facts[i], facts[j]):
            continue
        a, b = sorted((programs[i], programs[j]), key=lambda p: p.ref)
        result = compare(
            facts[a.pk], facts[b.pk], synonyms=ctx.synonyms, region_names=ctx.region_names,
            profile_a=profiles[a.pk], profile_b=profiles[b.pk],
        )
        if result.is_overlap:
            found.append((a, b, result))
    found.sort(key=lambda item: (item[0].ref, item[1].ref))
    return found
