"""The translations check (stale template, missing strings) and the split/merge tools, on
small fixture catalogues."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.catalog import Catalog

from mle.i18n.catalogues import (
    TEMPLATE,
    missing_strings,
    read_catalogue,
    stale_template,
    template_differences,
)
from mle.i18n.po_tools import MergeError, init_draft, merge, split, write_catalogue


def catalogue(*messages, locale=None) -> Catalog:
    result = Catalog(locale=locale)
    for message in messages:
        msgid, string, *flags = message
        result.add(msgid, string, flags=flags)
    return result


def test_the_committed_template_matches_a_fresh_extraction():
    assert stale_template() == []


def test_a_template_missing_a_string_or_keeping_an_old_one_is_stale(tmp_path):
    current = read_catalogue(TEMPLATE)
    del current["Find help with everyday life"]
    current.add("A string nobody uses any more")
    old = tmp_path / "messages.pot"
    write_catalogue(current, old)
    assert stale_template(old) == [
        "not in the template: 'Find help with everyday life'",
        "no longer in the code or content: 'A string nobody uses any more'",
    ]


def test_the_header_and_translations_do_not_make_a_template_stale():
    one = catalogue(("Yes", ""), ("No", ""))
    other = catalogue(("No", "Nie"), ("Yes", "Tak"))
    other.creation_date = one.creation_date.replace(year=2001)
    assert template_differences(one, other) == []


def write_po(path: Path, cat: Catalog) -> Path:
    write_catalogue(cat, path / cat.locale.language / "LC_MESSAGES" / "messages.po")
    return path


def test_untranslated_fuzzy_and_absent_entries_are_missing(tmp_path):
    template = catalogue(("Yes", ""), ("No", ""), ("Maybe", ""), ("Later", ""),
                         (("%(n)d day", "%(n)d days"), ("", "")))
    write_po(tmp_path, catalogue(("Yes", "Tak"), ("No", "Nie", "fuzzy"), ("Maybe", ""),
                                 (("%(n)d day", "%(n)d days"), ("%(n)d dzień", "", "")),
                                 locale="pl"))
    missing = missing_strings("pl", template, tmp_path)
    # Maybe is empty, Later is absent, the plural lacks two of its forms; No is fuzzy.
    assert (missing.untranslated, missing.fuzzy, missing.total) == (3, 1, 5)


def test_a_complete_catalogue_misses_nothing(tmp_path):
    template = catalogue(("Yes", ""), ("No", ""))
    write_po(tmp_path, catalogue(("Yes", "Tak"), ("No", "Nie"), locale="pl"))
    assert missing_strings("pl", template, tmp_path).count == 0


def test_a_language_with_no_catalogue_misses_everything(tmp_path):
    template = catalogue(("Yes", ""), ("No", ""))
    assert missing_strings("ur", template, tmp_path).untranslated == 2


def test_a_draft_catalogue_says_so_and_has_every_string_untranslated(tmp_path):
    template = tmp_path / "messages.pot"
    write_catalogue(catalogue(("Yes", ""), (("%(n)d day", "%(n)d days"), ("", ""))), template)
    path = init_draft("pl", "Polish", template, tmp_path)
    text = path.read_text("utf-8")
    assert "# DRAFT Polish translation" in text and "NOT YET REVIEWED" in text
    assert "#, fuzzy" not in text.split("msgid", 1)[0]  # compiles without --use-fuzzy
    draft = read_catalogue(path)
    assert draft.num_plurals == 3
    assert missing_strings("pl", read_catalogue(template), tmp_path).untranslated == 2


def test_split_then_merge_brings_the_translations_back(tmp_path):
    source = catalogue(*[(f"String {n}", "") for n in range(10)], ("Done", "Gotowe"),
                       locale="pl")
    path = tmp_path / "messages.po"
    write_catalogue(source, path)
    chunks = split(path, 3, tmp_path / "chunks")
    sizes = [len([m for m in read_catalogue(c) if m.id]) for c in chunks]
    assert sizes == [4, 3, 3]  # only the 10 untranslated entries, shared out
    for chunk in chunks:  # each translator fills in their part
        part = read_catalogue(chunk)
        for message in part:
            if message.id:
                message.string = message.id.replace("String", "Tekst")
        write_catalogue(part, chunk)
    assert merge(path, chunks) == 10
    merged = read_catalogue(path)
    assert merged["String 7"].string == "Tekst 7"
    assert merged["Done"].string == "Gotowe"


def test_merge_leaves_alone_what_a_chunk_left_empty_and_refuses_unknown_strings(tmp_path):
    path = tmp_path / "messages.po"
    write_catalogue(catalogue(("Yes", "Tak"), ("No", ""), locale="pl"), path)
    chunk = tmp_path / "chunk.po"
    write_catalogue(catalogue(("Yes", ""), ("No", "Nie"), locale="pl"), chunk)
    assert merge(path, [chunk]) == 1
    merged = read_catalogue(path)
    assert (merged["Yes"].string, merged["No"].string) == ("Tak", "Nie")
    write_catalogue(catalogue(("Not in the catalogue", "Nie ma"), locale="pl"), chunk)
    with pytest.raises(MergeError, match="Not in the catalogue"):
        merge(path, [chunk])
