"""The coverage gate: every rule, flag, equipment item, question and level is exercised."""

import copy

import yaml

from mle.content import load_content
from mle.content.coverage import coverage_errors, module_coverage
from tests.unit.test_content_loader import BASIC, REFS, TINY, write


def load_with(tmp_path, change):
    module = copy.deepcopy(TINY)
    change(module)
    return load_content(write(tmp_path, module), REFS)


def test_the_fixture_module_is_fully_covered():
    content = load_content(BASIC, REFS)
    assert coverage_errors(content) == []
    coverage = module_coverage(content.module("tiny"))
    assert all(coverage.rules.values()) and coverage.urgent == {"breaking": True}
    assert list(coverage.levels) == ["advice", "equipment", "referral", "urgent"]


def test_a_rule_no_test_fires_is_a_gap(tmp_path):
    content = load_with(tmp_path, lambda m: m["tests"].remove(
        next(t for t in m["tests"] if t["id"] == "refer")))
    gaps = [str(e) for e in coverage_errors(content)]
    assert "tiny.yaml: coverage: outcome rule 'refer' is not exercised by any test case" in gaps
    assert "tiny.yaml: refer: referral rule has no test case expecting it fires (fired)" in gaps


def test_an_urgent_flag_no_test_fires_is_a_gap(tmp_path):
    content = load_with(tmp_path, lambda m: m["tests"].remove(
        next(t for t in m["tests"] if t["id"] == "urgent")))
    gaps = [str(e) for e in coverage_errors(content)]
    assert "tiny.yaml: coverage: urgent flag 'breaking' is not exercised by any test case" in gaps


def test_equipment_never_suggested_is_a_gap(tmp_path):
    content = load_with(tmp_path, lambda m: m["tests"].remove(
        next(t for t in m["tests"] if t["id"] == "board-fits")))
    gaps = [str(e) for e in coverage_errors(content)]
    assert ("tiny.yaml: coverage: equipment criteria of 'board' is not exercised by any test case"
            in gaps)


def test_a_question_no_test_reaches_is_reported(tmp_path):
    def hide_note(m):
        next(q for q in m["questions"] if q["id"] == "note")["show_when"] = 'place == "sink"'

    content = load_with(tmp_path, hide_note)
    gaps = [str(e) for e in coverage_errors(content)]
    assert ("tiny.yaml: coverage: question (never asked) 'note' is not exercised by any test case"
            in gaps)


def test_unused_advice_and_equipment_are_reported(tmp_path):
    def add_unused(m):
        m["advice"].append({"id": "orphan", "title": "Orphan", "body": ["Never given."]})

    content = load_with(tmp_path, add_unused)
    equipment = yaml.safe_load((tmp_path / "equipment.yaml").read_text())
    assert equipment  # the catalogue the module uses is unchanged
    gaps = [str(e) for e in coverage_errors(content)]
    assert "tiny.yaml: advice orphan: is not given by any outcome rule" in gaps
