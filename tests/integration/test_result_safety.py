"""What the result says when answers rule things out, whose answers they are, and what else to
answer, through the real content and pages."""

from __future__ import annotations

from tests.journeys import begin, complete


def section_text(page, module_id: str) -> str:
    section = page.soup.find("section", attrs={"aria-labelledby": f"section-{module_id}"})
    return " ".join(section.get_text(" ").split())


def test_a_bath_narrower_than_every_board_says_so_and_why(client, content):
    result = complete(client, content, ["bathing"], {"bathing": {
        "wash_where": "bath", "can_step_over": "no", "can_lift_legs": "yes",
        "sit_steady": "yes", "weight_kg": "70", "bath_inner_width_cm": "45"}})
    text = section_text(result, "bathing")
    board = content.equipment["bath-board"]
    assert "may not fit the measurements you gave" in text
    assert f"{board.name}: {' '.join(board.fits_because.split())}" in text
    assert result.soup.find("a", href="/result/bathing/equipment/bath-board") is None


def test_someone_answering_for_another_is_asked_and_told_about_them(client, content):
    begin(client, answering_for="someone_else", age_band="85_plus")
    client.submit("/topics", {"topics": ["bathing"]})
    first = client.get(client.get("/check-answers", expect=302).location)
    question = content.module("bathing").question("wash_where")
    assert first.h1 == question.text_for_someone_else != question.text
    result = complete(client, content, ["bathing"],
                      {"bathing": {"wash_where": "bath", "fall_bathroom": "fell"}},
                      answering_for="someone_else", age_band="85_plus")
    text = section_text(result, "bathing")
    rule = next(o for o in content.module("bathing").rules.outcomes
                if o.id == "fall-in-bathroom")
    assert "What you told us about them" in text
    assert rule.because_for_someone_else in text and rule.because not in text


def test_a_carer_is_offered_questions_for_the_person_they_care_for(client, content):
    result = complete(client, content, ["carer"], answering_for="self", age_band="50_64")
    assert "Help for the person you care for" in section_text(result, "carer")


def test_a_carer_already_answering_for_them_is_not_sent_to_start_again(client, content):
    result = complete(client, content, ["memory", "carer"], answering_for="someone_else",
                      age_band="85_plus")
    assert "Help for the person you care for" not in section_text(result, "carer")


def test_a_rule_can_suggest_another_topic(client, content):
    result = complete(client, content, ["kitchen"], {"kitchen": {"forgets_cooker": "yes"}})
    text = section_text(result, "kitchen")
    assert "Other questions that could help" in text
    assert content.module("memory").title in text
