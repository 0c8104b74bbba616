"""The plan's order and de-duplication on plain values, and which rule conditions say nothing
about what the person answered (so their reasons stay out of "What you told us")."""

from __future__ import annotations

from types import SimpleNamespace as Thing

import pytest

from mle.assessment.plan import MAX_STEPS, make_plan
from mle.rules import compile_expression, typed_context
from mle.rules.expressions import DataType

CONTEXT = typed_context({"place": DataType.STRING, "width": DataType.FLOAT,
                         "problems": DataType.ARRAY(DataType.STRING)})


@pytest.mark.parametrize(("condition", "for_everyone"), [
    ("true", True),
    ("place != null", True),
    ("null != place", True),
    ("place != null and width != null", True),
    ("place != null or width != null", True),
    ("false", False),
    ("place == null", False),
    ("place != 'bath'", False),
    ("place == 'bath'", False),
    ("place != null and place == 'bath'", False),
    ("width > 50", False),
    ("'fall' in problems", False),
    ("not place == null", False),
])
def test_a_condition_holds_for_everyone_who_answered_only_when_it_tests_presence(
        condition, for_everyone):
    assert compile_expression(condition, CONTEXT).holds_for_everyone_who_answered is for_everyone


def team(team_id):
    return Thing(id=team_id)


def section(module_id, referrals=(), services=(), equipment=(), advice=()):
    return Thing(module=Thing(id=module_id), referrals=referrals, services=services,
                 equipment=equipment, advice=advice)


def referral(team_id, priority="routine"):
    return Thing(team=team(team_id), offer=Thing(priority=priority))


def service(service_id):
    return Thing(service=Thing(id=service_id))


def item(item_id):
    return Thing(item=Thing(id=item_id))


def advice(title):
    return Thing(title=title)


def test_steps_go_referral_service_equipment_advice_then_topic_order():
    plan = make_plan([
        section("bathing", services=[service("alarm")], equipment=[item("rail")],
                advice=[advice("Sit down")]),
        section("falls", referrals=[referral("falls-service")]),
    ])
    assert [(s.level, s.key) for s in plan.steps] == [
        ("referral", "falls-service"), ("signposting", "alarm"), ("equipment", "rail"),
        ("advice", "Sit down")]


def test_the_more_pressing_referral_comes_first_whatever_its_topic():
    plan = make_plan([section("bathing", referrals=[referral("ot", "routine")]),
                      section("falls", referrals=[referral("falls-service", "soon")])])
    assert [s.key for s in plan.steps] == ["falls-service", "ot"]


def test_a_thing_two_topics_need_is_one_step_shown_under_the_first():
    plan = make_plan([section("bathing", services=[service("alarm")]),
                      section("falls", services=[service("alarm"), service("class")],
                              referrals=[referral("ot")]),
                      section("bed", referrals=[referral("ot")])])
    assert [(s.key, s.module_ids) for s in plan.steps] == [
        ("ot", ("falls", "bed")), ("alarm", ("bathing", "falls")), ("class", ("falls",))]
    assert plan.home("signposting", "alarm") == "bathing"
    assert plan.also_for("signposting", "alarm") == ("falls",)
    assert plan.keys_at("signposting", "falls") == {"class"}
    assert plan.number("referral", "ot") == 1


def test_at_most_five_steps_and_the_rest_later():
    plan = make_plan([section("bathing", advice=[advice(f"Tip {n}") for n in range(8)])])
    assert len(plan.steps) == MAX_STEPS
    assert [s.key for s in plan.later] == ["Tip 5", "Tip 6", "Tip 7"]
    assert plan.number("advice", "Tip 6") is None and plan.home("advice", "Tip 6") == "bathing"
