"""Locale selection and the look-up of content text for the current language.

Content text is looked up by its English wording, the msgid the extractor wrote, so a string
with no translation yet (or a catalogue that is missing) shows the English, never a blank.
The person chooses a language with ?lang= (the switcher's links); the choice is kept in the
session. Accept-Language is not used: the translations are drafts until reviewed, so nobody
is moved into one without choosing it. An unknown code means English, with no error.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

from flask import Flask, g, request, session
from flask_babel import LazyString, gettext

from mle.i18n.bidi import isolate, isolate_numbers
from mle.i18n.languages import ENGLISH, Language

SESSION_KEY = "lang"


def N_(text: str) -> str:
    """Marks text for extraction without translating it (it is looked up later)."""
    return text


DRAFT_NOTICE = N_("This translation is a draft made with the help of a machine. A qualified "
                  "translator has not checked it yet. If something is not clear, choose English.")


def languages() -> tuple[Language, ...]:
    from mle.site import site

    return site().area.languages or (ENGLISH,)


def language_for(code: str | None) -> Language:
    """The enabled language with this code; English for anything else."""
    return next((x for x in languages() if x.code == code), ENGLISH)


def current_language() -> Language:
    if not request:
        return ENGLISH
    if "mle_language" not in g:
        g.mle_language = language_for(session.get(SESSION_KEY))
    return g.mle_language


def content_text(text: str | None) -> str | None:
    """Content text in the current language; the English where there is no translation.
    In a right-to-left language, phone numbers written in the text stay left to right."""
    if not text:
        return text
    shown = gettext(text)
    return isolate_numbers(shown) if current_language().rtl else shown


def ltr_text(value) -> str:
    """A number, postcode, reference or link in plain text (an email), kept left to right in a
    right-to-left language; as it is otherwise."""
    if value is None or value == "":
        return ""
    return isolate(value) if current_language().rtl else str(value)


def lazy_content_text(text: str | None):
    """As content_text, but looked up when shown (for forms built once and cached)."""
    return LazyString(content_text, text) if text else text


def draft_notice() -> dict:
    """The draft-translation notice in the current language and in English."""
    return {"translated": gettext(DRAFT_NOTICE), "english": DRAFT_NOTICE}


def switcher_links() -> list[dict]:
    """One link per language to this page in that language, for the language switcher."""
    current = current_language()
    args = request.args.to_dict(flat=False)
    links = []
    for language in languages():
        args[SESSION_KEY] = [language.code]
        links.append({"language": language, "current": language == current,
                      # The path as sent, %-encoded again: whatever it holds, the link stays a link.
                      "href": f"{quote(request.path)}?{urlencode(args, doseq=True)}"})
    return links


def _remember_choice() -> None:
    if SESSION_KEY in request.args:
        # Store only a code we offer: anything else quietly means English.
        session[SESSION_KEY] = language_for(request.args.get(SESSION_KEY)).code
        g.pop("mle_language", None)


def init_i18n(app: Flask) -> None:
    from mle.extensions import babel

    babel.init_app(app, locale_selector=lambda: current_language().code)
    app.before_request(_remember_choice)
    app.add_template_filter(content_text, "translated")
    app.add_template_filter(ltr_text)
    app.add_template_global(current_language)
    app.add_template_global(switcher_links)
    app.add_template_global(draft_notice)
