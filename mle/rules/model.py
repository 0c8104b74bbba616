"""The compiled rule set of a module, and what evaluating it returns."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from mle.rules.expressions import Expression

# Levels and priorities are part of the rules' interface; their home is the vocabulary.
from mle.vocabulary import LEVELS as LEVELS
from mle.vocabulary import PRIORITIES as PRIORITIES
from mle.vocabulary import priority_rank

# The rule id under which a module offers an assessment because it withheld equipment.
WITHHELD_RULE = "withheld-equipment"


@dataclass(frozen=True)
class Band:
    id: str
    max: float | None  # None for the last, open-ended band


@dataclass(frozen=True)
class Score:
    id: str
    points: Mapping[str, Mapping[str, float]]  # question id -> option value -> points
    bands: tuple[Band, ...]

    def band_for(self, total: float) -> str:
        for band in self.bands:
            if band.max is None or total <= band.max:
                return band.id
        return self.bands[-1].id


@dataclass(frozen=True)
class Referral:
    team: str
    priority: str


@dataclass(frozen=True)
class Outcome:
    id: str
    when: Expression
    level: str
    because: str
    advice: tuple[str, ...] = ()
    equipment: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    referral: Referral | None = None
    policy: str | None = None  # the referral policy this rule carries out
    topics: tuple[str, ...] = ()  # other modules the person should also answer
    because_for_someone_else: str | None = None  # said to someone answering for another

    def because_for(self, someone_else: bool) -> str:
        return (self.because_for_someone_else or self.because) if someone_else else self.because


@dataclass(frozen=True)
class UrgentFlag:
    id: str
    when: Expression
    message: str
    because: str
    contacts: tuple[str, ...]
    steps: tuple[str, ...] = ()
    message_for_someone_else: str | None = None
    because_for_someone_else: str | None = None
    steps_for_someone_else: tuple[str, ...] = ()

    def worded_for(self, someone_else: bool) -> tuple[str, str, tuple[str, ...]]:
        """(message, because, steps) as said to the person answering."""
        if not someone_else:
            return self.message, self.because, self.steps
        return (self.message_for_someone_else or self.message,
                self.because_for_someone_else or self.because,
                self.steps_for_someone_else or self.steps)


@dataclass(frozen=True, eq=False)
class NotFor:
    """A contraindication: when it holds, the item is never suggested, and `because` says why.
    The weight limit of an item is one of these, with `weight_limit_kg` instead of a text."""

    when: Expression
    because: str | None = None
    weight_limit_kg: int | None = None
    because_for_someone_else: str | None = None
    assessment: Referral | None = None  # offered when this holds; None when no team is needed

    def because_for(self, someone_else: bool) -> str | None:
        return (self.because_for_someone_else or self.because) if someone_else else self.because


@dataclass(frozen=True)
class EquipmentRule:
    item_id: str
    criteria: Expression
    measurements: tuple[str, ...] = ()
    not_for: tuple[NotFor, ...] = ()


@dataclass(frozen=True)
class RuleSet:
    module_id: str
    visibility: tuple[tuple[str, Expression | None], ...]  # questions in order, with show_when
    scores: tuple[Score, ...] = ()
    outcomes: tuple[Outcome, ...] = ()
    urgent: tuple[UrgentFlag, ...] = ()
    equipment: Mapping[str, EquipmentRule] = field(default_factory=dict)
    # The questions are about the person answering (a carer), even when the other modules are
    # answered for someone else; so they are never reworded for someone else.
    about_the_answerer: bool = False

    def for_someone_else(self, values: Mapping[str, Any]) -> bool:
        """Are these answers given for another person, so that results say "they"?"""
        return values.get("answering_for") == "someone_else" and not self.about_the_answerer


@dataclass(frozen=True)
class FiredOutcome:
    id: str
    level: str
    because: str


@dataclass(frozen=True)
class SuggestedEquipment:
    item_id: str
    because: str  # the because text of the outcome rule that proposed it


@dataclass(frozen=True)
class WithheldEquipment:
    item_id: str
    reasons: tuple[NotFor, ...]  # every contraindication that held

    @property
    def assessments(self) -> tuple[Referral, ...]:
        """The assessments its reasons call for, most urgent first."""
        found = dict.fromkeys(r.assessment for r in self.reasons if r.assessment is not None)
        return tuple(sorted(found, key=lambda a: -priority_rank(a.priority)))


@dataclass(frozen=True)
class ReferralOffer:
    """One offer of a referral to a team, gathering every rule that asked for that team."""

    team: str
    priority: str
    rule_ids: tuple[str, ...]
    because: tuple[str, ...]


@dataclass(frozen=True)
class ModuleResult:
    module_id: str
    level: str
    scores: Mapping[str, float]
    bands: Mapping[str, str]
    fired: tuple[FiredOutcome, ...]
    urgent: tuple[str, ...]
    advice: tuple[str, ...]
    equipment: tuple[SuggestedEquipment, ...]
    may_not_fit: tuple[str, ...]  # outcome ids whose equipment candidates all failed to fit
    needs: tuple[str, ...]
    not_fitting: tuple[str, ...] = ()  # the candidates of those rules, none of which fit
    referrals: tuple[ReferralOffer, ...] = ()  # most urgent first
    withheld: tuple[WithheldEquipment, ...] = ()
    topics: tuple[str, ...] = ()
    for_someone_else: bool = False  # the texts above are worded for someone answering for another

    @property
    def fired_ids(self) -> tuple[str, ...]:
        return tuple(f.id for f in self.fired)

    @property
    def referral(self) -> Referral | None:
        """The most urgent referral offered."""
        first = self.referrals[0] if self.referrals else None
        return Referral(first.team, first.priority) if first else None

    @property
    def referral_rule(self) -> str | None:
        return self.referrals[0].rule_ids[0] if self.referrals else None

    def referral_to(self, team: str) -> ReferralOffer | None:
        return next((r for r in self.referrals if r.team == team), None)


@dataclass(frozen=True)
class AssessmentResult:
    modules: tuple[ModuleResult, ...]

    @property
    def urgent(self) -> tuple[tuple[str, str], ...]:
        """(module id, urgent flag id) for every urgent flag that fired, in module order."""
        return tuple((m.module_id, flag) for m in self.modules for flag in m.urgent)

    @property
    def rule_ids(self) -> tuple[str, ...]:
        """Qualified ids of every rule and flag that fired, for the outcome record."""
        ids = []
        for m in self.modules:
            ids += [f"{m.module_id}:{flag}" for flag in m.urgent]
            ids += [f"{m.module_id}:{f.id}" for f in m.fired]
        return tuple(ids)
