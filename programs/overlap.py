"""Overlap detection between two assistance programs: pure functions, no database, no request.

The rule (the only one that decides a flag)::

    is_overlap = is_candidate(a, b) and score >= OVERLAP_THRESHOLD

``is_candidate`` is the hard filter of place and time: at least one shared kabupaten/kota and
intersecting periods (touching on one day counts). ``score`` in [0, 1] says how alike the
*assistance* and its *target group* are, independent of place and time:

    substance = 0.45 * text + 0.35 * topics + 0.20 * kind      (text + kind only when a side
                                                                has no specific topic concept)
    score     = substance * sector_factor
    score     = max(score, shared-business floor)              (see below)

* ``text``: cosine over canonical tokens (concept tokens + Sastrawi stems) of title and
  description, the title counting twice, blended with character-trigram similarity of the
  titles so that typos still meet.
* ``topics``: shared specific concepts from the synonym list (e.g. ``digitalmarketing``,
  ``sertifikasihalal``); generic ones (training, mentoring, "UMKM", food) do not count.
* ``kind``: kinds of assistance judged by substance, not by code equality alone.
  ``pelatihan``/``pendampingan`` describe delivery, not topic; the topical kinds of a program
  are its coded ones plus those implied by its concepts (``CONCEPT_KINDS``), because
  stakeholders tag inconsistently. 1 when these intersect, 0 when both sides have topical kinds
  and none is shared, 0.5 when one side has none.
* ``sector_factor``: 1 for a shared sector, 0.8 when one side is ``umum`` (cross-sector, a weak
  match), 0.35 for distinct sectors: another target group, so wording alone can never reach
  the threshold; only shared businesses can.
* Shared businesses: when the same named businesses (at least two, or at least half of the
  smaller list) are enrolled and the kind of assistance is the same, the score is raised to at
  least ``NIB_FLOOR`` (above the threshold): same businesses, same kind, same time is an overlap
  whatever the texts say.

The portal, the ``overlaps`` command and the tests all call :func:`compare`; do not restate the
rule elsewhere.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from types import MappingProxyType
from typing import Any

from programs.textnorm import Synonyms, tokenize

OVERLAP_THRESHOLD: float = 0.40
NIB_FLOOR: float = 0.75

MODE_KINDS: frozenset[str] = frozenset({"pelatihan", "pendampingan"})

# Concepts that name a delivery mode, the target group or its product (food, batik, tourism
# villages): every program for that group mentions them, so they say nothing about the topic.
GENERIC_CONCEPTS: frozenset[str] = frozenset(
    {"pelatihan", "pendampingan", "umkm", "produkpangan", "godigital", "desawisata", "batik"}
)

# Stems that appear in most descriptions whatever the topic.
LOW_WEIGHT_STEMS: frozenset[str] = frozenset(
    {
        "produk",
        "kelompok",
        "milik",
        "bantu",
        "layan",
        "kembang",
        "tingkat",
        "dukung",
        "kuat",
        "mitra",
        "bina",
        "sedia",
        "manfaat",
        "ikut",
        "ajar",
        "baru",
        "pakai",
        "urus",
        "daftar",
        "ibu",
    }
)
_GENERIC_WEIGHT = 0.3
_CONCEPT_WEIGHT = 1.5
_TITLE_WEIGHT = 2.0

# Which kinds of assistance a concept implies. Concepts a tenant adds without an entry here
# still count as topics; they just do not imply a kind.
CONCEPT_KINDS: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "digitalmarketing": frozenset({"digitalisasi", "pemasaran"}),
        "fotoproduk": frozenset({"digitalisasi", "pemasaran"}),
        "qris": frozenset({"digitalisasi"}),
        "aplikasikasir": frozenset({"digitalisasi"}),
        "sertifikasihalal": frozenset({"sertifikasi"}),
        "hki": frozenset({"sertifikasi"}),
        "standarmutu": frozenset({"sertifikasi", "produksi"}),
        "branding": frozenset({"produksi", "pemasaran"}),
        "kemasan": frozenset({"produksi"}),
        "desainproduk": frozenset({"produksi"}),
        "higiene": frozenset({"produksi"}),
        "alatproduksi": frozenset({"produksi"}),
        "olahanikan": frozenset({"produksi"}),
        "menjahit": frozenset({"produksi"}),
        "pewarnaan": frozenset({"produksi"}),
        "kur": frozenset({"pembiayaan"}),
        "modalusaha": frozenset({"pembiayaan"}),
        "pembukuan": frozenset({"pembiayaan"}),
        "literasikeuangan": frozenset({"pembiayaan"}),
        "pameran": frozenset({"pemasaran"}),
        "businessmatching": frozenset({"pemasaran"}),
        "ekspor": frozenset({"pemasaran"}),
        "legalitasnib": frozenset({"legalitas"}),
        "pirt": frozenset({"legalitas"}),
        "koperasi": frozenset({"kelembagaan"}),
    }
)


def _noop(message: str) -> str:
    return message


# English msgids (Django convention); the Indonesian labels ship in the .po file, see
# programs/data/overlap_reasons_id.txt.
KIND_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "pelatihan": _noop("Training"),
        "pendampingan": _noop("Mentoring"),
        "legalitas": _noop("Business legality"),
        "sertifikasi": _noop("Certification"),
        "pembiayaan": _noop("Access to finance"),
        "pemasaran": _noop("Market access"),
        "digitalisasi": _noop("Digitalisation"),
        "produksi": _noop("Production & packaging"),
        "kelembagaan": _noop("Institutions"),
    }
)
SECTOR_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "kuliner": _noop("Culinary"),
        "fesyen": _noop("Fashion"),
        "kriya": _noop("Crafts"),
        "agribisnis": _noop("Agribusiness"),
        "perikanan": _noop("Fisheries"),
        "jasa": _noop("Services"),
        "pariwisata": _noop("Tourism"),
        "perdagangan": _noop("Trade"),
        "umum": _noop("General (cross-sector)"),
    }
)
GENERAL_SECTOR = "umum"
# below OVERLAP_THRESHOLD on purpose: the design's overlap needs the same target group
_OTHER_SECTOR_FACTOR = 0.35


@dataclass(frozen=True)
class ProgramFacts:
    key: str  # program ref
    title: str
    description: str
    kinds: frozenset[str]  # intervention codes from taxonomies.md
    sectors: frozenset[str]  # sector codes; "umum" = cross-sector (weak match)
    regions: frozenset[str]  # Kemendagri kabupaten/kota codes like "34.04"
    start: date
    end: date
    nibs: frozenset[str] = frozenset()  # enrolled businesses (13-digit NIB)


def _translate(message: str) -> str:
    # Rendering must work where Django is absent or unconfigured (CLI tests, workers before
    # setup): fall back to the English msgid.
    try:
        from django.utils.translation import gettext

        return gettext(message)
    except Exception:  # ImportError or ImproperlyConfigured
        return message


def _translate_plural(singular: str, plural: str, count: int) -> str:
    try:
        from django.utils.translation import ngettext

        return ngettext(singular, plural, count)
    except Exception:
        return singular if count == 1 else plural


def _labels(codes: Iterable[str], labels: Mapping[str, str]) -> str:
    # lower case inside a sentence, as programs-format.md words it ("jenis bantuan sama: digitalisasi")
    return ", ".join(_translate(labels.get(code, code)).lower() for code in sorted(codes))


@dataclass(frozen=True)
class Reason:
    """One shared thing, as data; ``render()`` words it in the active language."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def render(self) -> str:
        p = self.params
        if self.code == "same_region":
            return _translate("same region: %(regions)s") % {"regions": p["regions"]}
        if self.code == "period_overlap":
            return _translate("periods intersect: %(start)s to %(end)s") % p
        if self.code == "same_kind":
            return _translate("same kind of assistance: %(kinds)s") % {
                "kinds": _labels(p["kinds"], KIND_LABELS)
            }
        if self.code == "same_kind_by_content":
            return _translate("same kind of assistance judging by the content: %(kinds)s") % {
                "kinds": _labels(p["kinds"], KIND_LABELS)
            }
        if self.code == "same_sector":
            return _translate("same sector: %(sectors)s") % {"sectors": _labels(p["sectors"], SECTOR_LABELS)}
        if self.code == "general_sector":
            return _translate("cross-sector program also reaches: %(sectors)s") % {
                "sectors": _labels(p["sectors"], SECTOR_LABELS)
            }
        if self.code == "shared_businesses":
            message = _translate_plural(
                "same participating businesses: %(count)s business",
                "same participating businesses: %(count)s businesses",
                p["count"],
            )
            return message % {"count": p["count"]}
        if self.code == "similar_text":
            return _translate("similar title/description (%(similarity)s)") % {
                "similarity": f"{p['similarity']:.2f}"
            }
        if self.code == "same_topic":
            return _translate("same topic: %(topics)s") % {"topics": ", ".join(p["topics"])}
        return self.code

    def __str__(self) -> str:
        return self.render()


