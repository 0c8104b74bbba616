"""The plan that opens a result: at most five next steps across every topic, most important
first, and where each thing the result offers is shown in full (once, under the first topic
that needs it; the other topics that need it point there).

Order: a referral, then a service to contact, then equipment, then advice (the levels of
mle.vocabulary, most pressing first); within a level, the more pressing referral first, then
the order of the topics.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from mle.vocabulary import level_rank, priority_rank

MAX_STEPS = 5


@dataclass(frozen=True)
class PlanStep:
    level: str  # "referral", "signposting", "equipment" or "advice"
    key: str  # the team, service, equipment item or advice it is about
    item: Any  # a ReferralRoute, MatchedService, EquipmentSuggestion or AdviceItem
    module_ids: tuple[str, ...]  # the topics it serves, the first where it is shown in full

    @property
    def module_id(self) -> str:
        return self.module_ids[0]


@dataclass(frozen=True)
class Plan:
    steps: tuple[PlanStep, ...]  # the first MAX_STEPS, in order
    later: tuple[PlanStep, ...] = ()  # the rest, in the same order
    _by_key: dict[tuple[str, str], PlanStep] = field(default_factory=dict, repr=False)

    def home(self, level: str, key: str) -> str | None:
        """The topic under which this is shown in full."""
        step = self._by_key.get((level, key))
        return step.module_id if step else None

    def also_for(self, level: str, key: str) -> tuple[str, ...]:
        """The other topics it serves."""
        step = self._by_key.get((level, key))
        return step.module_ids[1:] if step else ()

    def keys_at(self, level: str, module_id: str) -> frozenset[str]:
        """What of this level is shown in full under this topic."""
        return frozenset(key for (lv, key), step in self._by_key.items()
                         if lv == level and step.module_id == module_id)

    def number(self, level: str, key: str) -> int | None:
        """Its step number in the plan (1 to MAX_STEPS), or None when not in the plan."""
        step = self._by_key.get((level, key))
        return self.steps.index(step) + 1 if step in self.steps else None


def _gather(found: dict, level: str, key: str, item: Any, module_id: str, order: tuple) -> None:
    entry = found.get((level, key))
    if entry is None:
        found[(level, key)] = [item, [module_id], order]
    elif module_id not in entry[1]:
        entry[1].append(module_id)
        entry[2] = min(entry[2], order)


def make_plan(sections: Sequence[Any]) -> Plan:
    """The plan for a result's sections (ModuleSection), in the order of the topics."""
    found: dict[tuple[str, str], list] = {}
    for index, section in enumerate(sections):
        module_id = section.module.id
        for route in section.referrals:
            _gather(found, "referral", route.team.id, route, module_id,
                    (-priority_rank(route.offer.priority), index))
        for rank, match in enumerate(section.services):
            _gather(found, "signposting", match.service.id, match, module_id, (index, rank))
        for rank, suggestion in enumerate(section.equipment):
            _gather(found, "equipment", suggestion.item.id, suggestion, module_id, (index, rank))
        for rank, advice in enumerate(section.advice):
            # The same advice can sit in two topics under its own id in each: one is enough.
            _gather(found, "advice", advice.title, advice, module_id, (index, rank))
    steps = _ordered(found)
    return Plan(steps=tuple(steps[:MAX_STEPS]), later=tuple(steps[MAX_STEPS:]),
                _by_key={(s.level, s.key): s for s in steps})


def _ordered(found: dict[tuple[str, str], list]) -> list[PlanStep]:
    entries = sorted(found.items(), key=lambda e: (-level_rank(e[0][0]), e[1][2]))
    return [PlanStep(level, key, item, tuple(modules))
            for (level, key), (item, modules, _order) in entries]

