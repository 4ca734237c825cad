# asserts are how pytest checks; S101 targets production code
# ruff: noqa: S101
"""Quality and behaviour of the pure overlap engine (programs/overlap.py), no database."""

from __future__ import annotations

import csv
import itertools
import pickle
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from programs.overlap import (
    OVERLAP_THRESHOLD,
    ProgramFacts,
    Reason,
    compare,
    is_candidate,
    may_overlap,
    text_profile,
)
from programs.textnorm import STOP_WORDS, Synonyms, analyze, default_synonyms, normalize, stem

DATA = Path(__file__).resolve().parent / "data"
SHARED_DOMAIN = Path(__file__).resolve().parents[2] / "shared" / "domain"
REGION_NAMES = {
    "34.01": "Kulon Progo",
    "34.02": "Bantul",
    "34.03": "Gunungkidul",
    "34.04": "Sleman",
    "34.71": "Kota Yogyakarta",
}
# Pairs that touch a program whose ref starts with this were written after tuning.
HELD_OUT_PREFIX = "Q"


def _codes(value: str | None) -> frozenset[str]:
    return frozenset(part.strip() for part in (value or "").split(";") if part.strip())


def load_programs(path: Path) -> dict[str, ProgramFacts]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return {
            row["ref"]: ProgramFacts(
                key=row["ref"],
                title=row["title"],
                description=row.get("description") or "",
                kinds=_codes(row["interventions"]),
                sectors=_codes(row["sectors"]),
                regions=_codes(row["regions"]),
                start=date.fromisoformat(row["start_date"]),
                end=date.fromisoformat(row["end_date"]),
                nibs=_codes(row.get("beneficiary_nibs")),
            )
            for row in csv.DictReader(handle)
        }


