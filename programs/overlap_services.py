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
from django.db.models import BooleanField, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from satusama.batches import batches
from satusama.jobs import enqueue_on_commit
from stakeholders.models import Region, Tenant

from .models import OverlapFlag, Program, ProgramProfile, SynonymEntry
from .overlap import GENERAL_SECTOR, OverlapResult, ProgramFacts, TextProfile, compare, may_overlap, text_profile
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


def profiles_for(
    programs: Iterable[Program], *, version: str, synonyms: Synonyms, stored: dict[int, tuple] | None = None
) -> dict[int, TextProfile]:
    """Text profiles by program id: stored ones when current, the others computed once and stored.

    `stored` (program id → (source hash, data)), when given, are the stored rows already read with the programs
    (`CandidateRow`): no query then."""
    programs = list(programs)
    wanted = {p.pk: _source_hash(p, version) for p in programs}
    if stored is None:
        # one query: a stale row's data is read for nothing, but stale rows are rare (an edit, a synonym change)
        stored = {
            pk: (source_hash, data)
            for pk, source_hash, data in ProgramProfile.objects.filter(program_id__in=list(wanted)).values_list(
                "program_id", "source_hash", "data"
            )
        }
    profiles = {
        pk: _profile_from_json(row[1]) for pk, row in stored.items() if row[0] is not None and wanted.get(pk) == row[0]
    }
    fresh = []
    for program in programs:
        if program.pk in profiles:
            continue
        profile = text_profile(program.title, program.description, synonyms)
        profiles[program.pk] = profile
        fresh.append(ProgramProfile(
            tenant_id=program.tenant_id, program_id=program.pk, source_hash=wanted[program.pk],
            data=_profile_to_json(profile), concepts=sorted(profile.concepts),
        ))
    if fresh:
        fresh.sort(key=lambda row: row.program_id)  # one lock order for every writer: waits, not deadlocks
        ProgramProfile.objects.bulk_create(
            fresh, update_conflicts=True, unique_fields=["program"], update_fields=["source_hash", "data", "concepts"]
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
    """The columns the engine reads of a program, without building a model instance: a check of one program
    among 100,000 reads a few hundred candidates and keeps the few that overlap."""

    pk: int
    tenant_id: int
    ref: str
    title: str
    description: str
    kinds: list
    sectors: list
    start_date: datetime.date
    end_date: datetime.date
    # filled by `fetch` (`tenant_overlaps` reads them in bulk instead)
    region_codes: tuple[str, ...] = ()
    nibs: tuple[str, ...] = ()
    # the stored text profile: None when there is none yet
    profile_hash: str | None = None
    profile_data: dict | None = None

    FIELDS = ("pk", "tenant_id", "ref", "title", "description", "kinds", "sectors", "start_date", "end_date")

    @classmethod
    def fetch(cls, queryset: QuerySet, *, with_nibs: bool = True, limit: int | None = None) -> list[CandidateRow]:
        """The programs of `queryset` (the first `limit` in its order) with their regions, enrolled businesses
        (`with_nibs`) and stored profile.

        On PostgreSQL one query (regions and businesses as arrays, the profile joined): a check's every round trip
        counts on a busy machine. SQLite adds one query per list.
        """
        profile = ("overlap_profile__source_hash", "overlap_profile__data")
        qs = queryset
        if connection.vendor == "postgresql":
            from django.contrib.postgres.expressions import ArraySubquery

            through = Program.regions.through
            lists = {"region_list": ArraySubquery(
                through.objects.filter(program_id=OuterRef("pk")).order_by().values("region__code")
            )}
            enrollment = _enrollment_model()
            if with_nibs and enrollment is not None:
                lists["nib_list"] = ArraySubquery(
                    enrollment.objects.filter(program_id=OuterRef("pk")).order_by().values("business__nib")
                )
            values = qs.annotate(**lists).values_list(*cls.FIELDS, *lists, *profile)[:limit]
            if "nib_list" in lists:
                return [cls(*v[:9], tuple(v[9]), tuple(n for n in v[10] if n), *v[11:]) for v in values]
            return [cls(*v[:9], tuple(v[9]), (), *v[10:]) for v in values]
        values = list(qs.values_list(*cls.FIELDS, *profile)[:limit])
        ids = [v[0] for v in values]
        codes = _region_codes(ids)
        nibs = nibs_by_program(ids) if with_nibs else {}
        return [cls(*v[:9], tuple(codes.get(v[0], ())), tuple(nibs.get(v[0], ())), *v[9:]) for v in values]

    def facts(self) -> ProgramFacts:
        return facts_of(self, region_codes=self.region_codes, nibs=frozenset(self.nibs))


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
    *, tenant: Tenant, region_codes: Iterable[str], start, end, exclude_id: int | None = None,
    may_overlap_with: ProgramFacts | None = None,
) -> QuerySet:
    """Checked programs of the tenant sharing a kabupaten/kota and an intersecting period (index-backed).

    `may_overlap_with`: also leave out, in the database, the programs `may_overlap` rules out for these facts — a
    target group that keeps the score under the threshold (distinct sectors, neither cross-sector) and no shared
    enrolled business. The engine's `is_candidate` and `may_overlap` are the same tests, applied again in Python.

    On PostgreSQL the period test goes through the GiST range index of migration 0006 and the region test probes
    the program–region table per program found: among 100,000 programs a check reads those running at the same
    time (about 1,700) rather than every program of the region (about 24,000; the planner's choice when it may
    join the region table first, which made a check grow linearly with the tenant).
    """
    region_codes = list(region_codes)
    qs = Program.objects.filter(tenant=tenant, status__in=CHECKED_STATUSES, start_date__lte=end, end_date__gte=start)
    if connection.vendor == "postgresql":
        qs = qs.filter(
            RawSQL(
                "daterange(programs_program.start_date, programs_program.end_date, '[]') && daterange(%s, %s, '[]')",
                (start, end), output_field=BooleanField(),
            ),
            # OFFSET 0 keeps the subquery a per-row probe: PostgreSQL does not turn it into a join it could drive
            # from the region side.
            RawSQL(
                "EXISTS (SELECT 1 FROM programs_program_regions pr"
                " JOIN stakeholders_region sr ON sr.id = pr.region_id"
                " WHERE pr.program_id = programs_program.id AND sr.tenant_id = %s AND sr.code = ANY(%s) OFFSET 0)",
                (tenant.pk, region_codes), output_field=BooleanField(),
            ),
        )
    else:
        through = Program.regions.through
        in_regions = through.objects.filter(region__tenant=tenant, region__code__in=region_codes)
        qs = qs.filter(pk__in=in_regions.values("program_id"))
    if may_overlap_with is not None:
        qs = qs.filter(_may_overlap_condition(may_overlap_with, tenant))
    if exclude_id is not None:
        qs = qs.exclude(pk=exclude_id)
    return qs


