"""The nine National Health and Wellbeing Outcomes, and which module results count towards each:
by the module's outcome level, or by the module itself (directory/national_outcomes.yaml)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml


@dataclass(frozen=True)
class NationalOutcomes:
    outcomes: dict[int, str]
    levels: dict[str, tuple[int, ...]]
    modules: dict[str, tuple[int, ...]]

    def levels_for(self, outcome: int) -> list[str]:
        return [level for level, outcomes in self.levels.items() if outcome in outcomes]

    def modules_for(self, outcome: int) -> list[str]:
        return [module for module, outcomes in self.modules.items() if outcome in outcomes]

    def outcomes_for(self, module: str, level: str) -> tuple[int, ...]:
        return tuple(sorted({*self.levels.get(level, ()), *self.modules.get(module, ())}))


def load_national_outcomes(path: Path) -> NationalOutcomes:
    raw = yaml.safe_load(path.read_text("utf-8"))
    outcomes = {int(o["id"]): o["text"] for o in raw["outcomes"]}
    levels = {k: tuple(v) for k, v in (raw.get("levels") or {}).items()}
    modules = {k: tuple(v) for k, v in (raw.get("modules") or {}).items()}
    for mapped in (*levels.values(), *modules.values()):
        unknown = set(mapped) - set(outcomes)
        if unknown:
            raise ValueError(f"national_outcomes.yaml maps to unknown outcomes {unknown}")
    return NationalOutcomes(outcomes, levels, modules)

