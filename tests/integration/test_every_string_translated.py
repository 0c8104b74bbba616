"""Every resident page, rendered in Polish and in Urdu, has no English left in it except where
the text is marked as English (lang="en").

How a text is judged: each page is fetched twice in one session, in English and then in the
language. A text node of the translated page (and its <title>, aria-label and alt texts) whose
nearest lang attribute is the page's language fails when
  - it has a word of two or more Latin letters, and
  - it is word for word a text of the English page, or an English msgid of the catalogue, and
  - it is not a translation the language's catalogue holds (a msgstr, or a part of one
    between placeholders or markup; numbers aside, so "165 kg" passes when "kg" is held), nor
    a web or email address; a <title> part passes when the page marks that text English.
So a new string fails until the language's catalogue translates it; a name that stays the same
in every language passes once the catalogue holds it; and English data (directory services)
passes only inside an element marked lang="en".
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup, NavigableString

from tests.journeys import answer_questions, begin

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = ROOT / "translations"
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]")
NUMBER = re.compile(r"[0-9][0-9.,]*")
ADDRESS = re.compile(r"(https?://|mailto:)\S+|[^\s@]+@[^\s@]+")
SKIPPED = {"script", "style", "template", "svg"}


@cache
def catalogue(code: str):
    with (CATALOGUES / code / "LC_MESSAGES" / "messages.po").open("rb") as file:
        return read_po(file)


def _texts(message) -> list[str]:
    return [t for t in (message if isinstance(message, (list, tuple)) else [message]) if t]


@cache
def english_msgids() -> frozenset[str]:
    return frozenset(_normal(t) for m in catalogue("en") for t in _texts(m.id))


@cache
def translated_pieces(code: str) -> frozenset[str]:
    """Every translation the catalogue holds, and each part of one between placeholders and
    markup, as a page shows it in separate text nodes."""
    pieces = set()
    for message in catalogue(code):
        for text in _texts(message.string):
            pieces.add(_normal(text))
            for part in re.split(PLACEHOLDER.pattern + r"|<[^>]+>", text):
                if part and part.strip():
                    pieces.add(_normal(part))
    return frozenset(pieces)


def _normal(text: str) -> str:
    return " ".join(text.split())


def _language_of(node) -> str | None:
    for parent in node.parents:
        if getattr(parent, "attrs", None) and parent.get("lang"):
            return parent["lang"]
    return None


def page_texts(soup: BeautifulSoup, code: str | None = None) -> list[str]:
    """The page's texts (text nodes, aria-label and alt), only those in language `code` when
    given."""
    texts = []
    for node in soup.find_all(string=True):
        if not isinstance(node, NavigableString) or type(node).__name__ in {"Comment", "Doctype"}:
            continue
        if any(p.name in SKIPPED for p in node.parents):
            continue
        if code is None or _language_of(node) == code:
            texts.append(_normal(node))
    for tag in soup.find_all(attrs={"aria-label": True}) + soup.find_all(attrs={"alt": True}):
        if code is None or (tag.get("lang") or _language_of(tag)) == code:
            texts += [_normal(tag.get("aria-label", "")), _normal(tag.get("alt", ""))]
    return [t for t in texts if t]


def _passes(text: str, known: frozenset[str], marked_english: set[str]) -> bool:
    if ADDRESS.fullmatch(text):
        return True  # a web or email address is no language's text
    residue = _normal(NUMBER.sub(" ", text))  # "165 kg": the unit is what is translated
    if residue in known or text in known:
        return True
    # A <title> names what the page names, in the same words: a part that is marked English
    # on the page (a service's name) may stand in it.
    # A translated piece may itself hold " - " (the service's name): take those out whole.
    for piece in sorted((k for k in known if " - " in k and k in text), key=len, reverse=True):
        text = text.replace(piece, " - ")
    return all(part in known or part in marked_english or not LATIN_WORD.search(part)
               for part in (p.strip() for p in text.split(" - ")) if part)


def english_left(english: BeautifulSoup, translated: BeautifulSoup, code: str) -> list[str]:
    english_texts = set(page_texts(english, "en"))
    known = translated_pieces(code)
    marked_english = set(page_texts(translated, "en"))
    return sorted({
        text for text in page_texts(translated, code)
        if LATIN_WORD.search(text)
        and (text in english_texts or text in english_msgids()
             or text.rstrip(":.") in english_msgids())
        and not _passes(text, known, marked_english)})


def _soup(client, url: str, code: str, expect: int = 200) -> BeautifulSoup:
    separator = "&" if "?" in url else "?"
    return client.get(f"{url}{separator}lang={code}", expect=expect).soup


def _english_left_on(client, url: str, code: str, status: int = 200) -> list[str]:
    english = _soup(client, url, "en", status)
    return english_left(english, _soup(client, url, code, status), code)


@pytest.mark.parametrize("code", ["pl", "ur"])
def test_resident_pages_have_no_english_outside_text_marked_english(client, content, code):
    found = {}

    def check(url: str, status: int = 200) -> None:
        left = _english_left_on(client, url, code, status)
        if left:
            found[url] = left

    check("/")
    begin(client)
    check("/about-you")
    check("/topics")
    client.submit("/topics", {"topics": ["bathing", "falls"]})
    check(client.get("/check-answers", expect=302).location)
    answer_questions(client, content)
    check("/check-answers")
    client.submit("/check-answers")
    check("/result")
    check("/local-information/")
    topic = "/local-information/topic/money-advice?where=ML5+2QT"
    check(topic)
    service = client.get(topic).soup.select_one("a[href^='/local-information/service/']")
    assert service is not None, "the topic page lists no service to check"
    check(service["href"].split("?")[0])
    check("/no-such-page", 404)
    assert not found, f"English text in {code} pages outside lang=en: {found}"


@pytest.mark.parametrize("code", ["pl", "ur"])
def test_form_errors_are_in_the_language_with_the_error_prefix(client, code):
    start = client.get("/")
    client.post("/start", {"csrf_token": start.csrf_token})
    english_page = client.get("/about-you?lang=en")
    english = client.post("/about-you", {"csrf_token": english_page.csrf_token,
                                         "postcode": "nonsense"}, expect=200).soup
    page = client.get(f"/about-you?lang={code}")
    translated = client.post("/about-you", {"csrf_token": page.csrf_token,
                                            "postcode": "nonsense"}, expect=200).soup
    assert translated.select(".govuk-error-message"), "the bad postcode shows no error"
    assert english_left(english, translated, code) == []


def test_the_check_finds_english_that_is_not_marked(client):
    """The check itself: an untranslated sentence fails, the same marked lang="en" passes."""
    english = BeautifulSoup('<html lang="en"><body><p>Call the falls service</p></body></html>',
                            "html.parser")
    plain = BeautifulSoup('<html lang="pl"><body><p>Call the falls service</p></body></html>',
                          "html.parser")
    marked = BeautifulSoup('<html lang="pl"><body><p lang="en">Call the falls service</p>'
                           '</body></html>', "html.parser")
    assert english_left(english, plain, "pl") == ["Call the falls service"]
    assert english_left(english, marked, "pl") == []
