"""The rules engine on fixture modules: scores, routing, equipment fit and urgency on the tiny
module, urgent flags on the urgent module."""

from pathlib import Path

import pytest

from mle.content import References, load_content
from mle.rules import evaluate_assessment, evaluate_module, urgent_flags
from mle.rules.routing import effective_answers, visible_questions

FIXTURES = Path(__file__).parent.parent / "fixtures" / "questionnaires"
BASIC = FIXTURES / "basic"
URGENT = FIXTURES / "urgent"
CONTENT = load_content(BASIC, References())
TINY = CONTENT.module("tiny")
RULES = TINY.rules


def test_skipped_questions_are_asked_only_when_their_condition_holds():
    assert visible_questions(RULES.visibility, {"place": "shower"}) == [
        "place", "problems", "worry", "note"]
    assert visible_questions(RULES.visibility, {"place": "bath"}) == [
        "place", "problems", "can_step", "width_cm", "worry", "note"]


def test_an_answer_on_a_route_no_longer_taken_counts_as_unanswered():
    # They said bath, answered the bath questions, then changed to shower.
    answers = {"place": "shower", "can_step": False, "width_cm": 60.0}
    values = effective_answers(RULES.visibility, answers)
    assert values["can_step"] is None and values["width_cm"] is None
    result = evaluate_module(RULES, answers)
    assert "board" not in result.fired_ids


@pytest.mark.parametrize(("answers", "total", "band"), [
    ({"problems": ["none"]}, 0, "low"),
    ({"problems": ["standing"]}, 1, "low"),
    ({"problems": ["getting_in", "standing"]}, 3, "high"),
    ({"place": "bath", "problems": ["getting_in"], "can_step": False}, 4, "high"),
    ({"place": "shower", "problems": ["getting_in"], "can_step": False}, 2, "high"),
])
def test_scores_sum_points_and_pick_a_band(answers, total, band):
    result = evaluate_module(RULES, answers)
    assert result.scores["difficulty"] == total
    assert result.bands["difficulty"] == band


def test_equipment_is_suggested_only_when_it_fits():
    fits = evaluate_module(RULES, {"place": "bath", "can_step": False, "width_cm": 60})
    assert [e.item_id for e in fits.equipment] == ["board"]
    assert fits.equipment[0].because == "You told us you cannot step over the side of the bath."
    assert fits.may_not_fit == ()


@pytest.mark.parametrize("width", [40, 55.9, 70.1, 100])
def test_a_measurement_outside_every_range_says_it_may_not_fit(width):
    result = evaluate_module(RULES, {"place": "bath", "can_step": False, "width_cm": width})
    assert result.equipment == ()
    assert result.may_not_fit == ("board",)


def test_an_unknown_measurement_suggests_nothing_and_says_it_may_not_fit():
    result = evaluate_module(RULES, {"place": "bath", "can_step": False})
    assert result.equipment == ()
    assert result.may_not_fit == ("board",)


def test_level_is_the_highest_that_fired_and_urgent_beats_everything():
    assert evaluate_module(RULES, {"problems": ["none"]}).level == "advice"
    assert evaluate_module(RULES, {"problems": ["getting_in", "standing"]}).level == "referral"
    urgent = evaluate_module(RULES, {"problems": ["none"], "worry": "breaking_point"})
    assert urgent.level == "urgent" and urgent.urgent == ("breaking",)


def test_urgent_flags_alone_are_the_urgent_flags_of_the_whole_evaluation():
    # The urgent module's flags look at an answer on a route not taken, a score's band and
    # the person's age: the shortcut must see all of these as the full evaluation does.
    urgent = load_content(URGENT, References(urgent_contacts=frozenset({"emergency-999",
                                                                         "nhs-24"})))
    cases = [(TINY, {"problems": ["none"], "worry": "breaking_point"}, {}),
             (TINY, {"problems": ["none"]}, {})]
    cases += [(m, c.answers, c.about) for content in (CONTENT, urgent)
              for m in content.modules.values() for c in m.tests]
    raised = 0
    for module, answers, about in cases:
        expected = evaluate_module(module.rules, answers, about).urgent
        assert urgent_flags(module.rules, answers, about) == expected, module.id
        raised += bool(expected)
    assert raised > 1  # the cases include flags raised, not only none


def test_trace_lists_every_rule_that_fired_in_order_with_its_reason():
    result = evaluate_module(RULES, {"place": "bath", "problems": ["getting_in", "standing"],
                                     "can_step": False, "width_cm": 60})
    assert result.fired_ids == ("board", "refer")
    assert result.referral.team == "occupational-therapy"
    assert result.referral_rule == "refer"
    assert result.advice == ("sit-down",)
    assert result.needs == ("carer-support",)


def test_nothing_answered_gives_advice_level_without_errors():
    result = evaluate_module(RULES, {})
    assert result.level == "advice"
    assert result.fired_ids == ("general",)


def test_assessment_result_qualifies_rule_ids_with_the_module():
    result = evaluate_assessment([RULES], {"tiny": {"problems": ["none"],
                                                    "worry": "breaking_point"}})
    assert result.rule_ids == ("tiny:breaking", "tiny:general")
    assert result.urgent == (("tiny", "breaking"),)


def test_module_test_cases_in_the_fixture_pass():
    from mle.content.checks import run_module_tests

    assert run_module_tests(TINY) == []
