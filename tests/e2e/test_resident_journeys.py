"""Each of the first three modules completed to a result in a real browser, axe-clean."""

from __future__ import annotations

from tests.e2e.resident import Resident, axe_violations


def test_bathing_by_keyboard_alone(page, content):
    resident = Resident(page, content, keyboard_only=True)
    resident.start()
    resident.about_you()
    resident.topics(["Bathing and showering"])
    resident.answer_all({"bathing": {"wash_where": "bath", "can_step_over": "no",
                                     "can_lift_legs": "yes", "bath_inner_width_cm": "62"}})
    resident.confirm_answers()
    text = page.locator("main").text_content()  # with the folded parts
    assert "Bath board" in text
    assert "You told us" in text
    assert len(resident.scanned) >= 8
    # The printed result keeps the result and drops the navigation and links to act online.
    page.emulate_media(media="print")
    assert page.locator(".govuk-generic-header").is_hidden()
    assert page.locator(".govuk-footer").is_hidden()
    assert page.get_by_role("link", name="Get a code to come back to these results").is_hidden()
    assert page.get_by_role("heading", name="Bathing and showering").is_visible()


def test_caring_for_someone_without_javascript(page_without_js, new_page, content):
    resident = Resident(page_without_js, content, scanner=new_page())
    resident.start()
    resident.about_you(answering_for="Someone I care for or help", age="50 to 64")
    resident.topics(["Caring for someone"])
    resident.answer_all()
    resident.confirm_answers()
    assert "Caring for someone" in page_without_js.locator("main").inner_text()
    # Without JavaScript the print button stays hidden; the page itself still prints.
    assert page_without_js.get_by_role("button", name="Print your results").count() == 0


def test_mind_and_memory_saved_and_resumed_in_another_browser(page, new_page, content):
    resident = Resident(page, content)
    resident.start()
    resident.about_you()
    resident.topics(["Mind and memory"])
    first = content.module("memory").questions[0]
    resident.answer(first, default_for(first))
    resident.activate(page.get_by_role("link", name="Save and come back later"))
    resident.activate(page.get_by_role("button", name="Get a code"))
    code = page.locator("#resume-code").inner_text()

    later = Resident(new_page(), content)
    later.open("/resume")
    later.type_into("Return to your saved answers", code)
    later.press_continue()
    assert later.current_question().id != first.id
    later.answer_all()
    later.confirm_answers()
    assert "Mind and memory" in later.page.locator("main").inner_text()


def default_for(question):
    from tests.journeys import default_answer

    return default_answer(question)


def test_the_information_pages_pass_the_scan(page, content):
    visitor = Resident(page, content)
    paths = ("/privacy", "/accessibility", "/resume", "/session-ended", "/no-such-page",
             "/local-information/", "/local-information/topic/money-advice?where=ML5+2QT",
             "/local-information/search?q=carers&where=bad", "/local-information/search?q=",
             "/local-information/service/nl-community-alarm")
    for path in paths:
        visitor.open(path)
    assert len(visitor.scanned) == len(paths)


def test_the_accessibility_scan_catches_a_real_failure(page):
    """Guards the scan itself: a page with known WCAG failures must not pass."""
    page.route("**/broken", lambda route: route.fulfill(
        content_type="text/html",
        body="<html><head><title>x</title></head><body><img src='a.png'>"
             "<input type='text'></body></html>"))
    page.goto("/broken")
    violations = " ".join(axe_violations(page))
    assert "image-alt" in violations and "label" in violations


def test_a_warning_before_the_session_ends_lets_the_person_carry_on(app, page, content):
    lifetime = app.config["PERMANENT_SESSION_LIFETIME"].total_seconds()
    before = app.config["MLE_SESSION_WARNING_SECONDS"]
    app.config["MLE_SESSION_WARNING_SECONDS"] = int(lifetime) - 1  # warn after a second
    try:
        resident = Resident(page, content, keyboard_only=True)
        resident.start()
        dialog = page.get_by_role("alertdialog")
        dialog.wait_for(state="visible", timeout=5000)
        assert page.evaluate("document.activeElement.id") == "session-timeout-title"
        assert axe_violations(page) == []
        with page.expect_response("**/session/extend") as extended:
            page.keyboard.press("Tab")
            page.keyboard.press("Enter")
        assert extended.value.status == 204
        assert dialog.is_hidden()
        app.config["MLE_SESSION_WARNING_SECONDS"] = before
        resident.open("/about-you")
        resident.about_you()  # the session still works after carrying on
        assert page.get_by_role("heading", level=1).inner_text() == \
            "Which things do you want help with?"
    finally:
        app.config["MLE_SESSION_WARNING_SECONDS"] = before