def load_pairs(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def synonyms() -> Synonyms:
    return default_synonyms()


def classify(
    programs: dict[str, ProgramFacts], pairs: list[dict[str, str]], synonyms: Synonyms
) -> tuple[dict[str, int], list[str]]:
    counts = {"tp": 0, "fp": 0, "fn": 0, "tn": 0}
    wrong: list[str] = []
    for pair in pairs:
        result = compare(
            programs[pair["a"]], programs[pair["b"]], synonyms=synonyms, region_names=REGION_NAMES
        )
        expected = pair["label"] == "1"
        key = ("t" if result.is_overlap == expected else "f") + ("p" if result.is_overlap else "n")
        counts[key] += 1
        if result.is_overlap != expected:
            reasons = "; ".join(r.render() for r in result.reasons)
            wrong.append(
                f"{pair['a']}-{pair['b']} label={pair['label']} score={result.score} [{pair['kind']}] "
                f"{pair['note']} | {reasons}"
            )
    return counts, wrong


def _precision_recall(counts: dict[str, int]) -> tuple[float, float]:
    precision = counts["tp"] / max(1, counts["tp"] + counts["fp"])
    recall = counts["tp"] / max(1, counts["tp"] + counts["fn"])
    return precision, recall


# --- quality over the labelled sets ---------------------------------------------------------


def test_labelled_set_is_large_and_balanced() -> None:
    pairs = load_pairs(DATA / "overlap_pairs.csv")
    programs = load_programs(DATA / "overlap_programs.csv")
    assert len(pairs) >= 170
    assert all(p["a"] in programs and p["b"] in programs for p in pairs)
    positives = sum(p["label"] == "1" for p in pairs)
    assert 0.35 <= positives / len(pairs) <= 0.6


def test_precision_and_recall_on_labelled_pairs(synonyms: Synonyms) -> None:
    programs = load_programs(DATA / "overlap_programs.csv")
    pairs = load_pairs(DATA / "overlap_pairs.csv")
    counts, wrong = classify(programs, pairs, synonyms)
    precision, recall = _precision_recall(counts)

    held_out = [p for p in pairs if HELD_OUT_PREFIX in (p["a"][0], p["b"][0])]
    held_counts, _ = classify(programs, held_out, synonyms)
    held_precision, held_recall = _precision_recall(held_counts)
    summary = (
        f"all {len(pairs)} pairs: {counts} precision={precision:.3f} recall={recall:.3f}\n"
        f"held-out {len(held_out)} pairs: {held_counts} precision={held_precision:.3f} "
        f"recall={held_recall:.3f}\nmisclassified:\n  " + "\n  ".join(wrong)
    )
    print(summary)
    assert precision >= 0.9 and recall >= 0.9, summary


def test_shared_sample_pairs_all_right(synonyms: Synonyms) -> None:
    if not (SHARED_DOMAIN / "sample-pairs.csv").exists():
        pytest.skip(f"shared domain samples not found at {SHARED_DOMAIN} (repository not beside shared/)")
    programs = load_programs(SHARED_DOMAIN / "sample-programs.csv")
    counts, wrong = classify(programs, load_pairs(SHARED_DOMAIN / "sample-pairs.csv"), synonyms)
    assert not wrong, "\n".join(wrong)
    assert counts["tp"] >= 1 and counts["tn"] >= 1


# --- normalisation --------------------------------------------------------------------------


def test_normalize_lowercases_and_drops_punctuation_and_digits() -> None:
    assert normalize("Bimtek E-Commerce, Angkatan 2025!") == "bimtek e commerce angkatan"


def test_stop_words_are_dropped(synonyms: Synonyms) -> None:
    tokens = analyze("pelatihan untuk dan bagi para pelaku yang di Sleman", synonyms)
    assert not set(tokens) & STOP_WORDS
    assert "sleman" not in tokens
    assert "untuk" in STOP_WORDS


def test_stemming_merges_inflections(synonyms: Synonyms) -> None:
    assert stem("penjualan") == stem("berjualan") == "jual"
    assert analyze("pengolahan", synonyms) == analyze("olahan", synonyms)
    # Sastrawi stems "pengemasan" to "emas" (gold); the override keeps packaging apart from jewellery
    assert stem("pengemasan") != "emas"


@pytest.mark.parametrize(
    ("concept", "phrases"),
    [
        (
            "digitalmarketing",
            [
                "pemasaran digital",
                "Digital Marketing",
                "jualan online",
                "e-commerce",
                "marketplace",
                "toko online",
            ],
        ),
        (
            "sertifikasihalal",
            ["sertifikasi halal", "sertifikat halal", "SH Halal", "self declare", "self-declare"],
        ),
        ("kur", ["KUR", "kredit usaha rakyat"]),
        ("pembukuan", ["pembukuan", "pencatatan keuangan", "laporan keuangan"]),
        ("kemasan", ["kemasan", "packaging", "pengemasan"]),
        ("pameran", ["pameran", "expo", "bazar"]),
        ("legalitasnib", ["NIB", "OSS", "perizinan"]),
    ],
)
def test_each_synonym_family_maps_to_one_concept(
    synonyms: Synonyms, concept: str, phrases: list[str]
) -> None:
    for phrase in phrases:
        assert analyze(phrase, synonyms) == [concept], phrase


def test_every_default_group_canonicalises_all_its_phrases(synonyms: Synonyms) -> None:
    with open(
        Path(__file__).resolve().parents[1] / "programs" / "data" / "synonyms.csv", encoding="utf-8"
    ) as f:
        rows = list(csv.DictReader(f))
    assert len({r["concept"] for r in rows}) >= 25
    for row in rows:
        assert analyze(row["phrase"], synonyms) == [row["concept"]], row


def test_multiword_phrases_also_match_inflected(synonyms: Synonyms) -> None:
    assert "digitalmarketing" in analyze("memasarkan digital", synonyms)


def test_synonyms_accept_any_list_of_groups() -> None:
    custom = Synonyms([("gulaaren", ["gula semut", "gula kelapa"]), ("kur", ["kredit usaha rakyat"])])
    assert analyze("Produsen Gula Semut dan gula kelapa", custom).count("gulaaren") == 2
    assert custom.label("gulaaren") == "gula semut"
    assert Synonyms.from_rows([("kur", "KUR"), ("kur", "kredit usaha rakyat")]).concepts == {"kur"}


# --- candidates: place and time -------------------------------------------------------------


def _program(**overrides: object) -> ProgramFacts:
    base = ProgramFacts(
        key="X1",
        title="Pelatihan Pemasaran Digital UMKM Kuliner",
        description="Pelatihan jualan online di marketplace dan media sosial untuk usaha makanan.",
        kinds=frozenset({"pelatihan", "digitalisasi"}),
        sectors=frozenset({"kuliner"}),
        regions=frozenset({"34.04"}),
        start=date(2025, 3, 1),
        end=date(2025, 3, 31),
    )
    return replace(base, **overrides)


def test_touching_periods_are_candidates() -> None:
    a = _program()
    assert is_candidate(a, _program(key="X2", start=date(2025, 3, 31), end=date(2025, 4, 30)))


def test_disjoint_periods_are_not_candidates(synonyms: Synonyms) -> None:
    a, b = _program(), _program(key="X2", start=date(2025, 4, 1), end=date(2025, 4, 30))
    assert not is_candidate(a, b)
    assert not compare(a, b, synonyms=synonyms).is_overlap


def test_no_shared_region_is_not_a_candidate(synonyms: Synonyms) -> None:
    a, b = _program(), _program(key="X2", regions=frozenset({"34.03", "34.02"}))
    assert not is_candidate(a, b)
    assert not compare(a, b, synonyms=synonyms).is_overlap
    assert is_candidate(a, _program(key="X3", regions=frozenset({"34.02", "34.04"})))


# --- signals --------------------------------------------------------------------------------


def test_shared_businesses_force_overlap_despite_different_texts(synonyms: Synonyms) -> None:
    nibs = frozenset({"9120009000001", "9120009000002", "9120009000003"})
    a = _program(
        title="Klinik Keuangan",
        description="Konsultasi arus kas.",
        kinds=frozenset({"pembiayaan"}),
        nibs=nibs,
    )
    b = _program(
        key="X2",
        title="Sosialisasi Kredit",
        description="Syarat dan simulasi angsuran.",
        kinds=frozenset({"pembiayaan", "pelatihan"}),
        sectors=frozenset({"umum"}),
        nibs=nibs | {"9120009000004"},
    )
    without = compare(replace(a, nibs=frozenset()), replace(b, nibs=frozenset()), synonyms=synonyms)
    assert not without.is_overlap
    result = compare(a, b, synonyms=synonyms)
    assert result.is_overlap
    assert Reason("shared_businesses", {"count": 3}) in result.reasons


def test_shared_businesses_do_not_force_another_kind(synonyms: Synonyms) -> None:
    nibs = frozenset({"9120009000001", "9120009000002"})
    a = _program(
        title="Sertifikasi Halal", description="Self declare.", kinds=frozenset({"sertifikasi"}), nibs=nibs
    )
    b = _program(key="X2", nibs=nibs)
    assert not compare(a, b, synonyms=synonyms).is_overlap


def test_general_sector_is_a_weaker_match_than_the_same_sector(synonyms: Synonyms) -> None:
    a = _program()
    same = compare(a, _program(key="X2"), synonyms=synonyms)
    general = compare(a, _program(key="X3", sectors=frozenset({"umum"})), synonyms=synonyms)
    other = compare(a, _program(key="X4", sectors=frozenset({"fesyen"})), synonyms=synonyms)
    assert same.score > general.score > other.score
    assert general.is_overlap and not other.is_overlap
    assert any(r.code == "general_sector" and r.params["sectors"] == ("kuliner",) for r in general.reasons)


def test_different_topic_with_equal_kind_codes_is_no_overlap(synonyms: Synonyms) -> None:
    # certification of trademarks vs halal: both coded "sertifikasi", not the same assistance
    halal = _program(
        title="Fasilitasi Sertifikat Halal", description="Self declare.", kinds=frozenset({"sertifikasi"})
    )
    brand = _program(
        key="X2",
        title="Pendaftaran Merek Dagang",
        description="Pendaftaran HKI ke DJKI.",
        kinds=frozenset({"sertifikasi"}),
    )
    assert not compare(halal, brand, synonyms=synonyms).is_overlap


def test_paraphrase_with_other_kind_codes_is_overlap(synonyms: Synonyms) -> None:
    a = _program()
    b = _program(
        key="X2",
        title="Klinik Jualan Online untuk Warung Makan",
        description="Pendampingan membuka toko di e-commerce dan promosi di Instagram.",
        kinds=frozenset({"pendampingan"}),
    )
    result = compare(a, b, synonyms=synonyms)
    assert result.is_overlap
    assert any(r.code == "same_kind_by_content" for r in result.reasons)


def test_score_is_bounded_and_rounded(synonyms: Synonyms) -> None:
    programs = load_programs(DATA / "overlap_programs.csv")
    refs = sorted(programs)[:40]
    for a in refs:
        for b in refs:
            score = compare(programs[a], programs[b], synonyms=synonyms).score
            assert 0.0 <= score <= 1.0
            assert round(score, 2) == score
    assert compare(programs[refs[0]], programs[refs[0]], synonyms=synonyms).score >= OVERLAP_THRESHOLD


def test_reasons_name_what_is_shared(synonyms: Synonyms) -> None:
    a = _program(nibs=frozenset({"9120009000001"}))
    b = _program(
        key="X2",
        title="Workshop Jualan Online Usaha Makanan",
        start=date(2025, 3, 20),
        end=date(2025, 4, 15),
        regions=frozenset({"34.04", "34.71"}),
        nibs=frozenset({"9120009000001"}),
    )
    result = compare(a, b, synonyms=synonyms, region_names=REGION_NAMES)
    by_code = {r.code: r.params for r in result.reasons}
    assert by_code["same_region"]["regions"] == "Sleman"
    assert by_code["same_region"]["codes"] == ("34.04",)
    assert (by_code["period_overlap"]["start"], by_code["period_overlap"]["end"]) == (
        "2025-03-20",
        "2025-03-31",
    )
    assert by_code["same_kind"]["kinds"] == ("digitalisasi",)
    assert by_code["same_sector"]["sectors"] == ("kuliner",)
    assert by_code["shared_businesses"]["count"] == 1
    assert "pemasaran digital" in by_code["same_topic"]["topics"]
    assert 0 < by_code["similar_text"]["similarity"] <= 1


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", [
            "same region: Sleman", "periods intersect: 2025-03-01 to 2025-03-31",
            "same kind of assistance: digitalisation", "same sector: culinary",
            "same participating businesses: 3 businesses", "similar title/description (0.78)",
            "same topic: pemasaran digital",
        ]),
        # as programs-format.md words them
        ("id", [
            "wilayah sama: Sleman", "periode beririsan: 2025-03-01 s.d. 2025-03-31",
            "jenis bantuan sama: digitalisasi", "sektor sama: kuliner",
            "UMKM peserta sama: 3 usaha", "judul/deskripsi mirip (0.78)",
            "topik sama: pemasaran digital",
        ]),
    ],
)
def test_reasons_render_in_the_active_language(synonyms: Synonyms, language: str, expected: list[str]) -> None:
    from django.utils import translation

    with translation.override(language):
        assert _render_examples() == expected


