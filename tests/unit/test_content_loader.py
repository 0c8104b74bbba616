"""The content loader: good content freezes; each kind of content error is named precisely."""

import copy
import shutil
from pathlib import Path

import pytest
import yaml

from mle.content import ContentErrors, References, load_content

BASIC = Path(__file__).parent.parent / "fixtures" / "questionnaires" / "basic"
REFS = References(urgent_contacts=frozenset({"nhs-24"}),
                  teams=frozenset({"occupational-therapy"}),
                  needs=frozenset({"carer-support"}))
TINY = yaml.safe_load((BASIC / "tiny.yaml").read_text())


def write(tmp_path: Path, module: dict, name: str = "tiny.yaml") -> Path:
    shutil.copy(BASIC / "equipment.yaml", tmp_path / "equipment.yaml")
    (tmp_path / name).write_text(yaml.safe_dump(module, sort_keys=False))
    return tmp_path


def errors_for(tmp_path: Path, change, name: str = "tiny.yaml") -> list[str]:
    module = copy.deepcopy(TINY)
    change(module)
    with pytest.raises(ContentErrors) as caught:
        load_content(write(tmp_path, module, name), REFS)
    return [str(e) for e in caught.value.errors]


def by_id(items, item_id):
    return next(i for i in items if i["id"] == item_id)


def test_good_content_loads_frozen():
    content = load_content(BASIC, REFS)
    module = content.module("tiny")
    assert [q.id for q in module.questions] == ["place", "problems", "can_step", "can_lift_legs",
                                                "weight_kg", "width_cm", "worry", "note"]
    assert module.question("width_cm").measurement.diagram == "bath-inner-width"
    assert content.equipment["board"].price_gbp == (20, 50)
    with pytest.raises(AttributeError):
        module.title = "changed"


def test_yaml_that_does_not_parse(tmp_path):
    shutil.copy(BASIC / "equipment.yaml", tmp_path / "equipment.yaml")
    (tmp_path / "broken.yaml").write_text("id: [unclosed\n")
    with pytest.raises(ContentErrors) as caught:
        load_content(tmp_path, REFS)
    assert "broken.yaml: file: cannot be read as YAML" in str(caught.value)


@pytest.mark.parametrize(("change", "expected"), [
    (lambda m: m.pop("owner"), "tiny.yaml: file: schema: 'owner' is a required property"),
    (lambda m: m["questions"][0].update(type="slider"),
     "tiny.yaml: questions/place/type: schema: 'slider' is not one of"),
    (lambda m: m["questions"][0]["options"][0].update(value=False),
     "tiny.yaml: questions/place/options/0/value: schema: False is not of type 'string'"),
    (lambda m: m["outcomes"][0].update(level="maybe"),
     "tiny.yaml: outcomes/general/level: schema: 'maybe' is not one of"),
    (lambda m: by_id(m["questions"], "width_cm").pop("unit"),
     "tiny.yaml: questions/width_cm: schema: 'unit' is a required property"),
    (lambda m: m.update(reviewed_on="last tuesday"),
     "tiny.yaml: reviewed_on: schema: 'last tuesday' is not a 'date'"),
])
def test_schema_errors_name_the_place(tmp_path, change, expected):
    found = errors_for(tmp_path, change)
    assert any(e.startswith(expected) for e in found), found


@pytest.mark.parametrize(("change", "expected"), [
    (lambda m: by_id(m["outcomes"], "board").update(when='place == "bath" and can_stpe == false'),
     "tiny.yaml: board/when: unknown name 'can_stpe' - did you mean 'can_step'?"),
    (lambda m: by_id(m["outcomes"], "board").update(when="place >= 3"),
     "tiny.yaml: board/when: data type mismatch"),
    (lambda m: by_id(m["outcomes"], "board").update(when="place ==="),
     "tiny.yaml: board/when: syntax error"),
    (lambda m: by_id(m["urgent"], "breaking").update(when="worry == 3"),
     None),  # comparing with == across types is allowed, but the test then fails
    (lambda m: by_id(m["questions"], "place").update(show_when='worry == "fine"'),
     "tiny.yaml: place/show_when: unknown name 'worry'"),
])
def test_expression_errors_name_the_rule(tmp_path, change, expected):
    found = errors_for(tmp_path, change)
    if expected is None:
        assert any("test urgent: urgent flag 'breaking' did not fire" in e for e in found), found
    else:
        assert any(e.startswith(expected) for e in found), found


