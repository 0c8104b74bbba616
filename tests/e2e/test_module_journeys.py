"""Every module, in the browser, to a result that shows its advice, a fitting equipment item
with its reason, and matching services; every urgent flag puts its contacts above everything."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from mle.assessment.results import build_result_page, reachable_contacts
from mle.assessment.state import AssessmentState
from mle.database import db
from mle.models import Assessment
from mle.rules import evaluate_module
from mle.security.encryption import decrypt_json
from tests.conftest import load_test_content
from tests.e2e.resident import Resident
from tests.journeys import form_answers

CONTENT = load_test_content()
AGE_LABELS = {"under_16": "Under 16", "16_17": "16 or 17", "18_24": "18 to 24",
              "25_49": "25 to 49", "50_64": "50 to 64", "65_74": "65 to 74",
              "75_84": "75 to 84", "85_plus": "85 or over"}


browser_answers = form_answers  # a test case's answers as the browser types them


def showcase_case(module):
    """The module's first test case whose result has fitting equipment and needs to signpost,
    and no urgent flag."""
    for case in module.tests:
        result = evaluate_module(module.rules, case.answers, case.about)
        if result.equipment and result.needs and not result.urgent:
            return case
    raise AssertionError(f"{module.id}: no test case gives both equipment and signposting")


def urgent_cases():
    for module in CONTENT.modules.values():
        for flag in module.rules.urgent:
            case = next(c for c in module.tests if flag.id in c.expect.get("urgent", ()))
            yield pytest.param(module.id, flag.id, case.id, id=f"{module.id}-{flag.id}")


def complete_in_browser(page, module, case) -> Resident:
    resident = Resident(page, CONTENT)
    resident.start()
    about = dict(case.about)
    resident.about_you(
        answering_for="Myself" if about.get("answering_for", "self") == "self"
        else "Someone I care for or help",
        age=AGE_LABELS[about.get("age_band", "65_74")])
    resident.topics([module.title])
    resident.answer_all({module.id: browser_answers(case)})
    resident.confirm_answers()
    return resident


def expected_page(app):
    with app.app_context():
        assessment = db.session.scalars(select(Assessment)).one()
        state = AssessmentState.from_json(decrypt_json(assessment.state))
        site = app.extensions["mle_site"]
        return build_result_page(site.content, site.area, state)


@pytest.mark.parametrize("module_id", list(CONTENT.modules))
def test_module_result_shows_advice_equipment_and_services(module_id, page, app):
    """Advice, fitting equipment and every matched service the result page builds are on the
    page the person sees."""
    module = CONTENT.module(module_id)
    case = showcase_case(module)
    complete_in_browser(page, module, case)
    expected = expected_page(app)
    section = page.locator(f"section[aria-labelledby='section-{module_id}']")
    summaries = section.locator("summary")
    for index in range(summaries.count()):  # open each folded part, as the person would
        summaries.nth(index).click()
    text = " ".join(section.inner_text().split())
    shown = expected.sections[0]
    assert shown.advice, f"{module_id}: no advice for case {case.id}"
    for advice in shown.advice:
        assert advice.title in text
    assert shown.equipment, f"{module_id}: no fitting equipment for case {case.id}"
    for suggestion in shown.equipment:
        assert suggestion.item.name in text
        assert " ".join(suggestion.item.fits_because.split()) in text
    # Services only where the directory has one a resident can reach: local entries still
    # waiting for an editor's contact details are hidden (tests/integration/
    # test_local_information.py), so some showcases have none yet.
    for match in shown.services:
        assert match.service.name in text


@pytest.mark.parametrize(("module_id", "flag_id", "case_id"), list(urgent_cases()))
def test_urgent_flag_puts_its_contacts_first(module_id, flag_id, case_id, page, app):
    module = CONTENT.module(module_id)
    case = next(c for c in module.tests if c.id == case_id)
    complete_in_browser(page, module, case)
    flag = next(f for f in module.rules.urgent if f.id == flag_id)
    area = app.extensions["mle_site"].area
    headings = page.locator("main h2").all_inner_texts()
    assert headings[0] == "Get help now", headings
    urgent = page.locator("section.mle-urgent")
    urgent_text = " ".join(urgent.inner_text().split())
    # Worded for the person answering: "they" when they answer for someone else.
    message, _because, steps = flag.worded_for(
        module.for_someone_else(case.about.get("answering_for", "self")))
    assert " ".join(message.split()) in urgent_text
    for step in steps:
        assert " ".join(step.split()) in urgent_text
    shown = reachable_contacts(area, flag.contacts)
    assert shown, f"{flag_id}: no contact a resident can reach"
    for contact in shown:
        assert contact.name in urgent_text
    for contact_id in flag.contacts:
        if not area.urgent_contacts[contact_id].reachable:
            assert area.urgent_contacts[contact_id].name not in urgent_text
    # Nothing of the module's own result comes before the urgent contacts.
    first_section = page.locator("main section").first
    assert first_section.get_attribute("class") == "mle-urgent"