def _may_overlap_condition(facts: ProgramFacts, tenant: Tenant) -> Q:
    """The SQL side of `may_overlap` beyond place and time: a sector factor that can reach the threshold (a shared
    sector, or "umum" on either side) or a shared enrolled business."""
    if GENERAL_SECTOR in facts.sectors:
        return Q()
    sectors = sorted({*facts.sectors, GENERAL_SECTOR})
    if connection.vendor == "postgresql":
        # `IS TRUE` keeps the sectors GIN index out of the plan: ANDed with the period index it would read every
        # program of those sectors (tens of thousands) to save a cheap per-row test on the few hundred found.
        condition = Q(RawSQL("(programs_program.sectors ?| %s) IS TRUE", (sectors,), output_field=BooleanField()))
    else:
        condition = Q(sectors__has_any=sectors)
    enrollment = _enrollment_model()
    if facts.nibs and enrollment is not None:
        shared = enrollment.objects.filter(tenant=tenant, business__nib__in=sorted(facts.nibs))
        condition |= Q(pk__in=shared.values("program_id"))
    return condition


def compare_with_candidates(
    facts: ProgramFacts, profile: TextProfile, candidates: list, ctx: Context, *, overlaps_only: bool = False,
    explain: bool = True,
) -> list[tuple[Program | CandidateRow, OverlapResult]]:
    """Compare one program with candidate programs: model instances (regions, businesses and profiles fetched in
    bulk here) or `CandidateRow.fetch` rows (which carry them).

    `overlaps_only` skips the pairs `may_overlap` rules out and words no reasons for the pairs that do not overlap
    (the flags need neither); `explain=False` only the latter (the live panel words the five it shows)."""
    if candidates and all(isinstance(c, CandidateRow) for c in candidates):
        others = {c.pk: c.facts() for c in candidates}
        stored = {c.pk: (c.profile_hash, c.profile_data) for c in candidates}
    else:
        ids = [c.pk for c in candidates]
        codes = _region_codes(ids)
        # shared businesses need the other side's list only when this program has some (the floor counts both)
        nibs = nibs_by_program(ids) if facts.nibs else {}
        others = {
            c.pk: facts_of(c, region_codes=codes.get(c.pk, ()), nibs=nibs.get(c.pk, frozenset())) for c in candidates
        }
        stored = None
    if overlaps_only:
        candidates = [c for c in candidates if may_overlap(facts, others[c.pk])]
    profiles = profiles_for(candidates, version=ctx.version, synonyms=ctx.synonyms, stored=stored)
    results = []
    for candidate in candidates:
        result = compare(
            facts, others[candidate.pk], synonyms=ctx.synonyms, region_names=ctx.region_names,
            profile_a=profile, profile_b=profiles[candidate.pk], explain=explain and not overlaps_only,
        )
        results.append((candidate, result))
    return results