@pytest.mark.parametrize(("change", "expected"), [
    (lambda m: by_id(m["outcomes"], "board")["advice"].append("nap"),
     "tiny.yaml: board: unknown advice 'nap'"),
    (lambda m: by_id(m["outcomes"], "board")["equipment"].append("hoist"),
     "tiny.yaml: board: unknown equipment 'hoist' (not in equipment.yaml)"),
    (lambda m: by_id(m["outcomes"], "refer").update(needs=["unicorns"]),
     "tiny.yaml: refer: unknown need tag 'unicorns'"),
    (lambda m: by_id(m["outcomes"], "refer").update(referral={"team": "wizards",
                                                               "priority": "soon"}),
     "tiny.yaml: refer: unknown team 'wizards'"),
    (lambda m: by_id(m["urgent"], "breaking").update(contacts=["ghostbusters"]),
     "tiny.yaml: breaking: unknown urgent contact 'ghostbusters'"),
    (lambda m: m["questions"].append(dict(m["questions"][0])),
     "tiny.yaml: place: question id 'place' is used twice"),
    (lambda m: m["outcomes"].append(dict(m["outcomes"][0])),
     "tiny.yaml: general: outcome rule id 'general' is used twice"),
    (lambda m: by_id(m["questions"], "place")["options"].append(
        {"value": "bath", "label": "Again"}),
     "tiny.yaml: place: option value 'bath' is used twice"),
    (lambda m: by_id(m["questions"], "width_cm").update(min=200),
     "tiny.yaml: width_cm: min (200) must be less than max (100)"),
    (lambda m: m["scores"][0]["points"].update(place={"jacuzzi": 3}),
     "tiny.yaml: score difficulty: 'jacuzzi' is not an option of 'place'"),
    (lambda m: m["scores"][0]["points"].update(height={"x": 3}),
     "tiny.yaml: score difficulty: points for unknown question 'height'"),
    (lambda m: m["scores"][0].update(bands=[{"id": "a", "max": 5}, {"id": "b", "max": 9}]),
     "tiny.yaml: score difficulty: every band but the last needs a max"),
    (lambda m: m["scores"][0].update(bands=[{"id": "a", "max": 5}, {"id": "b", "max": 2},
                                            {"id": "c"}]),
     "tiny.yaml: score difficulty: band maxima must rise"),
])
def test_reference_and_structure_errors(tmp_path, change, expected):
    found = errors_for(tmp_path, change)
    assert any(e.startswith(expected) for e in found), found


def test_module_id_must_match_file_name(tmp_path):
    found = errors_for(tmp_path, lambda m: None, name="other.yaml")
    assert "other.yaml: id: module id 'tiny' must match the file name 'other'" in found


@pytest.mark.parametrize(("change", "expected"), [
    (lambda m: by_id(m["tests"], "fine")["answers"].update(place="jacuzzi"),
     "tiny.yaml: test fine: answer 'place' 'jacuzzi' is not one of its options"),
    (lambda m: by_id(m["tests"], "fine")["answers"].update(width_cm=500),
     "tiny.yaml: test fine: answer 'width_cm' must be a number from 30 to 100"),
    (lambda m: by_id(m["tests"], "fine")["answers"].update(colour="red"),
     "tiny.yaml: test fine: answer 'colour' is not a question in this module"),
    (lambda m: by_id(m["tests"], "fine")["expect"].update(fired=["nothing-like-this"]),
     "tiny.yaml: test fine: expects unknown outcome rule 'nothing-like-this'"),
])
def test_invalid_test_cases(tmp_path, change, expected):
    found = errors_for(tmp_path, change)
    assert any(e.startswith(expected) for e in found), found


@pytest.mark.parametrize(("change", "expected"), [
    (lambda m: by_id(m["tests"], "fine")["expect"].update(level="referral"),
     "tiny.yaml: test fine: level is 'advice', expected 'referral'"),
    (lambda m: by_id(m["tests"], "board-fits")["expect"].update(no_equipment=["board"]),
     "tiny.yaml: test board-fits: equipment 'board' suggested"),
    (lambda m: by_id(m["tests"], "board-too-narrow")["expect"].update(may_not_fit=False),
     "tiny.yaml: test board-too-narrow: 'may not fit' is True, expected False"),
    (lambda m: by_id(m["outcomes"], "board").update(when='place == "shower"'),
     "tiny.yaml: test board-fits: rule 'board' did not fire"),
])
def test_failing_test_cases_stop_the_load(tmp_path, change, expected):
    found = errors_for(tmp_path, change)
    assert expected in found, found


def test_equipment_criteria_must_compile_in_the_module_that_uses_it(tmp_path):
    write(tmp_path, TINY)
    equipment = yaml.safe_load((tmp_path / "equipment.yaml").read_text())
    equipment["items"][0]["criteria"] = "bath_width >= 56"
    (tmp_path / "equipment.yaml").write_text(yaml.safe_dump(equipment))
    with pytest.raises(ContentErrors) as caught:
        load_content(tmp_path, REFS)
    assert ("tiny.yaml: equipment board/criteria (in module tiny): unknown name 'bath_width'"
            in str(caught.value))


def test_every_error_is_reported_not_just_the_first(tmp_path):
    def two_problems(m):
        by_id(m["outcomes"], "board")["advice"].append("nap")
        by_id(m["urgent"], "breaking").update(contacts=["ghostbusters"])

    assert len(errors_for(tmp_path, two_problems)) == 2
