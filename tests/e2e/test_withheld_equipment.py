"""Equipment the answers rule out, in the browser: the bath board for someone who cannot lift
their legs is not suggested, the reason is shown up front, and an assessment is offered."""

from __future__ import annotations

from tests.conftest import load_test_content
from tests.e2e.test_module_journeys import complete_in_browser

CONTENT = load_test_content()
BATHING = CONTENT.module("bathing")


def _case_withholding(item_id: str):
    """The bathing test case that proves the item is withheld because the legs do not lift."""
    for case in BATHING.tests:
        withheld = item_id in case.expect.get("withheld", ())
        if withheld and case.answers.get("can_lift_legs") is False:
            return case
    raise AssertionError(f"no bathing test case withholds {item_id} for legs that do not lift")


def test_bath_board_withheld_with_its_reason_up_front(page, app):
    case = _case_withholding("bath-board")
    complete_in_browser(page, BATHING, case)
    section = page.locator("section[aria-labelledby='section-bathing']")
    text = " ".join(section.inner_text().split())
    board = CONTENT.equipment["bath-board"]
    reason = next(n.because for n in BATHING.rules.equipment["bath-board"].not_for
                  if n.because and "can_lift_legs" in n.when.text)

    assert f"We have not suggested: {board.name}." in text
    assert reason in text
    # Up front: before anything we do suggest, and never inside a folded details element.
    withheld = section.locator(".mle-withheld")
    assert withheld.is_visible()
    assert withheld.locator("xpath=ancestor::details").count() == 0
    folded = section.locator("summary")
    assert folded.count() > 0
    assert all(withheld.bounding_box()["y"] < folded.nth(i).bounding_box()["y"]
               for i in range(folded.count()))
    # No way to request it, and an occupational therapy assessment is offered instead.
    main = page.locator("main")
    for index in range(folded.count()):
        folded.nth(index).click()
    assert main.get_by_role("link", name=f"Ask the equipment service for a "
                                         f"{board.name.lower()}").count() == 0
    ot = app.extensions["mle_site"].area.teams["occupational-therapy"]
    assert main.locator(".mle-plan").get_by_role(
        "link", name=f"{ot.name}: ask them to contact you").count() == 1
