"""Reads for overlap pages: a program's flags, a flag's side-by-side comparison, the flags a user must answer."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from stakeholders.models import Membership, Region
from stakeholders.permissions import is_tenant_admin

from .models import OverlapFlag, Program
from .overlap import GENERIC_CONCEPTS, LOW_WEIGHT_STEMS, ProgramFacts, text_profile
from .overlap_services import (
    CHECKED_STATUSES,
    CandidateRow,
    Context,
    candidate_programs,
    compare_with_candidates,
    profiles_for,
)
from .textnorm import normalize, stem


def flags_of_program(program: Program) -> QuerySet:
    """Every flag involving the program, open ones first, with both programs fetched."""
    return (
        OverlapFlag.objects.involving(program)
        .filter(tenant_id=program.tenant_id)
        .select_related("program_a__owner", "program_b__owner", "joint_program")
        .order_by("status", "-score", "pk")  # "open" sorts before "resolved"
    )


def flags_for_user(user, tenant) -> QuerySet:
    """Flags on programs of the user's organisations (every flag of the tenant for its admins), the in-app list:
    open ones first, then the latest answered."""
    if not user.is_authenticated:
        return OverlapFlag.objects.none()
    qs = OverlapFlag.objects.filter(tenant=tenant)
    if not is_tenant_admin(user, tenant):
        orgs = list(Membership.objects.filter(user=user, tenant=tenant).values_list("organization_id", flat=True))
        qs = qs.filter(Q(program_a__owner_id__in=orgs) | Q(program_b__owner_id__in=orgs))
    return qs.select_related(
        "program_a__owner", "program_b__owner", "joint_program", "proposed_by", "resolved_by"
    ).order_by("status", "-updated_at", "-pk")  # "open" sorts before "resolved"


def open_flags_for_user(user, tenant=None) -> QuerySet:
    """Open flags on programs of the user's organisations (for the home page's in-app list)."""
    if not user.is_authenticated:
        return OverlapFlag.objects.none()
    memberships = Membership.objects.filter(user=user)
    if tenant is not None:
        memberships = memberships.filter(tenant=tenant)
    orgs = list(memberships.values_list("organization_id", flat=True))
    return (
        OverlapFlag.objects.open()
        .filter(Q(program_a__owner_id__in=orgs) | Q(program_b__owner_id__in=orgs))
        .select_related("tenant", "program_a__owner", "program_b__owner")
        .order_by("-created_at", "-pk")
    )


@dataclass
class Segment:
    text: str
    shared: bool


@dataclass
class Row:
    label: str
    left: list
    right: list


def _marked(values_a, values_b) -> tuple[list[Segment], list[Segment]]:
    """Each side's values, comma-separated (the comma outside the mark), those on both sides marked."""
    shared = set(values_a) & set(values_b)

    def side(values) -> list[Segment]:
        segments: list[Segment] = []
        for value in values:
            if segments:
                segments.append(Segment(", ", False))
            segments.append(Segment(str(value), value in shared))
        return segments

    return side(values_a), side(values_b)


def _highlight(text: str, shared_tokens: set[str], phrase_words: set[str]) -> list[Segment]:
    """Split `text` into words marked when their stem or synonym phrase is shared by both programs."""
    segments: list[Segment] = []
    for word in text.split(" "):
        norm = normalize(word)
        shared = bool(norm) and any(
            part in phrase_words or stem(part) in shared_tokens for part in norm.split()
        )
        if segments and segments[-1].shared == shared:
            segments[-1].text += " " + word
        elif segments and not shared:
            segments.append(Segment(" " + word, shared))
        else:
            if segments:  # the space before a marked run stays outside the mark
                segments[-1].text += " "
            segments.append(Segment(word, shared))
    return segments


