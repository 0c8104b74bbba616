"""Contraindications, weight limits, several referrals, the referral policy and the proofs
check-content asks for, on the safety fixture module; who counts as a carer, and at what age,
on the carers fixture."""

import copy
import shutil
from pathlib import Path

import pytest
import yaml

from mle.content import ContentErrors, References, load_content
from mle.content.hazards import load_hazard_log, risk
from mle.content.safety import safety_gaps
from mle.rules import evaluate_module

FIXTURES = Path(__file__).parent.parent / "fixtures" / "questionnaires"
SAFETY = FIXTURES / "safety"
CARERS = FIXTURES / "carers"
REFS = References(teams=frozenset({"occupational-therapy", "falls-service", "gp-practice"}))
CONTENT = load_content(SAFETY, REFS)
CARER_CONTENT = load_content(CARERS, REFS)
RULES = CONTENT.module("safety").rules
STEADY = {"standing": "short", "balance": "good", "fell": False, "dizzy": False}


def withheld(result) -> dict[str, list[str]]:
    return {w.item_id: [r.because or f"over {r.weight_limit_kg} kg" for r in w.reasons]
            for w in result.withheld}


def test_an_item_fits_and_is_suggested_when_nothing_rules_it_out():
    result = evaluate_module(RULES, {**STEADY, "weight_kg": 80})
    assert [e.item_id for e in result.equipment] == ["stool", "chair"]
    assert result.withheld == () and result.referrals == ()


@pytest.mark.parametrize(("answers", "reasons"), [
    ({"balance": "poor"}, ["You told us your balance is poor."]),
    ({"fell": True}, ["You told us you have fallen."]),
    ({"balance": "poor", "fell": True},
     ["You told us your balance is poor.", "You told us you have fallen."]),
    ({"weight_kg": 127.5}, ["over 127 kg"]),
])
def test_a_contraindication_withholds_the_item_with_every_reason_that_held(answers, reasons):
    result = evaluate_module(RULES, {**STEADY, **answers})
    assert "stool" not in [e.item_id for e in result.equipment]
    assert withheld(result)["stool"] == reasons


@pytest.mark.parametrize("weight", [None, 60, 127])
def test_a_weight_at_or_under_the_limit_or_not_given_does_not_withhold(weight):
    result = evaluate_module(RULES, {**STEADY, "weight_kg": weight})
    assert "stool" in [e.item_id for e in result.equipment]


def test_withholding_offers_an_assessment_and_raises_the_level_to_referral():
    result = evaluate_module(RULES, {**STEADY, "weight_kg": 200})
    assert result.level == "referral"
    assert [(r.team, r.priority, r.rule_ids) for r in result.referrals] == [
        ("occupational-therapy", "routine", ("withheld-equipment",))]


def test_an_item_can_name_its_own_assessment_or_none():
    result = evaluate_module(RULES, {**STEADY, "dizzy": True, "balance": "poor"})
    assessments = {w.item_id: [a.team for a in w.assessments] for w in result.withheld}
    assert assessments["stool"] == ["occupational-therapy"]  # the catalogue's
    assert assessments["chair"] == []  # the chair says none: the GP rule is the route
    assert [r.team for r in result.referrals] == ["gp-practice", "falls-service",
                                                  "occupational-therapy"]
    only_chair = evaluate_module(RULES, {**STEADY, "dizzy": True})
    assert [r.team for r in only_chair.referrals] == ["gp-practice"]


def test_one_reason_can_name_its_own_assessment(tmp_path):
    folder = _copy(tmp_path)

    def fall_goes_to_the_falls_service(catalogue):
        stool = _item(catalogue, "stool")
        stool["not_for"][1]["assessment_when_withheld"] = {"team": "falls-service",
                                                          "priority": "soon"}
    _edit(folder, "equipment.yaml", fall_goes_to_the_falls_service)
    _edit(folder, "safety.yaml", lambda m: m["tests"][2]["expect"].update(
        referral_teams=["falls-service"]))
    rules = load_content(folder, REFS).module("safety").rules
    after_fall = evaluate_module(rules, {**STEADY, "fell": True})
    assert [r.team for r in after_fall.referrals] == ["falls-service"]
    both = evaluate_module(rules, {**STEADY, "fell": True, "balance": "poor"})
    stool = next(w for w in both.withheld if w.item_id == "stool")
    assert [a.team for a in stool.assessments] == ["falls-service", "occupational-therapy"]
    # The balance reason goes with the occupational therapy offer, the fall with the other.
    assert both.referral_to("occupational-therapy").because == (
        "You told us your balance is poor.",)


