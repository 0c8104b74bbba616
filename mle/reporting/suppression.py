"""Small-number suppression for every report and export.

Counts from 1 to 4 are shown as "<5" (primary suppression). Then, so that no hidden count can be
worked out from a total, every row and column that has a total shown and exactly one hidden cell
hides one more: its smallest other non-zero count (secondary suppression). This repeats until no
line has a single hidden cell, because hiding a cell in a row can leave its column exposed.

Pure: works on plain lists, so it is shared by the screens and the exports and property-tested.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

THRESHOLD = 5
HIDDEN = "<5"


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
