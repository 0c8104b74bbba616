"""Which hidden figures the shown ones still fix, kept up to date while `protect`
(suppression.py) hides figures one by one. Pure.

A hidden figure is fixed when its unit vector lies in the row space of the sums restricted to
the hidden figures. The hidden figures fall into groups that share no sum; a group's answer
depends only on which figures it holds (its equations are the sums that touch them), so the
groups are kept with union-find as figures are hidden, and only a group that changed is solved
again (Gauss-Jordan modulo a large prime, on sparse rows). Protecting a year hides hundreds of
figures one at a time, each changing one group of about two hundred: solving every group
again each time was nearly all the cost of a release (docs/reporting.md, "Protecting a
release")."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence

PRIME = (1 << 61) - 1  # exact enough: coefficients are 0 and +-1, systems are small


def _subtract(row: dict[int, int], other: dict[int, int], factor: int) -> dict[int, int]:
    """row - factor * other, in place."""
    for i, c in other.items():
        value = (row.get(i, 0) - factor * c) % PRIME
        if value:
            row[i] = value
        else:
            row.pop(i, None)
    return row


def reduce_rows(rows: Iterable[dict[int, int]]) -> dict[int, dict[int, int]]:
    """Gauss-Jordan modulo a large prime: pivot column -> reduced row. A column is fixed
    exactly when its reduced row is that column alone, whatever the order of the columns.
    The rows are used up (changed in place)."""
    pivots: dict[int, dict[int, int]] = {}
    for row in rows:
        for column in [c for c in row if c in pivots]:
            if row.get(column):
                row = _subtract(row, pivots[column], row[column])
        if not row:
            continue
        column = min(row)
        inverse = pow(row[column], PRIME - 2, PRIME)
        row = {i: c * inverse % PRIME for i, c in row.items()}
        for pivot, other in pivots.items():
            if other.get(column):
                pivots[pivot] = _subtract(other, row, other[column])
        pivots[column] = row
    return pivots


class HiddenGroups:
    """The hidden figures of one system of sums, in groups linked by the sums."""

    def __init__(self, relations: Sequence[tuple]):
        # Each sum as {figure: coefficient}; a figure both total and part cancels out.
        self._rows: list[dict] = []
        self._rows_of: dict = defaultdict(list)  # figure -> its sums, in order
        for number, (total, parts) in enumerate(relations):
            row: dict = {}
            for key, sign in ((total, 1), *((part, -1) for part in parts)):
                row[key] = (row.get(key, 0) + sign) % PRIME
            row = {key: c for key, c in row.items() if c}
            self._rows.append(row)
            for key in row:
                self._rows_of[key].append(number)
        self._clear()

    def _clear(self) -> None:
        self._taken: set = set()  # the hidden figures taken in so far
        self._parent: dict = {}  # union-find over hidden figures that are in some sum
        self._figures: dict = {}  # group (its root) -> its figures
        self._first: dict = {}  # group -> its first sum (groups are listed in that order)
        self._fixed: dict = {}  # group -> the figures its sums fix, until the group changes

    def _root(self, key):
        parent = self._parent
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    def _join(self, a, b) -> None:
        a, b = self._root(a), self._root(b)
        if a == b:
            return
        if len(self._figures[a]) < len(self._figures[b]):
            a, b = b, a
        self._parent[b] = a
        self._figures[a] |= self._figures.pop(b)
        self._first[a] = min(self._first[a], self._first.pop(b))
        self._fixed.pop(a, None)
        self._fixed.pop(b, None)

    def _take(self, key) -> None:
        self._taken.add(key)
        numbers = self._rows_of.get(key)
        if not numbers:
            return  # in no sum: nothing can fix it
        self._parent[key] = key
        self._figures[key] = {key}
        self._first[key] = numbers[0]
        for number in numbers:
            for other in self._rows[number]:
                if other != key and other in self._parent:
                    self._join(key, other)

    def _solve(self, group) -> frozenset:
        figures = self._figures[group]
        keys = list(figures)
        index = {key: i for i, key in enumerate(keys)}
        numbers = sorted({n for key in figures for n in self._rows_of[key]})
        # Every hidden figure of a sum that touches the group is in the group.
        rows = [{index[k]: c for k, c in self._rows[n].items() if k in index} for n in numbers]
        return frozenset(keys[column] for column, row in reduce_rows(rows).items()
                         if len(row) == 1)

    def fixed_by_group(self, hidden: set, order: Callable) -> list[list]:
        """The figures of `hidden` that the sums fix, one list for each group (in the order of
        the groups' first sums; each list in `order`)."""
        if not self._taken <= hidden:
            self._clear()  # a figure is shown again: start over
        for key in hidden - self._taken:
            self._take(key)
        found = []
        for group in sorted(self._figures, key=self._first.__getitem__):
            fixed = self._fixed.get(group)
            if fixed is None:
                fixed = self._fixed[group] = self._solve(group)
            if fixed:
                found.append(sorted(fixed, key=order))
        return found