def test_a_withheld_item_is_not_called_a_misfit():
    result = evaluate_module(RULES, {**STEADY, "balance": "poor", "dizzy": True})
    assert result.equipment == () and result.may_not_fit == ()
    assert set(withheld(result)) == {"stool", "chair"}


def test_every_referral_that_fires_is_offered_once_per_team_most_urgent_first():
    result = evaluate_module(RULES, {**STEADY, "balance": "poor", "fell": True, "dizzy": True})
    offers = [(r.team, r.priority, r.rule_ids) for r in result.referrals]
    assert offers == [
        ("gp-practice", "urgent", ("dizzy-standing",)),
        # two rules ask for the falls service: one offer, at the higher priority of the two
        ("falls-service", "soon", ("fall", "poor-balance")),
        ("occupational-therapy", "routine", ("withheld-equipment",)),
    ]
    assert result.referral.team == "gp-practice" and result.referral_rule == "dizzy-standing"
    assert result.referral_to("falls-service").because == (
        "You told us you have fallen.", "You told us your balance is poor.")


def test_the_fixture_proves_every_contraindication_and_referral():
    assert safety_gaps(CONTENT) == []


def _copy(tmp_path: Path) -> Path:
    for path in SAFETY.iterdir():
        shutil.copy(path, tmp_path / path.name)
    return tmp_path


def _edit(folder: Path, name: str, change) -> None:
    data = yaml.safe_load((folder / name).read_text())
    change(data)
    (folder / name).write_text(yaml.safe_dump(data, sort_keys=False))


def _errors(tmp_path: Path, name: str, change, refs=REFS) -> list[str]:
    folder = _copy(tmp_path)
    _edit(folder, name, change)
    with pytest.raises(ContentErrors) as caught:
        load_content(folder, refs)
    return [str(e) for e in caught.value.errors]


def _item(data, item_id):
    return next(i for i in data["items"] if i["id"] == item_id)


def _rule(data, rule_id):
    return next(o for o in data["outcomes"] if o["id"] == rule_id)


def _signposting_only(rule):
    rule["level"] = "signposting"
    del rule["referral"]


def _drop_question(question_id):
    def change(module):
        module["questions"] = [q for q in module["questions"] if q["id"] != question_id]
        for case in module["tests"]:
            case["answers"].pop(question_id, None)
    return change


@pytest.mark.parametrize(("name", "change", "expected"), [
    # The module offers the stool but does not ask what rules it out.
    ("safety.yaml", _drop_question("balance"),
     "safety.yaml: equipment stool/not_for (in module safety): the module does not ask "
     "'balance', which the item's not_for needs"),
    ("safety.yaml", _drop_question("weight_kg"),
     "safety.yaml: equipment stool/max_user_weight_kg (in module safety): the item is safe only "
     "up to 127 kg, so the module must ask the person's weight"),
    ("equipment.yaml", lambda d: _item(d, "chair").pop("not_for"),
     "equipment.yaml: items/chair: schema: 'not_for' is a required property"),
    ("safety.yaml", lambda m: m["tests"][0]["expect"].update(equipment=[]),
     "safety.yaml: tests/stool-and-chair/expect/equipment: schema: [] should be non-empty"),
    ("safety.yaml", lambda m: m["tests"][1]["expect"].update(withheld=["chair"]),
     "safety.yaml: test stool-withheld-for-balance: equipment 'chair' not withheld"),
    ("safety.yaml", lambda m: m["tests"][0]["expect"].update(referral_teams=["falls-service"]),
     "safety.yaml: test stool-and-chair: expects no referral and a referral team at once"),
    ("safety.yaml", lambda m: m["tests"][2]["expect"].update(referral_teams=["falls-service"]),
     "safety.yaml: test stool-withheld-after-fall: referrals offered to ['falls-service', "
     "'occupational-therapy'], expected ['falls-service']"),
    ("safety.yaml", lambda m: m["tests"][3].update(expect={"level": "referral",
                                                            "no_referral": True}),
     "safety.yaml: test stool-withheld-over-weight: referrals offered to "
     "['occupational-therapy'], expected none"),
    # The policy: the rule that carries it out must refer to its team, at its priority or more.
    ("safety.yaml", lambda m: _rule(m, "fall").update(referral={"team": "gp-practice",
                                                                  "priority": "soon"}),
     "safety.yaml: fall: policy 'any-fall' refers to falls-service, not 'gp-practice'"),
    ("safety.yaml", lambda m: _rule(m, "fall").update(referral={"team": "falls-service",
                                                                  "priority": "routine"}),
     "safety.yaml: fall: policy 'any-fall' asks for priority 'soon' or more, not 'routine'"),
    ("safety.yaml", lambda m: _rule(m, "fall").pop("policy"),
     "safety.yaml: outcomes: no outcome rule carries out policy 'any-fall'"),
    ("safety.yaml", lambda m: _rule(m, "fall").update(policy="no-such-policy"),
     "safety.yaml: fall: unknown policy 'no-such-policy'"),
    ("safety.yaml", lambda m: _signposting_only(_rule(m, "fall")),
     "safety.yaml: fall: carries out policy 'any-fall' but offers no referral"),
    ("referral-policy.yaml", lambda p: p["policies"][0].update(modules=["safety", "ghosts"]),
     "referral-policy.yaml: any-fall: lists module 'ghosts', which does not exist"),
    ("safety.yaml", lambda m: _rule(m, "fall").update(topics=["ghosts"]),
     "safety.yaml: fall: suggests unknown topic 'ghosts'"),
])
def test_content_that_breaks_a_safety_rule_does_not_load(tmp_path, name, change, expected):
    found = _errors(tmp_path, name, change)
    assert any(e.startswith(expected) for e in found), found


