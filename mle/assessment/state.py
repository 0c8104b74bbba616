"""What a person has told us so far: one versioned structure, stored encrypted."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

STATE_VERSION = 1


@dataclass
class AboutYou:
    answering_for: str | None = None
    age_band: str | None = None
    # Derived from the postcode, which itself is never stored.
    postcode_district: str | None = None
    locality: str | None = None
    simd_quintile: int | None = None
    in_area: bool | None = None
    approximate: bool = False

    def for_rules(self) -> dict[str, Any]:
        return {"age_band": self.age_band, "answering_for": self.answering_for}


@dataclass
class AssessmentState:
    about: AboutYou = field(default_factory=AboutYou)
    modules: list[str] = field(default_factory=list)
    answers: dict[str, dict[str, Any]] = field(default_factory=dict)
    staff_notes: list[str] = field(default_factory=list)  # assisted assessments only

    def to_json(self) -> dict:
        return {"v": STATE_VERSION, **asdict(self)}

    @classmethod
    def from_json(cls, data: dict) -> AssessmentState:
        return cls(about=AboutYou(**data.get("about", {})),
                   modules=list(data.get("modules", [])),
                   answers={m: dict(a) for m, a in data.get("answers", {}).items()},
                   staff_notes=list(data.get("staff_notes", [])))

    def answer(self, module_id: str, question_id: str) -> Any:
        return self.answers.get(module_id, {}).get(question_id)

    def set_answer(self, module_id: str, question_id: str, value: Any) -> None:
        self.answers.setdefault(module_id, {})[question_id] = value
