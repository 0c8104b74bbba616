"""Rule checks that a JSON Schema cannot express: ids, references, ranges and test cases."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mle.content.errors import ContentError
from mle.content.types import yes_no_key
from mle.rules import ModuleResult, evaluate_module
from mle.vocabulary import AGE_BANDS, ANSWERING_FOR

if TYPE_CHECKING:
    from mle.content.loader import References
    from mle.content.model import Module, TestCase

# A mapping read from YAML and checked against its JSON schema.
Raw = dict[str, Any]
# Records a problem: (where, problem).
Report = Callable[[str, str], None]


def _duplicates(ids: list[str]) -> list[str]:
    return [i for i, n in Counter(ids).items() if n > 1]


def _check_question(q: Raw, error: Report) -> None:
    values = [o["value"] for o in q.get("options", ())]
    if q.get("none_option"):
        values.append(q["none_option"]["value"])
    for value in _duplicates(values):
        error(q["id"], f"option value '{value}' is used twice")
    if q["type"] == "number" and q["min"] >= q["max"]:
        error(q["id"], f"min ({q['min']}) must be less than max ({q['max']})")
    if q["type"] != "number" and ("measurement" in q or "unit" in q):
        error(q["id"], "only number questions have a unit or a measurement")


def _check_answerer_age(raw: Raw, questions: Mapping[str, Raw], error: Report) -> None:
    question_id = raw.get("answerer_age")
    if question_id is None:
        return
    if not raw.get("about_the_answerer"):
        error("answerer_age", "only a module about the person answering has its own age question")
    if questions.get(question_id, {}).get("type") != "single_choice":
        error("answerer_age", f"'{question_id}' must be a single choice question of this module")


def _check_scores(raw: Raw, questions: Mapping[str, Raw], error: Report) -> None:
    for score in raw.get("scores", ()):
        where = f"score {score['id']}"
        for question_id, table in score["points"].items():
            q = questions.get(question_id)
            if q is None:
                error(where, f"points for unknown question '{question_id}'")
                continue
            if q["type"] == "yes_no":
                allowed = {"yes", "no"}
            else:
                allowed = {o["value"] for o in q.get("options", ())}
                allowed |= {q["none_option"]["value"]} if q.get("none_option") else set()
            if q["type"] in ("number", "text"):
                error(where, f"question '{question_id}' is a {q['type']}: it cannot score points")
            for value in {yes_no_key(k) for k in table} - allowed:
                error(where, f"'{value}' is not an option of '{question_id}'")
        maxima = [b.get("max") for b in score["bands"]]
        if maxima[-1] is not None or None in maxima[:-1]:
            error(where, "every band but the last needs a max; the last band has none")
        elif maxima[:-1] != sorted(maxima[:-1]) or len(set(maxima[:-1])) != len(maxima) - 1:
            error(where, "band maxima must rise from one band to the next")


def _check_outcome_references(outcome: Raw, advice_ids: set[str], equipment: Mapping[str, Raw],
                              refs: References, error: Report) -> None:
    where = outcome["id"]
    for advice_id in set(outcome.get("advice", ())) - advice_ids:
        error(where, f"unknown advice '{advice_id}'")
    for item_id in outcome.get("equipment", ()):
        if item_id not in equipment:
            error(where, f"unknown equipment '{item_id}' (not in equipment.yaml)")
    for need in outcome.get("needs", ()):
        if refs.needs and need not in refs.needs:
            error(where, f"unknown need tag '{need}' (not in directory/needs.yaml)")
    team = outcome.get("referral", {}).get("team")
    if team and refs.teams and team not in refs.teams:
        error(where, f"unknown team '{team}' (not in directory/area.yaml)")


def _check_references(raw: Raw, equipment: Mapping[str, Raw], refs: References,
                      error: Report) -> None:
    advice_ids = {a["id"] for a in raw["advice"]}
    for outcome in raw["outcomes"]:
        _check_outcome_references(outcome, advice_ids, equipment, refs, error)
    for flag in raw.get("urgent", ()):
        for contact in flag["contacts"]:
            if refs.urgent_contacts and contact not in refs.urgent_contacts:
                error(flag["id"],
                      f"unknown urgent contact '{contact}' (not in directory/area.yaml)")


def _check_measurements(raw: Raw, questions: Mapping[str, Raw], equipment: Mapping[str, Raw],
                        error: Report) -> None:
    for item_id in {i for o in raw["outcomes"] for i in o.get("equipment", ())}:
        for name in equipment.get(item_id, {}).get("measurements", ()):
            if questions.get(name, {}).get("type") != "number":
                error(f"equipment {item_id}",
                      f"measurement '{name}' is not a number question in module '{raw['id']}'")


def _check_answer(q: Raw | None, value: Any) -> str | None:
    """Why a test answer could not have been given, or None when it could."""
    if q is None:
        return "is not a question in this module"
    kind = q["type"]
    values = {o["value"] for o in q.get("options", ())}
    if q.get("none_option"):
        values.add(q["none_option"]["value"])
    if kind == "single_choice" and value not in values:
        return f"'{value}' is not one of its options"
    if kind == "multiple_choice" and (not isinstance(value, list) or set(value) - values):
        return "must be a list of its option values"
    if kind == "yes_no" and not isinstance(value, bool):
        return "must be true or false"
    if kind == "number" and (isinstance(value, bool) or not isinstance(value, (int, float))
                             or not q["min"] <= value <= q["max"]):
        return f"must be a number from {q['min']} to {q['max']}"
    if kind == "text" and (not isinstance(value, str) or len(value) > q["max_length"]):
        return f"must be text of at most {q['max_length']} characters"
    return None


def _check_expect(expect: Raw, raw: Raw, equipment: Mapping[str, Raw], refs: References,
                  error: Callable[[str], None]) -> None:
    rule_ids = {o["id"] for o in raw["outcomes"]}
    flag_ids = {f["id"] for f in raw.get("urgent", ())}
    for rule_id in {*expect.get("fired", ()), *expect.get("not_fired", ())} - rule_ids:
        error(f"expects unknown outcome rule '{rule_id}'")
    for flag_id in {*expect.get("urgent", ()), *expect.get("not_urgent", ())} - flag_ids:
        error(f"expects unknown urgent flag '{flag_id}'")
    items = {*expect.get("equipment", ()), *expect.get("no_equipment", ()),
             *expect.get("withheld", ())}
    for item_id in sorted(items - set(equipment)):
        error(f"expects unknown equipment '{item_id}'")
    teams = {*expect.get("referral_teams", ()), expect.get("referral_team")} - {None}
    for team in sorted(teams - refs.teams if refs.teams else ()):
        error(f"expects unknown team '{team}'")
    if expect.get("no_referral") and teams:
        error("expects no referral and a referral team at once")
    if expect.get("no_urgent") and expect.get("urgent"):
        error("expects no urgent flag and an urgent flag at once")


def _check_tests(raw: Raw, questions: Mapping[str, Raw], equipment: Mapping[str, Raw],
                 refs: References, error: Report) -> None:
    for case in raw["tests"]:
        where = f"test {case['id']}"
        for question_id, value in case["answers"].items():
            problem = _check_answer(questions.get(question_id), value)
            if problem:
                error(where, f"answer '{question_id}' {problem}")
        about = case.get("about", {})
        if about.get("age_band") not in (None, *AGE_BANDS):
            error(where, f"age_band must be one of {', '.join(AGE_BANDS)}")
        if about.get("answering_for") not in (None, *ANSWERING_FOR):
            error(where, f"answering_for must be one of {', '.join(ANSWERING_FOR)}")
        _check_expect(case["expect"], raw, equipment, refs, partial(error, where))


def check_module_structure(raw: Raw, path: Path, equipment: Mapping[str, Raw], refs: References,
                           errors: list[ContentError]) -> None:
    def error(where: str, problem: str) -> None:
        errors.append(ContentError(path.name, where, problem))

    if raw["id"] != path.stem:
        error("id", f"module id '{raw['id']}' must match the file name '{path.stem}'")
    for kind, items in (("question", raw["questions"]), ("advice", raw["advice"]),
                        ("outcome rule", raw["outcomes"] + raw.get("urgent", [])),
                        ("test", raw["tests"])):
        for duplicate in _duplicates([item["id"] for item in items]):
            error(duplicate, f"{kind} id '{duplicate}' is used twice")
    questions = {q["id"]: q for q in raw["questions"]}
    for q in raw["questions"]:
        _check_question(q, error)
    _check_answerer_age(raw, questions, error)
    _check_scores(raw, questions, error)
    _check_references(raw, equipment, refs, error)
    _check_measurements(raw, questions, equipment, error)
    _check_tests(raw, questions, equipment, refs, error)


def check_equipment_duplicates(data: Mapping[str, Any], file: str) -> list[ContentError]:
    ids = [item["id"] for item in data.get("items", ())]
    return [ContentError(file, i, f"equipment id '{i}' is used twice") for i in _duplicates(ids)]


def check_topics(modules: dict[str, Module]) -> list[ContentError]:
    """Topics a rule suggests must be modules that loaded."""
    return [ContentError(module.source, outcome.id, f"suggests unknown topic '{topic}'")
            for module in modules.values() for outcome in module.rules.outcomes
            for topic in outcome.topics if topic not in modules]


def _referral_failures(expect: Mapping[str, Any], result: ModuleResult) -> list[str]:
    failures = []
    if "referral_team" in expect:
        team = result.referral.team if result.referral else None
        if team != expect["referral_team"]:
            failures.append(f"referral team is '{team}', expected '{expect['referral_team']}'")
    offered = [r.team for r in result.referrals]
    if "referral_teams" in expect and set(offered) != set(expect["referral_teams"]):
        failures.append(f"referrals offered to {offered or 'no team'}, expected "
                        f"{expect['referral_teams']}")
    if expect.get("no_referral") and offered:
        failures.append(f"referrals offered to {offered}, expected none")
    return failures


def _expectation_failures(module: Module, expect: Mapping[str, Any],
                          result: ModuleResult) -> list[str]:
    failures = []
    if result.level != expect["level"]:
        failures.append(f"level is '{result.level}', expected '{expect['level']}'")
    fired = set(result.fired_ids)
    failures += [f"rule '{r}' did not fire" for r in expect.get("fired", ()) if r not in fired]
    failures += [f"rule '{r}' fired" for r in expect.get("not_fired", ()) if r in fired]
    suggested = {e.item_id for e in result.equipment}
    failures += [f"equipment '{i}' not suggested" for i in expect.get("equipment", ())
                 if i not in suggested]
    failures += [f"equipment '{i}' suggested" for i in expect.get("no_equipment", ())
                 if i in suggested]
    if "may_not_fit" in expect and bool(result.may_not_fit) != expect["may_not_fit"]:
        failures.append(f"'may not fit' is {bool(result.may_not_fit)}, expected "
                        f"{expect['may_not_fit']}")
    withheld = {w.item_id for w in result.withheld}
    failures += [f"equipment '{i}' not withheld" for i in expect.get("withheld", ())
                 if i not in withheld]
    failures += [f"urgent flag '{f}' did not fire" for f in expect.get("urgent", ())
                 if f not in result.urgent]
    failures += [f"urgent flag '{f}' fired" for f in expect.get("not_urgent", ())
                 if f in result.urgent]
    if expect.get("no_urgent") and result.urgent:
        failures.append(f"urgent flags {list(result.urgent)} fired, expected none")
    return failures + _referral_failures(expect, result)


def run_case(module: Module, case: TestCase) -> list[str]:
    """What a test case expected that did not happen."""
    result = evaluate_module(module.rules, case.answers, case.about)
    return _expectation_failures(module, dict(case.expect), result)


def run_module_tests(module: Module) -> list[ContentError]:
    """Run every test case of a module; one error per failed expectation."""
    return [ContentError(module.source, f"test {case.id}", failure)
            for case in module.tests for failure in run_case(module, case)]
