"""What an import run ends with: the counts and the rejected records, or a failure that
changed nothing."""

from __future__ import annotations

from dataclasses import dataclass, field


class ImportFailed(Exception):
    """The file cannot be imported at all: nothing was changed."""


class RecordInvalid(Exception):
    """One record cannot be imported; the reason is written for the person running it."""


@dataclass
class ImportReport:
    imported: int = 0  # new services
    updated: int = 0
    unchanged: int = 0
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (record id, reason)
    feed_format: str = ""

    @property
    def total(self) -> int:
        return self.imported + self.updated + self.unchanged + len(self.rejected)