@dataclass(frozen=True)
class OverlapResult:
    score: float  # 0..1, rounded to 2 decimals
    reasons: tuple[Reason, ...]
    is_overlap: bool


@dataclass(frozen=True)
class TextProfile:
    """What compare() needs from a program's texts; cache it per program (it costs stemming)."""

    weights: Mapping[str, float]
    norm: float
    concepts: frozenset[str]  # specific (non-generic) concepts
    title_trigrams: frozenset[str]


def _token_weight(token: str, is_concept: bool) -> float:
    if token in GENERIC_CONCEPTS or token in LOW_WEIGHT_STEMS:
        return _GENERIC_WEIGHT
    return _CONCEPT_WEIGHT if is_concept else 1.0


def _trigrams(tokens: Iterable[str]) -> frozenset[str]:
    grams: set[str] = set()
    for token in tokens:
        padded = f" {token} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return frozenset(grams)


def text_profile(
    title: str, description: str, synonyms: Synonyms, *, extra_stop_words: Iterable[str] = ()
) -> TextProfile:
    """Precompute a program's text representation (concept tokens and stems, weighted)."""
    stop = tuple(extra_stop_words)
    weights: Counter[str] = Counter()
    concepts: set[str] = set()
    title_tokens: list[str] = []
    for text, field_weight in ((title, _TITLE_WEIGHT), (description, 1.0)):
        for token, is_concept in synonyms.canonical_tokens(tokenize(text, extra_stop_words=stop)):
            weights[token] += field_weight * _token_weight(token, is_concept)
            if is_concept and token not in GENERIC_CONCEPTS:
                concepts.add(token)
            generic = token in GENERIC_CONCEPTS or token in LOW_WEIGHT_STEMS
            if field_weight == _TITLE_WEIGHT and not generic:
                title_tokens.append(token)
    # sublinear term frequency: a word repeated five times is not five times the topic
    damped = {t: math.sqrt(w) for t, w in weights.items()}
    norm = math.sqrt(sum(w * w for w in damped.values()))
    # a plain dict, not a mapping proxy: the portal pickles profiles into its cache
    return TextProfile(damped, norm, frozenset(concepts), _trigrams(title_tokens))


