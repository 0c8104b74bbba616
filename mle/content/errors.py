"""Content errors that name the file, the item and the problem."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ContentError:
    file: str
    where: str  # the rule, question, item or test id the problem is in
    problem: str

    def __str__(self) -> str:
        return f"{self.file}: {self.where}: {self.problem}"


class ContentErrors(Exception):
    """Raised when content does not load; holds every problem found, not just the first."""

    def __init__(self, errors: list[ContentError]):
        self.errors = errors
        listing = "\n".join(f"  - {error}" for error in errors)
        super().__init__(f"{len(errors)} content error(s):\n{listing}")
