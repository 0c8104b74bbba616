"""The search document's columns, and the index patterns each database is asked (the words and
term ids a query may match, by field): pure, no database."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mle.directory.search_index import (
    STORED_WORD_CHARS,
    STORED_WORDS,
    SearchIndex,
    document_words,
    every_place,
    field_words,
    filed_under,
    localities,
    places,
    sort_name,
    word_start_in,
    words,
)
from mle.directory.search_terms import words_of

POSTGRESQL, SQLITE = SearchIndex("postgresql"), SearchIndex("sqlite")


@pytest.mark.parametrize(("text", "stored"), [
    ("Carers' Café (North)", "carers cafe north"),
    ("day-care/respite, day-care", "day care respite"),
    ("Alzheimer\u2019s   support", "alzheimers support"),
    ("#carers @home", "carers home"),
    ("!!! ???", ""), (None, "")])
def test_a_field_is_stored_as_the_query_reads_words_once_each(text, stored):
    assert field_words(text) == stored


def test_long_words_and_very_long_fields_are_cut_where_no_query_can_tell():
    assert field_words("a" * 500) == "a" * STORED_WORD_CHARS
    many = " ".join(f"w{n}" for n in range(STORED_WORDS + 50))
    kept = field_words(many).split()
    assert len(kept) == STORED_WORDS and kept[0] == "w0"


@given(st.text(max_size=200))
def test_stored_words_are_letters_and_digits_the_query_reader_would_find(text):
    stored = field_words(text).split()
    assert all(w.isascii() and w.isalnum() and w == w.lower() for w in stored)
    assert set(stored) == {w[:STORED_WORD_CHARS] for w in words_of(text)}


def test_the_indexed_columns_keep_only_term_ids_either_index_can_hold():
    found = words("Carers hub", "For carers.", "Carers Trust",
                  ["carer-support", "carer-support", "short-breaks", "Has Spaces", "x'y", ""])
    assert found == {"name_words": "carers hub", "description_words": "for carers",
                     "organisation_words": "carers trust",
                     "topic_ids": "carer-support short-breaks"}


def test_localities_and_places_columns():
    assert localities(["wishaw", None, "airdrie", "wishaw"]) == "|airdrie|wishaw|"
    assert localities([]) == ""
    # PostgreSQL's index reads locality ids as lexemes: only slugs are kept.
    assert localities(["north", "a b", "x'y", "Wishaw", "motherwell-wishaw"]) \
        == "|motherwell-wishaw|north|"
    assert places([]) == {"locations": 0, "latitude": None, "longitude": None}
    assert places([(55.8, -4.0), (55.8, -4.0)]) == {"locations": 1, "latitude": 55.8,
                                                      "longitude": -4.0}
    assert places([(55.8, -4.0), (55.9, -4.1)])["locations"] == 2
    assert places([(55.8, -4.0), (55.9, -4.1)])["latitude"] is None


def test_every_place_is_kept_only_when_there_are_several():
    assert every_place([]) == every_place([(55.8, -4.0), (55.8, -4.0)]) \
        == {"latitudes": None, "longitudes": None}
    assert every_place([(55.9, -4.1), (55.8, -4.0), (55.9, -4.1)]) \
        == {"latitudes": [55.8, 55.9], "longitudes": [-4.0, -4.1]}


def test_names_are_ordered_by_their_words_as_a_query_reads_them():
    assert sort_name("St. Mary's Caf\u00e9 (Wishaw)") == "st marys cafe wishaw"
    assert sort_name("Age Concern, Age Scotland") == "age concern age scotland"  # not once each
    assert sort_name(None) == sort_name("!!!") == ""
    assert len(sort_name("word " * 100)) == 200


def test_the_word_list_holds_each_word_with_its_field():
    document = words("Carers centre", "Support for carers", "Carers Trust", ["carer-support"])
    assert document_words(document) == {
        ("carers", "name"), ("centre", "name"), ("support", "description"),
        ("for", "description"), ("carers", "description"), ("carers", "organisation"),
        ("trust", "organisation")}


def test_postgresql_patterns_keep_term_ids_apart_from_word_starts():
    assert POSTGRESQL.word(["carer", "carre"], ["carer-support"]) \
        == "('carer':* | 'carre':* | '#carer-support')"
    assert POSTGRESQL.word(["carer"]) == "('carer':*)"
    assert POSTGRESQL.word([], ["carer-support"]) == "('#carer-support')"
    assert POSTGRESQL.all_of(["(a)", "(b)"]) == "(a) & (b)"
    assert POSTGRESQL.any_of(["(a)", "(b)"]) == "(a) | (b)"


def test_postgresql_is_asked_for_the_whole_words_a_start_stands_for():
    index = SearchIndex("postgresql", {
        "carer": {"name": ("carers",), "description": ("carer", "carers")},
        "zebra": {}})  # no document has a word starting "zebra"
    assert index.word(["carer", "carre"], ["carer-support"]) \
        == "('carer' | 'carers' | 'carre':* | '#carer-support')"
    assert index.word(["zebra"]) is None
    assert index.word(["zebra"], ["hearing-support"]) == "('#hearing-support')"
    # SQLite's index is asked for the start, whatever the list says.
    assert SearchIndex("sqlite", index.whole_words).word(["carer"]) \
        == '({name_words description_words organisation_words} : ("carer"*))'


def test_a_field_is_scored_only_when_a_word_of_it_may_start_so():
    index = SearchIndex("sqlite", {"carer": {"name": ("carers",)}, "zebra": {}})
    assert index.may_start("carer", "name")
    assert not index.may_start("carer", "description")
    assert not index.may_start("zebra", "name")
    assert index.may_start("carre", "organisation")  # not looked up: any field may


def test_places_are_asked_of_postgresql_s_index_only():
    assert POSTGRESQL.offered("airdrie", True) == "('@wide' | '@in-airdrie')"
    assert POSTGRESQL.offered(None, False) == "'@national'"
    assert POSTGRESQL.offered("airdrie", False) == "'@national'"
    assert POSTGRESQL.offered(None, True) is None  # every service is offered
    assert POSTGRESQL.offered("x' | 'y", True) == "'@wide'"  # no such locality
    assert SQLITE.offered("airdrie", True) is None and SQLITE.offered(None, False) is None


def test_sqlite_patterns_name_the_columns():
    assert SQLITE.word(["carer"], ["carer-support"]) == (
        '({name_words description_words organisation_words} : ("carer"*) OR '
        '{topic_ids} : ("carer-support"))')
    assert SQLITE.word(["carer", "carre"]) == \
        '({name_words description_words organisation_words} : ("carer"* OR "carre"*))'
    assert SQLITE.all_of(["(a)", "(b)"]) == "(a) AND (b)"
    assert SQLITE.any_of(["(a)", "(b)"]) == "(a) OR (b)"


@pytest.mark.parametrize("index", [POSTGRESQL, SQLITE])
def test_nothing_to_match_is_no_pattern_and_odd_text_never_reaches_one(index):
    assert index.word([], []) is None
    assert index.word(["it's", "a b", "\"x\"", "*", "%"], ["'; --", "Upper", "a_b"]) is None


def test_which_field_a_word_is_in_is_read_from_the_stored_words():
    from sqlalchemy import column, table
    from sqlalchemy.dialects import sqlite

    row = table("service_search", column("name_words"), column("topic_ids"))

    def sql(clause):
        return str(clause.compile(dialect=sqlite.dialect(),
                                  compile_kwargs={"literal_binds": True}))

    assert sql(word_start_in(row, "name", ["carer", "x%y"])) \
        == "(' ' || service_search.name_words) LIKE '% carer%'"
    assert sql(filed_under(row, ["carer-support"])) \
        == "(' ' || service_search.topic_ids || ' ') LIKE '% carer-support %'"
    assert sql(filed_under(row, [])) == "0 = 1"  # false