def _cosine(a: TextProfile, b: TextProfile) -> float:
    if not a.norm or not b.norm:
        return 0.0
    # fsum is exactly rounded, so compare(a, b) and compare(b, a) agree to the last bit
    dot = math.fsum(a.weights[t] * b.weights[t] for t in a.weights.keys() & b.weights.keys())
    return dot / (a.norm * b.norm)


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    union = len(a | b)
    return len(a & b) / union if union else 0.0


def text_similarity(a: TextProfile, b: TextProfile) -> float:
    return 0.8 * _cosine(a, b) + 0.2 * _jaccard(a.title_trigrams, b.title_trigrams)


def topic_similarity(a: TextProfile, b: TextProfile) -> float | None:
    """Shared specific concepts, or None when a side names no specific concept."""
    if not a.concepts or not b.concepts:
        return None
    shared = len(a.concepts & b.concepts)
    containment = shared / min(len(a.concepts), len(b.concepts))
    dice = 2 * shared / (len(a.concepts) + len(b.concepts))
    return 0.5 * containment + 0.5 * dice


def topical_kinds(kinds: frozenset[str], concepts: Iterable[str]) -> frozenset[str]:
    """Coded topical kinds plus those the program's concepts imply."""
    implied: set[str] = set(kinds - MODE_KINDS)
    for concept in concepts:
        implied |= CONCEPT_KINDS.get(concept, frozenset())
    return frozenset(implied)


def is_candidate(a: ProgramFacts, b: ProgramFacts) -> bool:
    """Same place and time: a shared kabupaten/kota and intersecting periods."""
    # periods touching on one day still intersect: a forum counts them
    return bool(a.regions & b.regions) and a.start <= b.end and b.start <= a.end


def may_overlap(a: ProgramFacts, b: ProgramFacts) -> bool:
    """A cheap necessary condition of ``compare(a, b).is_overlap`` (no text work): place and time, and either a
    sector factor that lets the score reach the threshold or shared businesses that can lift it to the floor.
    Whole-tenant checks skip the pairs it rules out; the answers stay exactly those of :func:`compare`."""
    if not is_candidate(a, b):
        return False
    return _sector_may_reach_threshold(a.sectors, b.sectors) or bool(a.nibs & b.nibs)


@lru_cache(maxsize=4096)
def _sector_may_reach_threshold(a: frozenset[str], b: frozenset[str]) -> bool:
    # a tenant has few distinct sector lists: the whole-tenant report asks this for the same few pairs of lists
    return _sector_factor(a, b)[0] >= OVERLAP_THRESHOLD


def _period_intersection(a: ProgramFacts, b: ProgramFacts) -> tuple[date, date, float]:
    start, end = max(a.start, b.start), min(a.end, b.end)
    shorter = min((a.end - a.start).days, (b.end - b.start).days) + 1
    return start, end, ((end - start).days + 1) / shorter


