"""Languages a deployment offers, from area.yaml."""

from __future__ import annotations

import pytest

from mle.i18n.languages import ENGLISH, LanguageError, parse_languages


def test_english_is_always_first_and_disabled_languages_are_left_out():
    languages = parse_languages([
        {"code": "pl", "name": "Polski", "draft": True},
        {"code": "ur", "name": "اردو", "direction": "rtl"},
        {"code": "gd", "name": "Gàidhlig", "enabled": False},
        {"code": "en", "name": "English again"},
    ])
    assert [x.code for x in languages] == ["en", "pl", "ur"]
    assert languages[0] == ENGLISH
    assert languages[1].draft and not languages[1].rtl
    assert languages[2].rtl and not languages[2].draft


def test_no_languages_listed_means_english_only():
    assert parse_languages(None) == (ENGLISH,)


@pytest.mark.parametrize("raw, problem", [
    ([{"code": "ur", "name": "Urdu", "direction": "right"}], "ltr or rtl"),
    ([{"code": "pl", "name": "Polski"}, {"code": "pl", "name": "Polski"}], "twice"),
])
def test_bad_language_settings_are_refused(raw, problem):
    with pytest.raises(LanguageError, match=problem):
        parse_languages(raw)