def overlaps_of(program: Program, ctx: Context | None = None) -> list[tuple[CandidateRow, OverlapResult]]:
    """Every checked program that overlaps `program` by the rule, as a `CandidateRow` (pk, ref, title, …: a check
    builds no model instance), with the engine's result.

    On PostgreSQL two queries: the program with its regions, businesses and stored profile; the candidates with
    theirs (see `candidate_programs`: only those `may_overlap` keeps are read). A profile not stored yet (a new
    program) is computed and stored once.
    """
    if not program.period:
        return []
    ctx = ctx or Context.of(program.tenant)
    mine = Program.objects.filter(tenant_id=program.tenant_id, pk=program.pk).order_by()
    own = next(iter(CandidateRow.fetch(mine)), None)
    if own is None or not own.region_codes or own.start_date is None or own.end_date is None:
        return []
    facts = own.facts()
    profile = profiles_for(
        [own], version=ctx.version, synonyms=ctx.synonyms, stored={own.pk: (own.profile_hash, own.profile_data)}
    )[own.pk]
    rows = CandidateRow.fetch(
        candidate_programs(
            tenant=program.tenant, region_codes=own.region_codes, start=own.start_date, end=own.end_date,
            exclude_id=own.pk, may_overlap_with=facts,
        ).order_by(),
        # shared businesses matter only when this program has some (the floor counts both lists)
        with_nibs=bool(facts.nibs),
    )
    return [
        (row, result)
        for row, result in compare_with_candidates(facts, profile, rows, ctx, overlaps_only=True)
        if result.is_overlap
    ]


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


def recompute_flags_for(program: Program, *, notify: bool = True) -> list[OverlapFlag]:
    """Compare first, then store the flags in one transaction (see `_recompute_flags`).

    Comparing stores the text profiles it lacks, a cache shared by every check: written before the flag
    transaction (each write commits at once outside a caller's transaction), two programs submitted at the same
    moment never hold each other's profile rows while waiting for their own — which PostgreSQL reported as a
    deadlock. The candidates are read once: the transaction reuses the comparison unless the program changed
    meanwhile (another version).
    """
    current = Program.objects.select_related("tenant").get(pk=program.pk)
    found = overlaps_of(current) if current.status in CHECKED_STATUSES else []
    return _recompute_flags(current, notify=notify, found=found, compared_version=current.version)