def _sector_factor(a: frozenset[str], b: frozenset[str]) -> tuple[float, Reason | None]:
    specific_a, specific_b = a - {GENERAL_SECTOR}, b - {GENERAL_SECTOR}
    # two cross-sector programs address the same (general) target group
    shared = (a & b) if GENERAL_SECTOR in a & b else specific_a & specific_b
    if shared:
        return 1.0, Reason("same_sector", {"sectors": tuple(sorted(shared))})
    if GENERAL_SECTOR in a or GENERAL_SECTOR in b:
        reached = tuple(sorted(specific_a | specific_b)) or (GENERAL_SECTOR,)
        return 0.8, Reason("general_sector", {"sectors": reached})
    return _OTHER_SECTOR_FACTOR, None


def _businesses_force(a: ProgramFacts, b: ProgramFacts, shared: int) -> bool:
    if not shared:
        return False
    smaller = min(len(a.nibs), len(b.nibs))
    return shared >= 2 or shared / smaller >= 0.5


def compare(
    a: ProgramFacts,
    b: ProgramFacts,
    *,
    synonyms: Synonyms,
    region_names: Mapping[str, str] = MappingProxyType({}),
    profile_a: TextProfile | None = None,
    profile_b: TextProfile | None = None,
    explain: bool = True,
) -> OverlapResult:
    """Score how alike two programs are and decide the overlap flag (see module docstring).

    Pass cached ``profile_a``/``profile_b`` (from :func:`text_profile`) to skip stemming. ``explain=False`` leaves
    the reasons out when the pair does not overlap (the whole-tenant report prints overlaps only); the score and the
    decision are the same.
    """
    pa = profile_a or text_profile(a.title, a.description, synonyms)
    pb = profile_b or text_profile(b.title, b.description, synonyms)

    text = text_similarity(pa, pb)
    topics = topic_similarity(pa, pb)
    kinds_a, kinds_b = topical_kinds(a.kinds, pa.concepts), topical_kinds(b.kinds, pb.concepts)
    shared_kinds = kinds_a & kinds_b
    if shared_kinds:
        kind = 1.0
    elif kinds_a and kinds_b:
        kind = 0.0
    else:
        kind = 0.5
    same_kind = bool(shared_kinds) or (not kinds_a and not kinds_b and bool(a.kinds & b.kinds))

    sector, sector_reason = _sector_factor(a.sectors, b.sectors)

    # without a specific concept on one side, wording and kinds must carry the decision alone
    substance = 0.70 * text + 0.30 * kind if topics is None else 0.45 * text + 0.35 * topics + 0.20 * kind
    score = substance * sector

    shared_nibs = len(a.nibs & b.nibs)
    if shared_nibs and same_kind and _businesses_force(a, b, shared_nibs):
        score = max(score, NIB_FLOOR)

    score = round(min(1.0, max(0.0, score)), 2)
    is_overlap = is_candidate(a, b) and score >= OVERLAP_THRESHOLD
    if not explain and not is_overlap:
        return OverlapResult(score, (), False)

    reasons: list[Reason] = []
    shared_regions = a.regions & b.regions
    if shared_regions:
        names = ", ".join(region_names.get(code, code) for code in sorted(shared_regions))
        reasons.append(Reason("same_region", {"codes": tuple(sorted(shared_regions)), "regions": names}))
    if a.start <= b.end and b.start <= a.end:
        start, end, fraction = _period_intersection(a, b)
        period = {"start": start.isoformat(), "end": end.isoformat(), "fraction": round(fraction, 2)}
        reasons.append(Reason("period_overlap", period))
    if shared_kinds:
        coded = (a.kinds & b.kinds) - MODE_KINDS
        if coded:
            reasons.append(Reason("same_kind", {"kinds": tuple(sorted(coded))}))
        else:
            reasons.append(Reason("same_kind_by_content", {"kinds": tuple(sorted(shared_kinds))}))
    elif not (kinds_a and kinds_b) and a.kinds & b.kinds:
        reasons.append(Reason("same_kind", {"kinds": tuple(sorted(a.kinds & b.kinds))}))
    if sector_reason is not None:
        reasons.append(sector_reason)
    if shared_nibs:
        reasons.append(Reason("shared_businesses", {"count": shared_nibs}))
    if text >= 0.3:
        reasons.append(Reason("similar_text", {"similarity": round(text, 2)}))
    shared_topics = sorted(pa.concepts & pb.concepts)
    if shared_topics:
        reasons.append(Reason("same_topic", {"topics": tuple(synonyms.label(c) for c in shared_topics)}))
    return OverlapResult(score, tuple(reasons), is_overlap)
