"""Evaluate a module's rule set against a person's answers."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from rule_engine.types import coerce_value

from mle.rules.expressions import Values
from mle.rules.model import (
    AssessmentResult,
    FiredOutcome,
    ModuleResult,
    RuleSet,
    SuggestedEquipment,
    level_rank,
)
from mle.rules.routing import effective_answers


def _score_total(points: Mapping[str, Mapping[str, float]], values: Mapping[str, Any]) -> float:
    total = 0.0
    for question_id, table in points.items():
        answer = values.get(question_id)
        if answer is None:
            continue
        if isinstance(answer, bool):
            chosen: Iterable[str] = ("yes" if answer else "no",)
        elif isinstance(answer, (list, tuple)):
            chosen = answer
        else:
            chosen = (str(answer),)
        total += sum(table.get(value, 0) for value in chosen)
    return total


def _with_scores(rules: RuleSet, values: Values) -> tuple[dict, dict]:
    scores, bands = {}, {}
    for score in rules.scores:
        total = _score_total(score.points, values)
        scores[score.id] = total
        bands[score.id] = score.band_for(total)
        values[f"score_{score.id}"] = coerce_value(total)
        values[f"band_{score.id}"] = bands[score.id]
    return scores, bands


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def _first_per_item(suggestions: Iterable[SuggestedEquipment]) -> tuple[SuggestedEquipment, ...]:
    first: dict[str, SuggestedEquipment] = {}
    for suggestion in suggestions:
        first.setdefault(suggestion.item_id, suggestion)
    return tuple(first.values())


def evaluate_module(
    rules: RuleSet, answers: Mapping[str, Any], about: Mapping[str, Any] | None = None
) -> ModuleResult:
    """Return the module's result and the trace of the rules that fired.

    `answers` maps question ids to option values (str), lists of values, booleans or numbers;
    `about` holds the answers every module can see (age band, who is answering).
    """
    values = effective_answers(rules.visibility, answers, base=about)
    scores, bands = _with_scores(rules, values)

    urgent = tuple(flag.id for flag in rules.urgent if flag.when(values))
    fired = tuple(o for o in rules.outcomes if o.when(values))

    equipment: list[SuggestedEquipment] = []
    may_not_fit: list[str] = []
    for outcome in fired:
        fitting = [
            item_id for item_id in outcome.equipment if rules.equipment[item_id].criteria(values)
        ]
        if outcome.equipment and not fitting:
            may_not_fit.append(outcome.id)
        equipment += [SuggestedEquipment(item_id, outcome.because) for item_id in fitting]

    # Rules are ordered by the content owner, so the first referral that fires is the one offered.
    referral_rule = next((o for o in fired if o.referral is not None), None)
    levels = [o.level for o in fired] + (["urgent"] if urgent else [])
    return ModuleResult(
        module_id=rules.module_id,
        level=max(levels, key=level_rank, default="advice"),
        scores=scores,
        bands=bands,
        fired=tuple(FiredOutcome(o.id, o.level, o.because) for o in fired),
        urgent=urgent,
        advice=_unique(a for o in fired for a in o.advice),
        equipment=_first_per_item(equipment),
        may_not_fit=tuple(may_not_fit),
        needs=_unique(n for o in fired for n in o.needs),
        referral=referral_rule.referral if referral_rule else None,
        referral_rule=referral_rule.id if referral_rule else None,
    )


def urgent_flags(
    rules: RuleSet, answers: Mapping[str, Any], about: Mapping[str, Any] | None = None
) -> tuple[str, ...]:
    """The ids of the urgent flags the answers raise: the same as evaluate_module(...).urgent,
    without evaluating outcomes and equipment (a question page needs only these)."""
    if not rules.urgent:
        return ()
    values = effective_answers(rules.visibility, answers, base=about)
    _with_scores(rules, values)  # a flag may look at a score or its band
    return tuple(flag.id for flag in rules.urgent if flag.when(values))


def evaluate_assessment(
    rule_sets: Iterable[RuleSet],
    answers_by_module: Mapping[str, Mapping[str, Any]],
    about: Mapping[str, Any] | None = None,
) -> AssessmentResult:
    return AssessmentResult(
        tuple(
            evaluate_module(rules, answers_by_module.get(rules.module_id, {}), about)
            for rules in rule_sets
        )
    )
