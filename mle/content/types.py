"""How answers appear to expressions, and the answers every module can see."""

from __future__ import annotations

from typing import Any

import rule_engine

DataType = rule_engine.DataType

QUESTION_TYPES = {
    "single_choice": DataType.STRING,
    "multiple_choice": DataType.ARRAY(DataType.STRING),
    "yes_no": DataType.BOOLEAN,
    "number": DataType.FLOAT,
    "text": DataType.STRING,
}

# Names every module's expressions may use besides its own questions.
ABOUT_TYPES = {"age_band": DataType.STRING, "answering_for": DataType.STRING}


def yes_no_key(key: Any) -> str:
    """A points-table key as a word: YAML 1.1 reads a bare yes/no key as a boolean."""
    return {True: "yes", False: "no"}[key] if isinstance(key, bool) else str(key)
