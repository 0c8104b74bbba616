"""What one period's publication holds: every figure the reports can show for the period, the
keys they go by, the fixed values and bands they are counted in, and which of them are hidden.
The dashboard, each locality view, the national outcomes view and every export show the same
publication (built in protected_year.py).

A figure's key is a tuple:
  ("m", measure, "all")                 the whole area
  ("m", measure, "loc", locality)       one locality ("" for not known)
  ("m", measure, "grp", group)          a locality group
  ("m", measure, dimension, value)      by SIMD quintile, age band or channel
  ("m", measure, dimension, value, loc) the same within one locality
  ("mod", module) / ("mod", module, loc) assessments that used a module
  ("lvl", module, level)                a module's results at each outcome level
  ("nat", outcome)                      module results counting towards a national outcome
  ("t", kind, key) / ("t", kind, key, loc) tallies (equipment items, referral statuses, ...)
  ("t", kind, "*") / ("t", kind, "*", loc) the total of a kind with one value per record
"""

from __future__ import annotations

from array import array
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from mle.reporting.suppression import HIDDEN

# Every measure is also counted by each of these.
CROSS = ("simd_quintile", "age_band", "channel")
SIMD_QUINTILES = (1, 2, 3, 4, 5, 0)  # most deprived first, then 0 for not known
# Whole days from a request to the team's first action, in bands: (key, lowest, highest).
FIRST_ACTION_BANDS = (("0", 0, 0), ("1-2", 1, 2), ("3-5", 3, 5), ("6-10", 6, 10),
                      ("11-20", 11, 20), ("21+", 21, 10_000))
# Kinds with one value per record: their values add up to a total that is shown.
SINGLE = ("referral_status", "feedback_helpful", "first_action")
LIST_KINDS = ("equipment_suggested", "equipment_requested", "feedback_next", "unmet_need",
              "service", "solution")


def band_of(days: int) -> str:
    for key, low, high in FIRST_ACTION_BANDS:
        if low <= days <= high:
            return key
    return FIRST_ACTION_BANDS[-1][0]


class Figures(Mapping):
    """One period's figures: a count for every key the financial year publishes, held in a
    compact array over a key index that every period of the year shares: 8 bytes a count, not a
    dictionary per period (see bench/report_memory.py)."""

    __slots__ = ("_index", "_counts")

    def __init__(self, index: dict, counts: array):
        self._index = index
        self._counts = counts

    def __getitem__(self, key) -> int:
        return self._counts[self._index[key]]

    def __contains__(self, key) -> bool:
        return key in self._index

    def __iter__(self) -> Iterator:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)


@dataclass
class Publication:
    months: tuple[str, ...]
    localities: tuple[str, ...]  # ids, then "" for not known
    groups: dict[str, tuple[str, ...]]
    values: Mapping = field(default_factory=dict)
    relations: list = field(default_factory=list)  # (total, parts): the sums between figures
    hidden: frozenset = field(default_factory=frozenset)
    topics: dict[str, int] = field(default_factory=dict)
    hidden_topics: frozenset = field(default_factory=frozenset)
    modules: tuple[str, ...] = ()
    tally_keys: dict[str, tuple[str, ...]] = field(default_factory=dict)
    first_action_days: dict[str, dict[int, int]] = field(default_factory=dict)  # loc -> hist
    # The month publications of the same year, for the rows of the "by month" table: a month
    # row is that month's own protected headline figures.
    month_publications: dict[str, Publication] = field(default_factory=dict, repr=False,
                                                       compare=False)

    def show(self, key) -> int | str:
        return HIDDEN if key in self.hidden else self.values.get(key, 0)

    def median_first_action(self, locality: str | None = None) -> int | str | None:
        """Median whole days to first action; None when nothing was acted on, HIDDEN when
        fewer than 5 were."""
        histogram: dict[int, int] = defaultdict(int)
        for loc, counts in self.first_action_days.items():
            if locality is None or loc == locality:
                for days, count in counts.items():
                    histogram[days] += count
        total = sum(histogram.values())
        if total == 0:
            return None
        if total < 5:
            return HIDDEN
        seen, middle = 0, (total + 1) // 2
        for days in sorted(histogram):
            seen += histogram[days]
            if seen >= middle:
                return days
        return None
