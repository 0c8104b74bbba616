"""Proof that the content's safety rules work: every contraindication of every item, and every
referral rule, has test cases that expect it to hold and not to hold.

A rule that no test case would catch going wrong is a rule no one has checked, so
`flask mle check-content` fails until each one has its proof.
"""

from __future__ import annotations

from collections import defaultdict

from mle.content.errors import ContentError
from mle.content.model import Content, Module
from mle.rules import evaluate_module

EQUIPMENT_FILE = "equipment.yaml"


def _not_for_label(module: Module, item_id: str, index: int) -> str:
    entry = module.rules.equipment[item_id].not_for[index]
    if entry.weight_limit_kg is not None:
        return f"weight over {entry.weight_limit_kg} kg"
    return entry.when.text


def _item_gaps(item_id: str, modules: list[Module]) -> list[ContentError]:
    suggested = withheld = False
    proven: set[int] = set()
    for module in modules:
        rule = module.rules.equipment[item_id]
        for case in module.tests:
            suggested |= item_id in case.expect.get("equipment", ())
            if item_id not in case.expect.get("withheld", ()):
                continue
            withheld = True
            result = evaluate_module(module.rules, case.answers, case.about)
            reasons = [r for w in result.withheld if w.item_id == item_id for r in w.reasons]
            proven |= {i for i, n in enumerate(rule.not_for) if any(n is r for r in reasons)}
    where = f"equipment {item_id}"
    errors = []
    if not suggested:
        errors.append(ContentError(EQUIPMENT_FILE, where, "no test case expects it to be "
                                                          "suggested"))
    if not withheld:
        errors.append(ContentError(EQUIPMENT_FILE, where, "no test case expects it to be "
                                                          "withheld"))
    entries = len(modules[0].rules.equipment[item_id].not_for)
    errors += [ContentError(EQUIPMENT_FILE, where, f"no test case proves it is withheld for "
                                                   f"'{_not_for_label(modules[0], item_id, i)}'")
               for i in range(entries) if i not in proven]
    return errors


def _equipment_gaps(content: Content) -> list[ContentError]:
    offered_in: dict[str, list[Module]] = defaultdict(list)
    for module in content.modules.values():
        for item_id in module.rules.equipment:
            offered_in[item_id].append(module)
    return [e for item_id, modules in offered_in.items() for e in _item_gaps(item_id, modules)]


def _referral_gaps(module: Module) -> list[ContentError]:
    errors = []
    for outcome in module.rules.outcomes:
        if outcome.referral is None:
            continue
        for key, missing in (("fired", "fires"), ("not_fired", "does not fire")):
            if not any(outcome.id in case.expect.get(key, ()) for case in module.tests):
                errors.append(ContentError(module.source, outcome.id,
                                           f"referral rule has no test case expecting it "
                                           f"{missing} ({key})"))
    return errors


def safety_gaps(content: Content) -> list[ContentError]:
    errors = _equipment_gaps(content)
    for module in content.modules.values():
        errors += _referral_gaps(module)
    return errors
