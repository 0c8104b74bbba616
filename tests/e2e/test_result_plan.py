"""A result a person can take in at a glance, in a real browser: the plan first, each service
shown in full once, and "they" for a daughter answering for her mother; every page axe-clean."""

from __future__ import annotations

import re

from tests.e2e.resident import Resident, axe_violations, tab_to
from tests.journeys import form_answers

DESKTOP = {"width": 1280, "height": 800}


def answers(content, **cases) -> dict:
    return {module_id: form_answers(next(c for c in content.module(module_id).tests
                                         if c.id == case_id))
            for module_id, case_id in cases.items()}


def test_a_daughter_answering_for_her_mother_gets_a_plan_about_her(page, content):
    resident = Resident(page, content)
    resident.start()
    resident.about_you(answering_for="Someone I care for or help", age="85 or over")
    resident.topics(["Bathing and showering", "Falls and feeling steady"])
    first = resident.current_question()
    assert page.get_by_role("heading", level=1).inner_text() == first.text
    assert first.text == content.module("bathing").question(first.id).text_for_someone_else
    resident.answer_all(answers(content, bathing="fell-in-shower-standing-hard",
                                falls="hurt-in-a-fall-yesterday"))
    resident.confirm_answers()
    main = page.locator("main")

    # Get help now, then the plan, then the details by topic.
    tops = [page.locator(s).bounding_box()["y"]
            for s in (".mle-urgent", ".mle-plan", ".mle-result-section >> nth=0")]
    assert tops == sorted(tops)
    steps = page.locator(".mle-plan li[data-step]")
    assert 1 <= steps.count() <= 5
    assert steps.first.get_attribute("data-step") == "referral"

    # About her, not about the daughter.
    text = main.inner_text()
    assert "You told us they fell in the last 2 days" in text
    assert not re.search(r"You told us (you|your)\b", text)
    assert main.get_by_role("heading", name="What you told us about them").count() == 2

    # A service both topics need: one card, under the first topic; the other points to it.
    cards = page.locator(".mle-result-section h5[id^=service-]")
    ids = [cards.nth(i).get_attribute("id") for i in range(cards.count())]
    assert ids and len(ids) == len(set(ids))
    falls = page.locator("section[aria-labelledby=section-falls]")
    assert falls.get_by_text("Services shown under another topic that help with this too:")\
        .count() == 1

    # The folded parts open from the keyboard, and the page stays axe-clean open.
    summary = page.locator(".mle-result-section summary").first
    tab_to(page, summary)
    page.keyboard.press("Enter")
    assert summary.locator("xpath=..").evaluate("el => el.open")
    assert axe_violations(page) == []


def test_an_82_year_olds_plan_fits_the_first_screen_on_a_desktop(new_page, content):
    page = new_page(viewport=DESKTOP)
    resident = Resident(page, content, keyboard_only=True)
    resident.start()
    resident.about_you(age="75 to 84")
    resident.topics(["Bathing and showering", "Falls and feeling steady"])
    resident.answer_all(answers(content, bathing="fell-in-shower-standing-hard",
                                falls="one-fall-and-unsteady"))
    resident.confirm_answers()
    plan = page.locator(".mle-plan").bounding_box()
    assert plan["y"] + plan["height"] <= DESKTOP["height"]
    # Printed from the browser, the folded details are on paper too.
    page.emulate_media(media="print")
    advice = page.locator(".mle-result-section details h5").first
    assert advice.is_visible()
