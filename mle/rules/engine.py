"""Evaluate a module's rule set against a person's answers."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from rule_engine.types import coerce_value

from mle.rules.expressions import Values
from mle.rules.model import (
    WITHHELD_RULE,
    AssessmentResult,
    FiredOutcome,
    ModuleResult,
    Outcome,
    ReferralOffer,
    RuleSet,
    SuggestedEquipment,
    WithheldEquipment,
)
from mle.rules.routing import effective_answers
from mle.vocabulary import level_rank, priority_rank


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


def _with_scores(rules: RuleSet, values: Values) -> tuple[dict[str, float], dict[str, str]]:
    scores: dict[str, float] = {}
    bands: dict[str, str] = {}
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


def _equipment(
    rules: RuleSet, fired: Iterable[Outcome], values: Values, someone_else: bool
) -> tuple[tuple[SuggestedEquipment, ...], tuple[WithheldEquipment, ...], tuple[str, ...],
           tuple[str, ...]]:
    """What the fired rules' candidates come to: items that fit and are safe, items withheld
    because the answers rule them out, the rules none of whose candidates fit, and those
    candidates."""
    suggested: list[SuggestedEquipment] = []
    withheld: dict[str, WithheldEquipment] = {}
    may_not_fit: list[str] = []
    misfits: list[str] = []
    for outcome in fired:
        fitting = []
        for item_id in outcome.equipment:
            rule = rules.equipment[item_id]
            reasons = tuple(n for n in rule.not_for if n.when(values))
            if reasons:
                # A contraindication outranks fit: say why, whatever the measurements.
                withheld.setdefault(item_id, WithheldEquipment(item_id, reasons))
            elif rule.criteria(values):
                fitting.append(item_id)
        if outcome.equipment and not fitting and not any(i in withheld for i in outcome.equipment):
            may_not_fit.append(outcome.id)
            misfits += outcome.equipment
        suggested += [SuggestedEquipment(item_id, outcome.because_for(someone_else))
                      for item_id in fitting]
    return (_first_per_item(suggested), tuple(withheld.values()), tuple(may_not_fit),
            _unique(misfits))


def _referral_offers(fired: Iterable[Outcome], withheld: tuple[WithheldEquipment, ...],
                     someone_else: bool) -> tuple[ReferralOffer, ...]:
    """One offer per team, at the most urgent priority any of its rules asked for; none is
    dropped. The most urgent offers come first, then in the content owner's rule order."""
    asked = [(o.referral, o.id, o.because_for(someone_else)) for o in fired
             if o.referral is not None]
    for item in withheld:
        for assessment in item.assessments:
            # One reason each, never joined: each is a sentence of the content, so each is
            # shown in the reader's language. The offer stands even with no reason given.
            texts = [n.because_for(someone_else) or "" for n in item.reasons
                     if n.because and n.assessment == assessment]
            asked += [(assessment, WITHHELD_RULE, text) for text in texts or [""]]
    by_team: dict[str, ReferralOffer] = {}
    for referral, rule_id, because in asked:
        offer = by_team.get(referral.team)
        if offer is None:
            by_team[referral.team] = ReferralOffer(referral.team, referral.priority, (rule_id,),
                                                   (because,) if because else ())
            continue
        priority = max(offer.priority, referral.priority, key=priority_rank)
        by_team[referral.team] = ReferralOffer(
            offer.team, priority, _unique((*offer.rule_ids, rule_id)),
            _unique((*offer.because, because)) if because else offer.because)
    order = list(by_team)
    return tuple(sorted(by_team.values(),
                        key=lambda r: (-priority_rank(r.priority), order.index(r.team))))


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
    someone_else = rules.for_someone_else(values)
    equipment, withheld, may_not_fit, misfits = _equipment(rules, fired, values, someone_else)
    referrals = _referral_offers(fired, withheld, someone_else)

    levels = [o.level for o in fired] + (["referral"] if referrals else [])
    levels += ["urgent"] if urgent else []
    return ModuleResult(
        module_id=rules.module_id,
        level=max(levels, key=level_rank, default="advice"),
        scores=scores,
        bands=bands,
        fired=tuple(FiredOutcome(o.id, o.level, o.because_for(someone_else)) for o in fired),
        urgent=urgent,
        advice=_unique(a for o in fired for a in o.advice),
        equipment=equipment,
        may_not_fit=may_not_fit,
        not_fitting=misfits,
        needs=_unique(n for o in fired for n in o.needs),
        referrals=referrals,
        withheld=withheld,
        topics=_unique(t for o in fired for t in o.topics if t != rules.module_id),
        for_someone_else=someone_else,
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
