"""The content extractor: human-readable text only, each string placed by file and key."""

from __future__ import annotations

import io

from mle.i18n.extract import extract_content

MODULE = """\
id: bathing
title: Bathing and showering
description: Washing safely.
owner: Equipment service lead
questions:
  - id: wash_where
    type: single_choice
    text: How do you usually wash?
    show_when: answering_for != "someone_else"
    options:
      - value: bath
        label: I sit down in the bath
        hint: >-
          Folded over
          two lines.
  - id: width
    type: number
    text: How wide is it?
    unit: cm
    measurement:
      guidance: Measure across.
      diagram: bath-inner-width
      diagram_alt: A bath seen from above.
scores:
  - id: difficulty
    label: How hard washing is
advice:
  - id: taps
    title: Make taps easier to turn
    body:
      - Tap turners help.
      - A plumber can help.
outcomes:
  - id: taps
    when: '"taps" in hard_things'
    level: advice
    because: You told us it is hard to turn the taps.
urgent:
  - id: danger
    when: in_danger == true
    message: Call 999 now.
    because: You said someone is in danger.
    contacts: [emergency-999]
tests:
  - id: a-test
    answers: {wash_where: bath}
    expect: {fired: [taps]}
"""


def extracted(text: str, name: str) -> dict[str, list[str]]:
    file = io.BytesIO(text.encode())
    file.name = name
    found: dict[str, list[str]] = {}
    for line, funcname, message, comments in extract_content(file, [], [], {}):
        assert funcname is None and line > 0
        found.setdefault(message, []).extend(comments)
    return found


def test_a_module_gives_its_readable_text_and_nothing_else():
    found = extracted(MODULE, "questionnaires/bathing.yaml")
    assert set(found) == {
        "Bathing and showering", "Washing safely.", "How do you usually wash?",
        "I sit down in the bath", "Folded over two lines.", "How wide is it?", "cm",
        "Measure across.", "A bath seen from above.", "Make taps easier to turn",
        "Tap turners help.", "A plumber can help.", "You told us it is hard to turn the taps.",
        "Call 999 now.", "You said someone is in danger.",
    }


def test_each_string_is_placed_by_file_and_key():
    found = extracted(MODULE, "questionnaires/bathing.yaml")
    assert found["I sit down in the bath"] == [
        "questionnaires/bathing.yaml: questions/wash_where/options/bath/label"]
    assert found["A plumber can help."] == ["questionnaires/bathing.yaml: advice/taps/body/2"]
    assert found["You told us it is hard to turn the taps."] == [
        "questionnaires/bathing.yaml: outcomes/taps/because"]


def test_equipment_area_and_needs_have_their_own_text_keys():
    equipment = extracted("""\
owner: Equipment service lead
items:
  - id: bath-board
    name: Bath board
    description: A board.
    criteria: bath_inner_width_cm == null
    fits_because: Most boards fit.
    how_to_get: equipment_service
    not_without_advice: [You get dizzy.]
""", "questionnaires/equipment.yaml")
    assert set(equipment) == {"Bath board", "A board.", "Most boards fit.", "You get dizzy."}
    area = extracted("""\
partnership: A Partnership
brand: {colour: "#005eb8"}
geography: {postcodes: geography/file.csv}
languages:
  - {code: ur, name: Urdu name, direction: rtl}
localities:
  - {id: airdrie, name: Airdrie}
urgent_contacts:
  - id: nhs-24
    name: NHS 24
    phone: "111"
    when: For urgent health advice.
teams:
  - {id: ot, name: Occupational therapy, kind: occupational_therapy, how_to_get_assessment: Ask.}
""", "directory/area.yaml")
    assert set(area) == {"A Partnership", "Airdrie", "NHS 24", "For urgent health advice.",
                         "Occupational therapy", "Ask."}
    needs = extracted("owner: Editors\nneeds:\n  - {id: falls, label: Falls prevention}\n",
                      "directory/needs.yaml")
    assert needs == {"Falls prevention": ["directory/needs.yaml: needs/falls/label"]}


def test_the_same_text_in_two_places_is_one_string_with_both_places():
    found = extracted("""\
questions:
  - id: a
    options: [{value: "no", label: "No"}]
  - id: b
    options: [{value: "no", label: "No"}]
""", "questionnaires/x.yaml")
    assert found == {"No": ["questionnaires/x.yaml: questions/a/options/no/label",
                            "questionnaires/x.yaml: questions/b/options/no/label"]}


def test_an_empty_file_gives_nothing():
    assert extracted("", "questionnaires/empty.yaml") == {}