def _gaps(tmp_path: Path, change) -> list[str]:
    folder = _copy(tmp_path)
    _edit(folder, "safety.yaml", change)
    return [str(e) for e in safety_gaps(load_content(folder, REFS))]


def _drop_cases(*case_ids):
    def change(module):
        module["tests"] = [c for c in module["tests"] if c["id"] not in case_ids]
    return change


@pytest.mark.parametrize(("change", "expected"), [
    (_drop_cases("stool-withheld-after-fall"),
     "equipment.yaml: equipment stool: no test case proves it is withheld for 'fell == true'"),
    (_drop_cases("stool-withheld-over-weight"),
     "equipment.yaml: equipment stool: no test case proves it is withheld for "
     "'weight over 127 kg'"),
    (_drop_cases("chair-withheld-when-dizzy"),
     "equipment.yaml: equipment chair: no test case expects it to be withheld"),
    (_drop_cases("stool-and-chair", "stool-withheld-for-balance", "stool-withheld-over-weight"),
     "equipment.yaml: equipment chair: no test case expects it to be suggested"),
    (_drop_cases("stool-and-chair"),
     "safety.yaml: fall: referral rule has no test case expecting it does not fire (not_fired)"),
    (_drop_cases("stool-withheld-after-fall"),
     "safety.yaml: fall: referral rule has no test case expecting it fires (fired)"),
])
def test_a_contraindication_or_referral_without_its_proof_is_a_gap(tmp_path, change, expected):
    assert expected in _gaps(tmp_path, change)


HAZARD = {
    "id": "HAZ-TEST-01", "title": "Stool for someone with poor balance", "cause": "c",
    "effect": "e", "harm": "a fall", "initial": {"severity": "major", "likelihood": "medium"},
    "controls": [{"description": "not_for on the stool",
                  "tests": ["safety/stool-withheld-for-balance"],
                  "pytest": ["tests/unit/test_safety_rules.py::test_hazard_log_checks"]}],
    "residual": {"severity": "major", "likelihood": "very_low"},
}
ROOT = Path(__file__).parent.parent.parent


def _hazard_errors(tmp_path: Path, change) -> list[str]:
    hazard = copy.deepcopy(HAZARD)
    change(hazard)
    (tmp_path / "fixture.yaml").write_text(yaml.safe_dump({"hazards": [hazard]}))
    return [str(e) for e in load_hazard_log(tmp_path, CONTENT, ROOT)[1]]


def test_dcb0129_risk_matrix_corners_and_middle():
    assert risk({"severity": "minor", "likelihood": "very_low"}) == 1
    assert risk({"severity": "catastrophic", "likelihood": "very_high"}) == 5
    assert risk({"severity": "major", "likelihood": "medium"}) == 3
    assert risk({"severity": "catastrophic", "likelihood": "very_low"}) == 3