def _render_examples() -> list[str]:
    return [
        Reason("same_region", {"codes": ("34.04",), "regions": "Sleman"}).render(),
        Reason("period_overlap", {"start": "2025-03-01", "end": "2025-03-31", "fraction": 1.0}).render(),
        Reason("same_kind", {"kinds": ("digitalisasi",)}).render(),
        Reason("same_sector", {"sectors": ("kuliner",)}).render(),
        Reason("shared_businesses", {"count": 3}).render(),
        Reason("similar_text", {"similarity": 0.78}).render(),
        Reason("same_topic", {"topics": ("pemasaran digital",)}).render(),
    ]


def test_compare_is_symmetric_and_deterministic(synonyms: Synonyms) -> None:
    programs = load_programs(DATA / "overlap_programs.csv")
    for pair in load_pairs(DATA / "overlap_pairs.csv"):
        a, b = programs[pair["a"]], programs[pair["b"]]
        ab, ba = compare(a, b, synonyms=synonyms), compare(b, a, synonyms=synonyms)
        assert (ab.score, ab.is_overlap) == (ba.score, ba.is_overlap), pair
        assert compare(a, b, synonyms=synonyms) == ab


def test_precomputed_profiles_give_the_same_result(synonyms: Synonyms) -> None:
    programs = load_programs(DATA / "overlap_programs.csv")
    a, b = programs["P001"], programs["P002"]
    pa, pb = (text_profile(p.title, p.description, synonyms) for p in (a, b))
    assert compare(a, b, synonyms=synonyms, profile_a=pa, profile_b=pb) == compare(a, b, synonyms=synonyms)


