"""The compiled rule set of a module, and what evaluating it returns."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from mle.rules.expressions import Expression

# Outcome levels, lowest first. A module's level is the highest level of what fired.
LEVELS = ("advice", "equipment", "signposting", "referral", "urgent")


def level_rank(level: str) -> int:
    return LEVELS.index(level)


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


@dataclass(frozen=True)
class UrgentFlag:
    id: str
    when: Expression
    message: str
    because: str
    contacts: tuple[str, ...]


@dataclass(frozen=True)
class EquipmentRule:
    item_id: str
    criteria: Expression
    measurements: tuple[str, ...] = ()


@dataclass(frozen=True)
class RuleSet:
    module_id: str
    visibility: tuple[tuple[str, Expression | None], ...]  # questions in order, with show_when
    scores: tuple[Score, ...] = ()
    outcomes: tuple[Outcome, ...] = ()
    urgent: tuple[UrgentFlag, ...] = ()
    equipment: Mapping[str, EquipmentRule] = field(default_factory=dict)


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
    referral: Referral | None
    referral_rule: str | None

    @property
    def fired_ids(self) -> tuple[str, ...]:
        return tuple(f.id for f in self.fired)


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