@pytest.mark.parametrize(("change", "expected"), [
    (lambda h: None, None),
    (lambda h: h["controls"][0].update(tests=["safety/no-such-case"]),
     "fixture.yaml: HAZ-TEST-01: names test case 'safety/no-such-case', which does not exist"),
    (lambda h: h["controls"][0].update(tests=["ghosts/stool-and-chair"]),
     "fixture.yaml: HAZ-TEST-01: names test case 'ghosts/stool-and-chair' of an unknown module"),
    (lambda h: h["controls"][0].update(pytest=["tests/unit/test_safety_rules.py::test_nothing"]),
     "fixture.yaml: HAZ-TEST-01: names test 'tests/unit/test_safety_rules.py::test_nothing', "
     "which is not in tests/unit/test_safety_rules.py"),
    (lambda h: h["controls"][0].update(pytest=["tests/unit/nowhere.py::test_x"]),
     "fixture.yaml: HAZ-TEST-01: names test 'tests/unit/nowhere.py::test_x', whose file does "
     "not exist"),
    (lambda h: h.update(residual={"severity": "catastrophic", "likelihood": "high"}),
     "fixture.yaml: HAZ-TEST-01: residual risk 5 is above the initial risk 3"),
    (lambda h: h.update(controls=[{"description": "a control with no proof"}]),
     "fixture.yaml: hazards/0/controls/0: schema:"),
])
def test_hazard_log_checks(tmp_path, change, expected):
    found = _hazard_errors(tmp_path, change)
    if expected is None:
        assert found == []
    else:
        assert any(e.startswith(expected) for e in found), found


def test_a_hazard_whose_test_case_fails_is_reported(tmp_path):
    (tmp_path / "content").mkdir()
    folder = _copy(tmp_path / "content")
    _edit(folder, "safety.yaml",
          lambda m: m["tests"][1]["expect"].update(level="advice"))
    # The case now fails, so the content does not load for the service; the hazard log check
    # runs on content loaded without its tests, and names the failing case.
    content = load_content(folder, REFS, run_tests=False)
    (tmp_path / "log").mkdir()
    (tmp_path / "log" / "fixture.yaml").write_text(yaml.safe_dump({"hazards": [HAZARD]}))
    found = [str(e) for e in load_hazard_log(tmp_path / "log", content, ROOT)[1]]
    assert found == ["fixture.yaml: HAZ-TEST-01: test case 'safety/stool-withheld-for-balance' "
                     "fails: level is 'referral', expected 'advice'"]


def test_answers_for_someone_else_are_worded_for_them():
    module = CONTENT.module("safety")
    assert module.question_for("standing", "self").text == "How long can you stand?"
    worded = module.question_for("standing", "someone_else")
    assert worded.text == "How long can they stand?"
    assert [o.label for o in worded.options] == ["As long as they need", "A short time"]
    # Option values never change with the wording.
    assert [o.value for o in worded.options] == ["long", "short"]

    answers = {**STEADY, "fell": True, "balance": "poor"}
    mine = evaluate_module(RULES, answers, {"answering_for": "self"})
    theirs = evaluate_module(RULES, answers, {"answering_for": "someone_else"})
    assert not mine.for_someone_else and theirs.for_someone_else
    assert "You told us you have fallen." in [f.because for f in mine.fired]
    assert "You told us they have fallen." in [f.because for f in theirs.fired]
    reason = withheld(theirs)["stool"][0]
    assert reason == "You told us your balance is poor."  # the reason object keeps both
    stool = next(w for w in theirs.withheld if w.item_id == "stool")
    assert stool.reasons[0].because_for(True) == "You told us their balance is poor."


def test_every_text_that_speaks_to_the_person_needs_a_version_for_someone_else():
    from mle.content.wording import wording_gaps

    found = [str(e) for e in wording_gaps(CONTENT)]
    # The fixture words some texts for someone else and leaves others, to show the check.
    assert "safety.yaml: standing: speaks to the person answering: add " \
           "'text_for_someone_else' for someone answering for another person" not in found
    assert "safety.yaml: balance: speaks to the person answering: add " \
           "'text_for_someone_else' for someone answering for another person" in found
    assert "safety.yaml: standing/long: speaks to the person answering: add " \
           "'label_for_someone_else' for someone answering for another person" not in found
    assert "safety.yaml: fall: speaks to the person answering: add " \
           "'because_for_someone_else' for someone answering for another person" not in found
    assert "safety.yaml: poor-balance: speaks to the person answering: add " \
           "'because_for_someone_else' for someone answering for another person" in found
    assert "equipment.yaml: equipment stool/not_for/1: speaks to the person answering: add " \
           "'because_for_someone_else'" not in found
    assert "equipment.yaml: equipment stool/not_for/2: speaks to the person answering: add " \
           "'because_for_someone_else'" in found