def test_profiles_survive_a_cache_round_trip(synonyms: Synonyms) -> None:
    profile = text_profile("Pelatihan Jualan Online", "Marketplace dan media sosial.", synonyms)
    assert pickle.loads(pickle.dumps(profile)) == profile  # noqa: S301 - our own data, as a cache does


def test_may_overlap_is_a_necessary_condition_of_the_rule(synonyms: Synonyms) -> None:
    """Whole-tenant checks skip what may_overlap rules out: it must never rule out a flagged pair."""
    programs = load_programs(DATA / "overlap_programs.csv")
    ruled_out = 0
    for a, b in itertools.combinations(sorted(programs.values(), key=lambda p: p.key), 2):
        if not may_overlap(a, b):
            ruled_out += 1
            assert not compare(a, b, synonyms=synonyms).is_overlap, (a.key, b.key)
    assert ruled_out > 0


def test_without_explaining_the_decision_and_the_overlaps_reasons_are_the_same(synonyms: Synonyms) -> None:
    """`explain=False` (the whole-tenant report, the flag task) only skips wording the pairs that do not overlap."""
    programs = load_programs(DATA / "overlap_programs.csv")
    profiles = {key: text_profile(p.title, p.description, synonyms) for key, p in programs.items()}
    overlaps = quiet = 0
    for a, b in itertools.combinations(sorted(programs.values(), key=lambda p: p.key), 2):
        kwargs = {"synonyms": synonyms, "profile_a": profiles[a.key], "profile_b": profiles[b.key]}
        full, brief = compare(a, b, **kwargs), compare(a, b, explain=False, **kwargs)
        assert (brief.score, brief.is_overlap) == (full.score, full.is_overlap), (a.key, b.key)
        if full.is_overlap:
            overlaps += 1
            assert brief.reasons == full.reasons
        elif full.reasons:
            quiet += 1
            assert brief.reasons == ()
    assert overlaps > 50 and quiet > 50
