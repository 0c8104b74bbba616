"""What a search query asks for: its words, lightly stemmed, each with the needs it names
(from the needs taxonomy's keywords and synonyms) and, for a word that looks misspelt, the
word it was probably meant to be. Pure: no database."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

MAX_QUERY_CHARS = 100
MAX_WORDS = 8
MAX_WORD_CHARS = 30

# Words too common to say what a person is looking for.
STOP_WORDS = frozenset(re.findall(r"[a-z]+",
    "a an and are as at be by can for from get help how i in is it me my near need of on or "
    "our please some the to what where who with you your"))


@dataclass(frozen=True)
class Term:
    """One word of the query: the word-starts it matches in text (the stem, and the
    correction's stem for a misspelling), and the needs it names."""

    word: str
    stems: tuple[str, ...]
    needs: frozenset[str] = frozenset()
    corrected: str | None = None  # the word it was probably meant to be
    optional: bool = False  # a place name: ranks up services that mention it, never required


@dataclass(frozen=True)
class ParsedQuery:
    terms: tuple[Term, ...] = ()
    too_long: bool = False  # the query was cut to MAX_QUERY_CHARS
    dropped_words: int = 0  # words beyond MAX_WORDS, not searched for

    @property
    def required(self) -> tuple[Term, ...]:
        return tuple(t for t in self.terms if not t.optional)

    @property
    def corrections(self) -> dict[str, str]:
        return {t.word: t.corrected for t in self.terms if t.corrected}


@dataclass(frozen=True)
class Vocabulary:
    """Phrases (as stem tuples) naming each need, and every stem those phrases use."""

    phrases: Mapping[tuple[str, ...], frozenset[str]] = field(default_factory=dict)
    stems: frozenset[str] = frozenset()


def words_of(text: str) -> list[str]:
    """Lower-case words of letters and digits, accents folded, apostrophes dropped
    ("Alzheimer's" -> "alzheimers")."""
    folded = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    folded = re.sub(r"['\u2019]", "", folded.lower())
    return re.findall(r"[a-z0-9]+", folded)


def stem(word: str) -> str:
    """A light English stem, used as a word-start: "carers" -> "carer", "families" ->
    "family", "buses" -> "bus"; short words are kept whole."""
    if len(word) <= 3:
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "uses", "xes", "ches", "shes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def build_vocabulary(need_phrases: Mapping[str, Iterable[str]]) -> Vocabulary:
    """need id -> the phrases that name it (label, keywords, synonyms)."""
    phrases: dict[tuple[str, ...], set[str]] = {}
    for need_id, texts in need_phrases.items():
        for text in texts:
            key = tuple(stem(w) for w in words_of(text) if w not in STOP_WORDS)
            if key:
                phrases.setdefault(key, set()).add(need_id)
    stems = frozenset(s for key in phrases for s in key)
    return Vocabulary({k: frozenset(v) for k, v in phrases.items()}, stems)


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (a swap of two letters counts once), giving up
    above limit."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous, current = None, list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        before, previous, current = previous, current, [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if (i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]
                    and before is not None):
                current[j] = min(current[j], before[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
    return current[-1]


def closest(word_stem: str, stems: Iterable[str]) -> str | None:
    """The stem closest to word_stem among stems: one edit away for words of four to six
    letters, two for longer ones; None when none is that close, or when two are equally
    close (of those as close, one of the same length wins: a swap or a changed letter)."""
    if len(word_stem) < 4 or word_stem.isdigit():
        return None
    limit = 1 if len(word_stem) <= 6 else 2
    scored = sorted((edit_distance(word_stem, s, limit), len(s) != len(word_stem), s)
                    for s in set(stems) if len(s) >= 4 and s != word_stem)
    best = [s for d, other_length, s in scored
            if d <= limit and (d, other_length) == scored[0][:2]] if scored else []
    return best[0] if len(best) == 1 else None


def correction(word_stem: str, vocabulary: Vocabulary) -> str | None:
    """The vocabulary stem closest to a stem it does not hold (closest())."""
    if word_stem in vocabulary.stems:
        return None
    return closest(word_stem, vocabulary.stems)


def parse(query: str, vocabulary: Vocabulary, place_words: Iterable[str] = ()) -> ParsedQuery:
    """The terms of a query. Words in place_words (a place the query names) are optional."""
    text = (query or "")
    too_long = len(text) > MAX_QUERY_CHARS
    words = [w[:MAX_WORD_CHARS] for w in words_of(text[:MAX_QUERY_CHARS])
             if w not in STOP_WORDS]
    dropped = max(0, len(words) - MAX_WORDS)
    words = list(dict.fromkeys(words))[:MAX_WORDS]
    stems = [stem(w) for w in words]
    fixed = {s: correction(s, vocabulary) for s in stems}
    spelled = [fixed[s] or s for s in stems]
    needs: list[set[str]] = [set() for _ in words]
    for key, need_ids in vocabulary.phrases.items():
        for start in range(len(spelled) - len(key) + 1):
            if tuple(spelled[start:start + len(key)]) == key:
                for i in range(start, start + len(key)):
                    needs[i] |= need_ids
    places = {stem(w) for w in place_words}
    terms = tuple(
        Term(word=w, stems=tuple(dict.fromkeys([s, *(c for c in [fixed[s]] if c)])),
             needs=frozenset(needs[i]), corrected=fixed[s], optional=s in places)
        for i, (w, s) in enumerate(zip(words, stems, strict=True)))
    return ParsedQuery(terms, too_long=too_long, dropped_words=dropped)