def test_a_module_about_the_person_answering_is_never_reworded(tmp_path):
    from mle.content.wording import wording_gaps

    folder = _copy(tmp_path)
    _edit(folder, "safety.yaml", lambda m: m.update(about_the_answerer=True))
    content = load_content(folder, REFS)
    module = content.module("safety")
    assert module.question_for("standing", "someone_else").text == "How long can you stand?"
    result = evaluate_module(module.rules, {**STEADY, "fell": True},
                             {"answering_for": "someone_else"})
    assert "You told us you have fallen." in [f.because for f in result.fired]
    assert [e for e in wording_gaps(content) if e.file == "safety.yaml"] == []


def test_a_measurement_outside_every_range_names_the_items_and_why():
    from tests.unit.test_engine import RULES as TINY_RULES

    result = evaluate_module(TINY_RULES, {"place": "bath", "can_step": False, "width_cm": 40})
    assert result.equipment == () and result.withheld == ()
    assert result.may_not_fit == ("board",) and result.not_fitting == ("board",)


@pytest.mark.parametrize(("answering_for", "age_band", "carer_age", "expected"), [
    # A 15-year-old answering for their grandmother: services see a young carer.
    ("someone_else", "75_84", "under_16", "under_16"),
    ("someone_else", "75_84", "age_18_at_school", "18_24"),
    # A parent answering for their child: not a young carer, age not known exactly.
    ("someone_else", "under_16", "age_18_plus", None),
    # Answering about themselves: their own age band is the carer's.
    ("self", "50_64", "age_18_plus", "50_64"),
])
def test_a_carers_services_are_matched_on_the_carers_own_age(answering_for, age_band,
                                                             carer_age, expected):
    from mle.assessment.results import _age_band_of
    from mle.assessment.state import AboutYou, AssessmentState

    state = AssessmentState(about=AboutYou(answering_for=answering_for, age_band=age_band),
                            modules=["caring", "washing"],
                            answers={"caring": {"carer_age": carer_age}})
    assert _age_band_of(CARER_CONTENT.module("caring"), state) == expected
    # Every other module is about the person the answers are for.
    assert _age_band_of(CARER_CONTENT.module("washing"), state) == age_band


@pytest.mark.parametrize(("answering_for", "modules", "is_carer"), [
    ("self", ["washing", "caring"], True),  # chose the module flagged answerer_is_carer
    ("self", ["washing"], False),
    ("someone_else", ["washing"], True),  # answering for the person they look after
])
def test_a_module_flagged_in_its_content_makes_the_person_a_carer(answering_for, modules,
                                                                  is_carer):
    from mle.assessment.results import counts_as_carer
    from mle.assessment.state import AboutYou, AssessmentState

    state = AssessmentState(about=AboutYou(answering_for=answering_for), modules=modules)
    assert counts_as_carer(CARER_CONTENT, state) is is_carer


def test_without_the_flag_a_module_about_the_answerer_does_not_make_them_a_carer(tmp_path):
    from mle.assessment.results import counts_as_carer
    from mle.assessment.state import AboutYou, AssessmentState

    for path in CARERS.iterdir():
        shutil.copy(path, tmp_path / path.name)
    _edit(tmp_path, "caring.yaml", lambda m: m.pop("answerer_is_carer"))
    content = load_content(tmp_path, REFS)
    assert content.module("caring").about_the_answerer
    state = AssessmentState(about=AboutYou(answering_for="self"), modules=["caring"])
    assert counts_as_carer(content, state) is False


@pytest.mark.parametrize(("change", "expected"), [
    (lambda m: m.update(answerer_age="standing"),
     "safety.yaml: answerer_age: only a module about the person answering has its own age "
     "question"),
    (lambda m: m.update(about_the_answerer=True, answerer_age="fell"),
     "safety.yaml: answerer_age: 'fell' must be a single choice question of this module"),
])
def test_an_answerer_age_question_must_fit(tmp_path, change, expected):
    assert expected in _errors(tmp_path, "safety.yaml", change)