def comparison(flag: OverlapFlag, program: Program) -> tuple[Program, Program, list[Row]]:
    """The two programs side by side (this one on the left) with what they share marked."""
    left, right = flag.program_a, flag.program_b
    if program.pk != flag.program_a_id:
        left, right = right, left
    ctx = Context.of(program.tenant)
    profiles = profiles_for([left, right], version=ctx.version, synonyms=ctx.synonyms)
    pl, pr = profiles[left.pk], profiles[right.pk]
    shared_tokens = {
        t for t in pl.weights.keys() & pr.weights.keys() if t not in GENERIC_CONCEPTS and t not in LOW_WEIGHT_STEMS
    }
    # words of the synonym phrases of shared concepts ("jualan online" ~ "marketplace")
    shared_concepts = pl.concepts & pr.concepts
    phrase_words = {
        word for phrase, concept in ctx.synonyms._surface.items() if concept in shared_concepts for word in phrase
    }
    regions = {p.pk: [r.name for r in p.regions.all()] for p in (left, right)}
    rows = [
        Row(_("Title"), _highlight(left.title, shared_tokens, phrase_words),
            _highlight(right.title, shared_tokens, phrase_words)),
        Row(_("Description"), _highlight(left.description, shared_tokens, phrase_words),
            _highlight(right.description, shared_tokens, phrase_words)),
        Row(_("Organisation"), [Segment(left.owner.name, False)], [Segment(right.owner.name, False)]),
        Row(_("Regencies/cities"), *_marked(regions[left.pk], regions[right.pk])),
        Row(_("Kinds of assistance"), *_marked(left.kind_labels, right.kind_labels)),
        Row(_("Sectors"), *_marked(left.sector_labels, right.sector_labels)),
    ]
    return left, right, rows


# --- the live "similar programs" panel --------------------------------------------------------------------------
SIMILAR_LIMIT = 5
# Without place and time the panel compares with the latest programs (by start date), at most this many, and as many
# older ones whose stored profile names one of the typed topics.
SIMILAR_POOL = 1000


@dataclass
class Similar:
    program: Program
    score: float
    reasons: list[str]
    would_flag: bool


def _date(value: str):
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def similar_to_unsaved(tenant, data, *, exclude_ref: str = "") -> list[Similar]:
    """The programs most like the values typed in a program form (nothing saved), best first.

    Place and time narrow the search when given; the score is the engine's, independent of them, and a
    result says whether the rule would flag the pair once the program is submitted. Candidates are read as rows with
    their stored profiles and scored without wording; only the few shown become model instances with reasons.
    """
    title, description = (data.get("title") or "").strip(), (data.get("description") or "").strip()
    if len(title) + len(description) < 8:
        return []
    start, end = _date(data.get("start_date")), _date(data.get("end_date"))
    if start and end and end < start:
        start = end = None
    region_ids = [v for v in data.getlist("regions") if str(v).isdigit()]
    codes = set(Region.objects.filter(tenant=tenant, pk__in=region_ids).values_list("code", flat=True))
    ctx = Context.of(tenant)
    profile = text_profile(title, description, ctx.synonyms)
    if start and end and codes:
        pool = candidate_programs(tenant=tenant, region_codes=codes, start=start, end=end)
    else:
        pool = Program.objects.filter(tenant=tenant, status__in=CHECKED_STATUSES)
        if start and end:
            pool = pool.filter(start_date__lte=end, end_date__gte=start)
        if codes:
            pool = pool.filter(pk__in=Program.regions.through.objects.filter(
                region__tenant=tenant, region__code__in=codes).values("program_id"))
    pool = pool.exclude(ref=exclude_ref).order_by("-start_date", "pk")
    candidates = CandidateRow.fetch(pool, with_nibs=False, limit=SIMILAR_POOL)
    # Older programs on one of the typed topics ("jualan online" for "pemasaran digital": the same concept) join the
    # latest ones; their stored profiles list their concepts, which an index answers (GIN on PostgreSQL).
    if profile.concepts and len(candidates) == SIMILAR_POOL:
        seen = {c.pk for c in candidates}
        on_topic = pool.filter(overlap_profile__concepts__has_any=sorted(profile.concepts))
        older = CandidateRow.fetch(on_topic, with_nibs=False, limit=SIMILAR_POOL)
        candidates += [c for c in older if c.pk not in seen]
    facts = ProgramFacts(
        key=exclude_ref or "new", title=title, description=description,
        kinds=frozenset(data.getlist("kinds")), sectors=frozenset(data.getlist("sectors")),
        regions=frozenset(codes), start=start or datetime.date.min, end=end or datetime.date.min,
    )
    scored = compare_with_candidates(facts, profile, candidates, ctx, explain=False)
    best = sorted(scored, key=lambda item: (-item[1].score, item[0].ref))[:SIMILAR_LIMIT]
    best = [(row, result) for row, result in best if result.score > 0]
    programs = Program.objects.select_related("owner").in_bulk([row.pk for row, _result in best]) if best else {}
    shown = []
    for row, result in best:
        if not result.reasons:  # scored without wording: word the few shown
            [(_row, result)] = compare_with_candidates(facts, profile, [row], ctx)
        shown.append(Similar(programs[row.pk], result.score, [r.render() for r in result.reasons], result.is_overlap))
    return shown