@transaction.atomic
def _recompute_flags(
    program: Program, *, notify: bool = True, found: list | None = None, compared_version: int | None = None
) -> list[OverlapFlag]:
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

    if found is None or compared_version != program.version:
        found = overlaps_of(program)
    # Sorted by the other program's id: concurrent checks then lock flag rows in one order.
    found = dict(sorted((other.pk, (other, result)) for other, result in found))
    now = timezone.now()
    for other_id, (_other, result) in found.items():
        flag = existing.get(other_id)
        reasons = reasons_as_data(result)
        if flag is None:
            a_id, b_id = sorted((program.pk, other_id))
            flag, created = OverlapFlag.objects.get_or_create(
                tenant=program.tenant, program_a_id=a_id, program_b_id=b_id,
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


def schedule_recompute_many(programs: list[Program], batch: int = 200) -> None:
    """`schedule_recompute` for many programs of one tenant (an import): one task per batch of programs."""
    from .overlap_tasks import recompute_overlap_flags_of_many

    ids = [p.pk for p in programs if p.status in CHECKED_STATUSES]
    for some in batches(ids, batch):
        enqueue_on_commit(recompute_overlap_flags_of_many, program_ids=some, tenant_id=programs[0].tenant_id)



# --- the whole tenant (the `overlaps` report) -------------------------------------------------------------------
def tenant_overlaps(tenant: Tenant) -> list[tuple[CandidateRow, CandidateRow, OverlapResult]]:
    """Every overlapping pair of checked programs in the tenant, each unordered pair once (a < b by ref).

    Programs are loaded once (as rows, not model instances, with their regions, NIBs and stored profiles: one query
    on PostgreSQL); candidate pairs come from a sweep over the periods within each kabupaten/kota, so only pairs
    sharing a region and a period are compared.
    """
    ctx = Context.of(tenant)
    programs = {
        row.pk: row for row in CandidateRow.fetch(Program.objects.filter(
            tenant=tenant, status__in=CHECKED_STATUSES, start_date__isnull=False, end_date__isnull=False
        ).order_by())
    }
    stored = {pk: (row.profile_hash, row.profile_data) for pk, row in programs.items()}
    profiles = profiles_for(programs.values(), version=ctx.version, synonyms=ctx.synonyms, stored=stored)
    del stored
    facts = {pk: row.facts() for pk, row in programs.items()}
    by_region: dict[str, list[int]] = defaultdict(list)
    for pk, row in programs.items():
        for code in row.region_codes:
            by_region[code].append(pk)
    # Pairs sharing a region and a period, found by a sweep over the periods within each region, and kept only when
    # `may_overlap` does (a pair in two shared regions is met twice: the set keeps it once).
    pairs: set[tuple[int, int]] = set()
    for members in by_region.values():
        members.sort(key=lambda pk: programs[pk].start_date)
        active: list[int] = []
        for pk in members:
            start = programs[pk].start_date
            # periods touching on one day still intersect
            active = [other for other in active if programs[other].end_date >= start]
            mine = facts[pk]
            pairs.update((min(pk, other), max(pk, other)) for other in active if may_overlap(mine, facts[other]))
            active.append(pk)
    found = []
    for i, j in pairs:
        a, b = sorted((programs[i], programs[j]), key=lambda p: p.ref)
        result = compare(
            facts[a.pk], facts[b.pk], synonyms=ctx.synonyms, region_names=ctx.region_names,
            profile_a=profiles[a.pk], profile_b=profiles[b.pk], explain=False,
        )
        if result.is_overlap:
            found.append((a, b, result))
    found.sort(key=lambda item: (item[0].ref, item[1].ref))
    return found
