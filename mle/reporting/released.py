"""A released period as the pages read it: the figures exactly as they were released (a count,
a count rounded to base 5, or "c"), with when they were released and what the release revised.
The tables (tables.py) are drawn from this, on screen and in every download."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from mle.reporting.periods import Period
from mle.reporting.suppression import HIDDEN


@dataclass
class ReleasedPublication:
    period: Period
    kind: str  # month, quarter or year
    released_at: datetime
    revised: tuple[str, ...]  # earlier months whose late changes this release includes
    values: dict  # key -> as shown, in the order released
    rounded: frozenset  # keys shown rounded to base 5
    localities: tuple[str, ...] = ()
    groups: dict[str, tuple[str, ...]] = field(default_factory=dict)
    modules: tuple[str, ...] = ()
    tally_keys: dict[str, tuple[str, ...]] = field(default_factory=dict)
    topics: tuple[str, ...] = ()
    medians: dict = field(default_factory=dict)
    month_publications: dict[str, ReleasedPublication | None] = field(
        default_factory=dict, repr=False, compare=False)

    @property
    def months(self) -> tuple[str, ...]:
        return self.period.months

    @property
    def code(self) -> str:
        return self.period.code

    def show(self, key) -> int | str:
        return self.values.get(tuple(key), 0)

    def is_rounded(self, key) -> bool:
        return tuple(key) in self.rounded

    def median_first_action(self, locality: str | None = None):
        """Median whole days to first action; None when nothing was acted on, HIDDEN when the
        number acted on is not shown exactly."""
        return self.medians.get("*" if locality is None else locality)

    @property
    def breakdowns(self) -> bool:
        return self.kind != "month"


def from_stored(period: Period, released_at: datetime, revised, cells, extra) -> \
        ReleasedPublication:
    values = {tuple(key): shown for key, _value, shown, _exact in cells}
    rounded = frozenset(tuple(key) for key, value, shown, exact in cells
                        if not exact and shown != HIDDEN and value)
    return ReleasedPublication(
        period=period, kind=extra.get("kind", "month"), released_at=released_at,
        revised=tuple(revised or ()), values=values, rounded=rounded,
        localities=tuple(extra.get("localities", ())),
        groups={g: tuple(m) for g, m in extra.get("groups", {}).items()},
        modules=tuple(extra.get("modules", ())),
        tally_keys={k: tuple(v) for k, v in extra.get("tally_keys", {}).items()},
        topics=tuple(extra.get("topics", ())),
        medians=dict(extra.get("medians", {})))
