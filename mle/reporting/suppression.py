"""Small-number suppression for every report and export.

Counts from 1 to 4 are shown as "c" (primary suppression). Then, so that no hidden count can be
worked out from a total, every row and column that has a total shown and exactly one hidden cell
hides one more: its smallest other non-zero count (secondary suppression). This repeats until no
line has a single hidden cell, because hiding a cell in a row can leave its column exposed.

Pure: works on plain lists, so it is shared by the screens and the exports and property-tested.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from mle.reporting.hidden_groups import HiddenGroups

THRESHOLD = 5
HIDDEN = "c"


@dataclass(frozen=True)
class SuppressedTable:
    """Cells and totals as shown: an int, or HIDDEN."""

    cells: list[list[int | str]]
    row_totals: list[int | str]
    column_totals: list[int | str]
    total: int | str


def _small(value: int) -> bool:
    return 0 < value < THRESHOLD


def _line_cells(hidden: list[list[bool]], row: int | None = None, column: int | None = None):
    if row is not None:
        return [(row, c) for c in range(len(hidden[row]))]
    return [(r, column) for r in range(len(hidden))]


def _protect_line(counts, hidden, positions, totals_hidden: list[bool], index: int) -> bool:
    """Hide one more cell in a line whose total is shown and which hides exactly one cell; if
    the line has no other cell, hide its total instead."""
    if totals_hidden[index]:
        return False
    hidden_here = [p for p in positions if hidden[p[0]][p[1]]]
    if len(hidden_here) != 1:
        return False
    candidates = [p for p in positions if not hidden[p[0]][p[1]]]
    if not candidates:
        totals_hidden[index] = True
        return True
    # Prefer the smallest non-zero count: it loses the least information.
    candidates.sort(key=lambda p: (counts[p[0]][p[1]] == 0, counts[p[0]][p[1]]))
    row, column = candidates[0]
    hidden[row][column] = True
    return True


def suppress(counts: Sequence[Sequence[int]]) -> SuppressedTable:
    """Suppress a table of counts with row totals, column totals and a grand total."""
    counts = [list(row) for row in counts]
    rows = len(counts)
    columns = len(counts[0]) if rows else 0
    row_totals = [sum(row) for row in counts]
    column_totals = [sum(counts[r][c] for r in range(rows)) for c in range(columns)]
    total = sum(row_totals)
    hidden = [[_small(v) for v in row] for row in counts]
    row_hidden = [_small(v) for v in row_totals]
    column_hidden = [_small(v) for v in column_totals]

    changed = True
    while changed:
        changed = False
        for r in range(rows):
            changed |= _protect_line(counts, hidden, _line_cells(hidden, row=r), row_hidden, r)
        for c in range(columns):
            changed |= _protect_line(counts, hidden, _line_cells(hidden, column=c),
                                     column_hidden, c)
        # A hidden total must not be derivable from the other totals and the grand total.
        for totals, flags in ((row_totals, row_hidden), (column_totals, column_hidden)):
            if sum(flags) == 1 and not _small(total) and len(flags) > 1:
                visible = [i for i, flag in enumerate(flags) if not flag]
                smallest = min(visible, key=lambda i: (totals[i] == 0, totals[i]))
                flags[smallest] = True
                changed = True

    def show(value: int, is_hidden: bool) -> int | str:
        return HIDDEN if is_hidden else value

    return SuppressedTable(
        cells=[[show(counts[r][c], hidden[r][c]) for c in range(columns)] for r in range(rows)],
        row_totals=[show(v, row_hidden[r]) for r, v in enumerate(row_totals)],
        column_totals=[show(v, column_hidden[c]) for c, v in enumerate(column_totals)],
        total=show(total, _small(total)),
    )


def suppress_list(counts: Sequence[int]) -> tuple[list[int | str], int | str]:
    """A single column of counts with its total (for example, assessments by locality)."""
    table = suppress([[value] for value in counts])
    return [row[0] for row in table.cells], table.total


def hide_small(value: int) -> int | str:
    """Primary suppression alone, for figures that are not parts of any total shown (such as
    the stages of the funnel, each a subset of the one before)."""
    return HIDDEN if _small(value) else value


# Suppression across every figure published for a period -------------------------------------
#
# The screens show many tables that share figures: the locality view's totals are the
# dashboard's locality rows, a locality's breakdown by SIMD quintile adds up to that locality's
# total and, across localities, to the quintile's total on the dashboard. `protect` takes all
# of those figures at once with the sums that hold between them, and hides enough of them that
# no hidden figure can be worked out from the figures shown by any combination of those sums.

def determined(hidden: Sequence, relations: Sequence[tuple]) -> list:
    """The hidden figures that the shown ones fix exactly: those whose unit vector lies in the
    row space of the relations restricted to the hidden figures (Gauss-Jordan, modulo a large
    prime, on sparse rows, separately for each group of figures linked by the relations)."""
    return sorted((key for group in determined_by_group(hidden, relations) for key in group),
                  key={key: i for i, key in enumerate(hidden)}.__getitem__)


def determined_by_group(hidden: Sequence, relations: Sequence[tuple]) -> list[list]:
    """`determined`, as one list for each group of hidden figures linked by the relations
    (groups share no figure, so what is hidden to protect one leaves the others as they
    are)."""
    position = {key: i for i, key in enumerate(hidden)}
    return HiddenGroups(relations).fixed_by_group(set(hidden), position.__getitem__)


def _line(total, parts) -> tuple:
    line = [total, *parts]
    figures = frozenset(line)
    return parts, line, figures if len(figures) == len(line) else None


def _hide_by_lines(lines: list[tuple], hidden: set, hide_one_of) -> None:
    """Until nothing changes: a sum with exactly one hidden figure hides one more. `lines` are
    the sums as (parts, [total, *parts], the set of those when no figure is in it twice)."""
    changed = True
    while changed:
        changed = False
        for parts, line, figures in lines:
            count = len(hidden.intersection(figures)) if figures is not None else \
                sum(1 for key in line if key in hidden)
            if count == 1:
                changed |= hide_one_of(parts) or hide_one_of(line)


def protect(values: dict, relations: Sequence[tuple], *, hidden: set | None = None,
            fixed: frozenset = frozenset(), keep_zeros: bool = False) -> set:
    """The figures to hide. `values` maps every figure to be shown to its count; `relations`
    are `(total, parts)` pairs meaning values[total] == sum(values[p] for p in parts).

    Counts from 1 to 4 are hidden; then, line by line, a sum with exactly one hidden figure
    hides one more (its smallest non-zero part); then any hidden figure that a combination of
    sums still fixes takes the smallest shown figure of one of its sums with it, until none is
    fixed. Deterministic, so every page and export shows the same.

    `hidden` adds figures already hidden (such as those of periods published before), `fixed`
    are figures that may not be hidden now (already published, or worked out from figures
    already published), and with `keep_zeros` a zero is never hidden: it is shown as 0, and a
    sum that would need one hides its total or another part instead. Hiding every non-zero
    figure is always safe (each sum then fixes only zeros), so the loop ends safe."""
    hider = _Hider(values, relations, hidden, fixed, keep_zeros)
    hidden, hide_one_of = hider.hidden, hider.hide_one_of
    lines_of = _lines_of(relations)
    lines = [_line(total, parts) for total, parts in relations]
    groups_of = HiddenGroups(relations)
    while True:
        _hide_by_lines(lines, hidden, hide_one_of)
        groups = groups_of.fixed_by_group(hidden, hider.position)
        if keep_zeros:
            # A hidden figure worked out as what it is anyway tells nothing new: a zero.
            groups = [g for g in ([k for k in group if values.get(k, 0) != 0]
                                  for group in groups) if g]
        if not groups:
            return hidden
        stuck = [group for group in groups
                 if not _hide_for(group, lines_of, hider.hide_any, hidden, hide_one_of,
                                  keep_zeros)]
        if stuck and len(stuck) == len(groups):
            # Nothing more may be hidden (the rest is published already): what the published
            # figures fix is known anyway, so it is shown, unless it is a small count.
            known = {k for group in stuck for k in group if not _small(values.get(k, 0))}
            if not known:
                return hidden
            hidden -= known
            hider.locked |= known


class _Hider:
    """What `protect` has hidden and may not hide, and how it picks the next figure to hide:
    the smallest non-zero one (then the first in `values`)."""

    def __init__(self, values: dict, relations, hidden, fixed, keep_zeros: bool):
        self.values, self.keep_zeros = values, keep_zeros
        self.order = {key: i for i, key in enumerate(values)}
        self.locked = set(fixed)
        self.hidden = {key for key, value in values.items()
                       if _small(value) and key not in fixed} | set(hidden or ())
        # Every figure of a sum, smallest first, for hiding "anything": a figure that may not
        # be hidden now never may again (hidden figures stay hidden or become locked), so each
        # search goes on from where the last stopped.
        self._anything = sorted({k for t, parts in relations for k in (t, *parts)
                                 if k in values}, key=self.rank)
        self._next = 0

    def position(self, key) -> int:
        return self.order.get(key, len(self.order))

    def rank(self, key) -> tuple:
        value = self.values.get(key, 0)
        return (value == 0, value, self.position(key))

    def may_hide(self, key) -> bool:
        return key not in self.hidden and key in self.values and key not in self.locked and \
            not (self.keep_zeros and self.values[key] == 0)

    def hide_one_of(self, candidates) -> bool:
        candidates = [k for k in candidates if self.may_hide(k)]
        if not candidates:
            return False
        self.hidden.add(min(candidates, key=self.rank))
        return True

    def hide_any(self) -> bool:
        while self._next < len(self._anything) and not self.may_hide(self._anything[self._next]):
            self._next += 1
        if self._next == len(self._anything):
            return False
        self.hidden.add(self._anything[self._next])
        return True


def _lines_of(relations) -> dict:
    """Each figure's sums, as lines [total, *parts]."""
    lines_of: dict = defaultdict(list)
    for total, parts in relations:
        line = [total, *parts]
        for key in line:
            lines_of[key].append(line)
    return lines_of


def _hide_for(group: list, lines_of: dict, hide_any, hidden: set, hide_one_of,
              near_first: bool) -> bool:
    """Hide one more figure for the first fixed figure of a group. One at a time: hiding one
    often frees several, and hiding for each of them at once would hide more than needed."""
    return _hide_near(group[0], lines_of, hide_any, hidden, hide_one_of, near_first)


def _hide_near(key, lines_of: dict, hide_any, hidden: set, hide_one_of,
               near_first: bool) -> bool:
    """Hide one more figure so that `key` is no longer fixed: a part of one of its own sums;
    else (with `near_first`) the smallest figure shown in a sum with one of the hidden
    figures it is summed with, which is where the missing equation usually comes from (a
    locality group beside the area total); else a total of its sums; else anything."""
    lines = lines_of.get(key, [])
    if any(hide_one_of(line[1:]) for line in lines):
        return True
    if near_first:
        near = {k for line in lines for k in line if k in hidden}
        if hide_one_of([k for n in near for line in lines_of.get(n, ()) for k in line]):
            return True
    return any(hide_one_of(line) for line in lines) or hide_any()
