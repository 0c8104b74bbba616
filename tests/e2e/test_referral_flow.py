"""A resident asks for a referral and an equipment item; the right teams see them and act;
an assessor completes an assisted assessment. Every page is scanned with axe-core."""

from __future__ import annotations

from tests.e2e.resident import Resident
from tests.e2e.test_staff_pages import sign_in
from tests.staff import email_of, make_staff

# Cannot get down into the bath, but can step over its side, lift their legs and sit steadily:
# a bath board they can request, and an occupational therapist for a bath lift.
BOARD_AND_OT = {"bathing": {"wash_where": "bath", "can_step_over": "yes", "can_sit_in_bath": "no",
                            "can_lift_legs": "yes", "sit_steady": "yes", "weight_kg": "70",
                            "bath_inner_width_cm": "62"}}


def fill_contact(person: Resident, address_label: str = "Address") -> None:
    person.type_into("Full name", "Morag Example")
    person.type_into("Phone number", "01698 123456")
    person.type_into(address_label, "1 Example Street, Coatbridge")
    person.choose("I agree that my answers and these contact details can be shared with "
                  "this team")


def test_referral_and_equipment_requests_reach_the_right_teams(app, page, new_page, content):
    resident = Resident(page, content)
    resident.start()
    resident.about_you()
    resident.topics(["Bathing and showering"])
    resident.answer_all(BOARD_AND_OT)
    resident.confirm_answers()

    page.get_by_text("Equipment that could help").click()  # open the folded part
    resident.activate(page.get_by_role("link", name="Ask the equipment service for a bath board")
                      .first)
    resident.choose("The measurements shown are right")
    fill_contact(resident, "Delivery address")
    resident.press_continue("Send my request")
    assert page.locator(".govuk-error-summary").count() == 0, page.locator(
        ".govuk-error-summary").inner_text()
    assert page.get_by_role("heading", level=1).inner_text() == "Request sent", page.url
    equipment_reference = page.locator(".govuk-panel__body strong").inner_text()

    resident.activate(page.get_by_role("link", name="Back to your results"))
    resident.activate(page.get_by_role("link", name="Occupational therapy (social work): "
                                                    "ask them to contact you"))
    fill_contact(resident)
    resident.press_continue("Send my request")
    assert page.get_by_role("heading", level=1).inner_text() == "Request sent"
    reference = page.locator(".govuk-panel__body strong").inner_text()

    assessor = Resident(new_page(), content, keyboard_only=True)
    sign_in(assessor, email_of(app, make_staff(app, ["assessor"], team="occupational-therapy")))
    assessor.activate(assessor.page.get_by_role("link", name="Requests"))
    assert equipment_reference not in assessor.page.locator("main").inner_text()
    assessor.activate(assessor.page.get_by_role("link", name=reference))
    assert "Morag Example" in assessor.page.locator("main").inner_text()
    assessor.choose_radio(assessor.page.locator("fieldset").first, "Accepted")
    assessor.press_continue("Update status")
    assessor.choose_radio(assessor.page.locator("fieldset").first, "Closed")
    assessor.type_into("Outcome or reason", "Grab rails fitted")
    assessor.press_continue("Update status")
    assert "Grab rails fitted" in assessor.page.locator("main").inner_text()

    equipment = Resident(new_page(), content)
    sign_in(equipment, email_of(app, make_staff(app, ["assessor"], team="equipment-service")))
    equipment.activate(equipment.page.get_by_role("link", name="Requests"))
    equipment.activate(equipment.page.get_by_role("link", name=equipment_reference))
    assert "Bath" in equipment.page.locator("main").inner_text()


def test_an_assisted_assessment_from_start_to_result(app, page, content):
    assessor = Resident(page, content)
    sign_in(assessor, email_of(app, make_staff(app, ["assessor"], team="carers-support")))
    assessor.activate(page.get_by_role("link", name="Assisted assessment"))
    assessor.choose_radio(page.locator("fieldset").first, "By phone with the person")
    assessor.choose("The person agreed to do this assessment with me, and knows their answers "
                    "are kept for 90 days")
    assessor.press_continue("Start the assessment")
    assert "Assisted assessment" in page.locator(".govuk-inset-text").first.inner_text()
    assessor.about_you(answering_for="Someone I care for or help", age="50 to 64")
    assessor.topics(["Caring for someone"])
    assessor.answer_all()
    assessor.type_into("Add a note to this assessment", "Spoke with the carer by phone")
    assessor.press_continue("Add note")
    assessor.confirm_answers()
    assert "Spoke with the carer by phone" in page.locator("main").inner_text()
