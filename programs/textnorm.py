"""Indonesian text normalisation for comparing program titles and descriptions.

Pipeline: lowercase and strip punctuation/digits -> drop stop words -> replace synonym
phrases by one concept token (before stemming, so "pemasaran digital" and "jualan online"
meet as ``digitalmarketing``) -> stem the remaining words with Sastrawi.

Synonyms are data, not code: a :class:`Synonyms` is built from ``(concept, [phrases])``
groups, read from ``programs/data/synonyms.csv`` by default or from a tenant's own rows.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

DEFAULT_SYNONYMS_CSV = Path(__file__).resolve().parent / "data" / "synonyms.csv"


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Function words and chat fillers; they carry no topic.
STOP_WORDS: frozenset[str] = _words(
    """
    ada adalah agar akan aku amat anda antara apa atas atau bagaimana bagi bahwa baik banyak
    bareng beberapa begitu belum benar berbagai bersama biar bila bisa boleh buat bukan
    cara dalam dan dapat dari daripada dengan di dia dll dong dsb dst gak hal hanya harus
    hingga ia ialah ini itu jadi jika juga kalau kami kamu kan karena ke kepada ketika kita
    lagi lah lain lalu lebih lewat maka mana masih masing melalui menjadi mereka merupakan
    mulai nah namun nggak nya oleh pada para per perlu pula pun punya saat saja sama sambil
    sampai sangat satu sebagai sebelum secara sedang segera sehingga sekali selama seluruh
    semua sendiri seperti serta setelah setiap siap sudah supaya tak tanpa tapi telah tentang
    terhadap termasuk tersebut tiap tidak tiga dua lima empat untuk utk yaitu yakni yang yg
    dgn ya yuk sbb khusus kini sejak hanya bukan pula guna kembali
    """
)

# Words that every program in this domain uses, or that name a place, a time or money: they
# would make any two programs in the same kabupaten look alike. Region names are compared as
# regions, not as text.
DOMAIN_STOP_WORDS: frozenset[str] = _words(
    """
    program kegiatan peserta gratis tahun tahunan angkatan gelombang tahap lanjutan lanjut
    provinsi kabupaten kab kota kecamatan kalurahan kelurahan desa daerah wilayah setempat
    sleman bantul gunungkidul gunung kidul kulon progo kulonprogo yogyakarta jogja yogya jogjakarta diy
    januari februari maret april mei juni juli agustus september oktober november desember
    hari pekan minggu bulan rp rupiah juta ribu miliar orang sesi pertemuan
    """
)

_NON_LETTERS = re.compile(r"[^a-z]+")
_MIN_TOKEN_LEN = 2


def normalize(text: str) -> str:
    """Lowercase, fold accents, and turn everything but letters into single spaces.

    Digits go too: years and amounts differ between programs that are otherwise the same.
    """
    folded = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode("ascii")
    return _NON_LETTERS.sub(" ", folded.lower()).strip()


def tokenize(text: str, *, extra_stop_words: Iterable[str] = ()) -> list[str]:
    """Normalised words of ``text`` without stop words (domain ones included)."""
    stop = STOP_WORDS | DOMAIN_STOP_WORDS
    extra = {normalize(w) for w in extra_stop_words}
    return [w for w in normalize(text).split() if w not in stop and w not in extra]


@lru_cache(maxsize=1)
def _stemmer() -> Any:  # Sastrawi ships no type hints
    # Building the stemmer loads its dictionary: do it once per process.
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    return StemmerFactory().create_stemmer()


# Known Sastrawi mis-stems that would merge unrelated topics.
_STEM_OVERRIDES: dict[str, str] = {
    "pengemasan": "kemas",  # Sastrawi gives "emas" (gold), which would meet silver-jewellery programs
    "kemasan": "kemas",
}


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    """Sastrawi stem of one lowercase word, memoised: stemming dominates normalisation time."""
    if word in _STEM_OVERRIDES:
        return _STEM_OVERRIDES[word]
    return _stemmer().stem(word) or word


def _phrase_key(phrase: str) -> tuple[str, ...]:
    return tuple(tokenize(phrase))


class Synonyms:
    """Phrase -> concept mapping, matched longest phrase first on the word sequence.

    Phrases match on the surface words; phrases of two or more words also match on stems, so
    "memasarkan secara digital" still meets "pemasaran digital". Single words are not matched
    on stems because short stems are ambiguous (Sastrawi stems "pemasaran" and "pasar" alike).
    """

    def __init__(self, groups: Iterable[tuple[str, Iterable[str]]]) -> None:
        self._surface: dict[tuple[str, ...], str] = {}
        self._stemmed: dict[tuple[str, ...], str] = {}
        self._labels: dict[str, str] = {}
        concepts: set[str] = set()
        for concept, phrases in groups:
            concept_token = normalize(concept).replace(" ", "")
            if not concept_token:
                continue
            concepts.add(concept_token)
            for phrase in phrases:
                key = _phrase_key(phrase)
                if not key:
                    continue
                # the first phrase of a group names the concept in overlap reasons
                self._labels.setdefault(concept_token, phrase.strip().lower())
                # first group wins on a duplicate phrase: an edited list stays deterministic
                self._surface.setdefault(key, concept_token)
                if len(key) > 1:
                    self._stemmed.setdefault(tuple(stem(w) for w in key), concept_token)
        self.concepts: frozenset[str] = frozenset(concepts)
        self._max_len = max((len(k) for k in self._surface), default=0)

    def phrases_of(self, concepts: Iterable[str]) -> list[str]:
        """The (normalised) phrases that name these concepts, longest first: what to look for in other texts."""
        wanted = set(concepts)
        return sorted({" ".join(k) for k, c in self._surface.items() if c in wanted}, key=lambda p: (-len(p), p))

    def label(self, concept: str) -> str:
        """Human wording of a concept: the first phrase listed for it."""
        return self._labels.get(concept, concept)

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[str, str]]) -> Synonyms:
        """Build from flat ``(concept, phrase)`` rows, e.g. a CSV or database table."""
        groups: dict[str, list[str]] = {}
        for concept, phrase in rows:
            groups.setdefault(concept.strip(), []).append(phrase)
        return cls(groups.items())

    @classmethod
    def load_csv(cls, path: str | Path = DEFAULT_SYNONYMS_CSV) -> Synonyms:
        """Read a ``concept,phrase`` CSV (header row required, one phrase per row)."""
        with open(path, encoding="utf-8-sig", newline="") as handle:
            rows = [(r["concept"], r["phrase"]) for r in csv.DictReader(handle) if r.get("phrase")]
        return cls.from_rows(rows)

    def canonical_tokens(self, words: Sequence[str]) -> Iterator[tuple[str, bool]]:
        """Yield ``(token, is_concept)``: concept tokens for matched phrases, stems otherwise."""
        stems = [stem(w) for w in words]
        i = 0
        while i < len(words):
            matched = 0
            for length in range(min(self._max_len, len(words) - i), 0, -1):
                concept = self._surface.get(tuple(words[i : i + length]))
                if concept is None and length > 1:
                    concept = self._stemmed.get(tuple(stems[i : i + length]))
                if concept is not None:
                    yield concept, True
                    matched = length
                    break
            if matched:
                i += matched
                continue
            if len(stems[i]) >= _MIN_TOKEN_LEN and stems[i] not in DOMAIN_STOP_WORDS:
                yield stems[i], False
            i += 1


@lru_cache(maxsize=1)
def default_synonyms() -> Synonyms:
    """The shipped synonym list, loaded once."""
    return Synonyms.load_csv()


def analyze(text: str, synonyms: Synonyms, *, extra_stop_words: Iterable[str] = ()) -> list[str]:
    """Canonical tokens of ``text``: concept tokens and stems, stop words removed."""
    return [tok for tok, _ in synonyms.canonical_tokens(tokenize(text, extra_stop_words=extra_stop_words))]
