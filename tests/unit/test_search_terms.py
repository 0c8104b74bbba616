"""Reading a search query: words, stems, the needs a phrase names, and misspellings."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mle.directory.search_terms import (
    MAX_WORDS,
    build_vocabulary,
    correction,
    edit_distance,
    parse,
    stem,
    words_of,
)

VOCABULARY = build_vocabulary({
    "dementia-support": ["Dementia support and information", "dementia", "alzheimer's",
                         "memory", "memory loss"],
    "memory-assessment": ["memory assessment", "memory"],
    "carer-support": ["Support for unpaid carers", "carers", "carer"],
    "hearing-support": ["hearing loss", "deaf", "hard of hearing"],
    "gambling-support": ["gambling"],
})


@pytest.mark.parametrize(("word", "expected"), [
    ("carers", "carer"), ("families", "family"), ("buses", "bus"), ("services", "service"),
    ("address", "address"), ("bus", "bus"), ("alzheimers", "alzheimer"), ("hearing", "hearing"),
    ("falls", "fall")])
def test_stems(word, expected):
    assert stem(word) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Alzheimer's  Café", ["alzheimers", "cafe"]), ("ML1 1AB", ["ml1", "1ab"]),
    ("<script>", ["script"]), ("!!! ???", []), ("day-care/respite", ["day", "care", "respite"])])
def test_words_of(text, expected):
    assert words_of(text) == expected


@pytest.mark.parametrize(("a", "b", "distance"), [
    ("dementai", "dementia", 1), ("carre", "carer", 1), ("gamblng", "gambling", 1),
    ("deaf", "deaf", 0), ("kitten", "sitting", 3)])
def test_edit_distance_counts_a_swap_once(a, b, distance):
    assert edit_distance(a, b, limit=5) == distance


@pytest.mark.parametrize(("typed", "meant"), [
    ("dementai", "dementia"), ("demenita", "dementia"), ("carre", "carer"),
    ("gamblng", "gambling"), ("alzhiemer", "alzheimer")])
def test_a_misspelling_is_corrected_to_the_taxonomy_word(typed, meant):
    assert correction(typed, VOCABULARY) == meant


@pytest.mark.parametrize("word", ["dementia", "deaf", "bus", "stroke", "autism", "2024"])
def test_known_short_or_unrelated_words_are_left_alone(word):
    assert correction(word, VOCABULARY) is None


def test_a_phrase_names_its_need_for_each_of_its_words():
    terms = parse("hard of hearing", VOCABULARY).terms
    assert [t.word for t in terms] == ["hard", "hearing"]  # "of" says nothing
    assert all(t.needs == {"hearing-support"} for t in terms)


def test_dementia_and_memory_meet():
    assert "dementia-support" in parse("memory", VOCABULARY).terms[0].needs
    assert parse("dementai", VOCABULARY).terms[0].needs == {"dementia-support"}
    assert parse("dementai", VOCABULARY).corrections == {"dementai": "dementia"}


def test_a_place_word_is_optional():
    query = parse("carers airdrie", VOCABULARY, place_words=["airdrie"])
    assert [t.word for t in query.required] == ["carers"]


@pytest.mark.parametrize("text", ["", "   ", "!!!", "%_%", "'; --", "\u202e\u0000"])
def test_nothing_to_search_for(text):
    assert parse(text, VOCABULARY).required == ()


def test_a_long_query_is_cut_and_says_so():
    query = parse("carers " + "x" * 300, VOCABULARY)
    assert query.too_long
    many = parse(" ".join(f"x{n}" for n in range(20)), VOCABULARY)
    assert len(many.terms) == MAX_WORDS and many.dropped_words == 20 - MAX_WORDS


@given(st.text(max_size=300))
def test_any_text_gives_safe_stems(text):
    for term in parse(text, VOCABULARY).terms:
        assert all(s and s.isascii() and s.isalnum() for s in term.stems)
        assert len(term.stems[0]) <= 30


def test_the_closest_stem_is_unique_or_none():
    from mle.directory.search_terms import closest

    assert closest("samaratin", ["samaritan", "salmon", "sam"]) == "samaritan"  # two edits
    assert closest("carres", ["carer", "carers"]) == "carers"  # a swap, the same length
    assert closest("zebrafiach", ["zebrafinch", "zebrafilch"]) is None  # as close as each other
    assert closest("carr", ["carer"]) == "carer"
    assert closest("car", ["care"]) is None  # too short to correct
    assert closest("1234", ["1235"]) is None  # numbers are not corrected
    assert closest("dementia", ["dementia"]) is None  # a word is not its own correction
