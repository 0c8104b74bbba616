"""A complete journey in Polish and in Urdu (right to left), axe-clean on every page.

What the page should say is looked up in the catalogues the app uses: the service's own
(translations/) over the few fixture strings in tests/fixtures/translations. Until the real
translations land only the fixture strings are translated; the test asserts those appear
(and that the rest falls back to English, since the journey still completes). Once the real
catalogues are filled in, their translations win and the same test checks them.
"""

from __future__ import annotations

import pytest
from flask_babel import force_locale, gettext

from tests.e2e.resident import Resident

# Interface and content strings the journey must show translated (the fixture has them).
MUST_BE_TRANSLATED = ["Find help with everyday life", "Start now", "Continue",
                      "Bathing and showering", "How do you usually wash?", "Your results"]


@pytest.fixture
def translator(app):
    def for_language(code: str):
        def translate(text: str) -> str:
            with app.test_request_context(), force_locale(code):
                return gettext(text)
        return translate
    return for_language


@pytest.mark.parametrize("code, direction", [("pl", "ltr"), ("ur", "rtl")])
def test_a_complete_journey_in_another_language(page, content, translator, code, direction):
    t = translator(code)
    assert [s for s in MUST_BE_TRANSLATED if t(s) == s] == []
    resident = Resident(page, content, t=t)
    resident.open(f"/?lang={code}")
    html = page.locator("html")
    assert (html.get_attribute("lang"), html.get_attribute("dir")) == (code, direction)
    assert page.evaluate("getComputedStyle(document.body).direction") == direction
    assert page.get_by_role("heading", level=1).inner_text() == t("Find help with everyday life")
    assert page.locator("#draft-translation").is_visible()
    resident.activate(page.get_by_role("button", name=t("Start now")))
    resident.about_you()
    resident.topics(["Bathing and showering"])

    # The first question, in the language, its radios on the reading side.
    assert page.get_by_role("heading", level=1).inner_text() == t("How do you usually wash?")
    first = page.locator(".govuk-radios__item").first
    box = first.locator("input").bounding_box()
    label = first.locator("label").bounding_box()
    assert (box["x"] > label["x"]) == (direction == "rtl")

    resident.answer_all({"bathing": {"wash_where": "bath", "can_step_over": "no",
                                     "can_lift_legs": "yes", "bath_inner_width_cm": "62"}})
    resident.confirm_answers()
    text = page.locator("main").text_content()  # with the folded parts
    assert t("Bath board") in text
    assert t("Bathing and showering") in text
    assert page.locator("html").get_attribute("dir") == direction
    assert len(resident.scanned) >= 8


@pytest.mark.parametrize("code", ["pl", "ur"])
def test_information_pages_pass_the_scan_in_each_language(page, content, code):
    resident = Resident(page, content)
    resident.open(f"/privacy?lang={code}")
    for path in ["/accessibility", "/local-information/", "/local-information/topic/advocacy",
                 "/resume"]:
        resident.open(path)
        assert page.locator("html").get_attribute("lang") == code
