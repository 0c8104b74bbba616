"""Small numbers never shown, and no hidden count can be worked out from the totals shown."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from mle.reporting.suppression import HIDDEN, determined, suppress, suppress_list


def test_counts_from_one_to_four_are_hidden_and_zero_and_five_are_shown():
    cells, total = suppress_list([0, 1, 4, 5, 20])
    assert cells[0] == 0 and cells[3] == 5
    assert cells[1] == HIDDEN and cells[2] == HIDDEN
    assert total == 30


def test_a_single_hidden_cell_takes_another_with_it():
    cells, total = suppress_list([3, 10, 12, 40])
    assert cells == [HIDDEN, HIDDEN, 12, 40]  # 10 hidden too, or 3 = 65 - 62
    assert total == 65


def test_a_small_total_is_hidden():
    cells, total = suppress_list([1, 2])
    assert cells == [HIDDEN, HIDDEN] and total == HIDDEN


def _derivable(values: list, total) -> bool:
    """Could one hidden value in this line be worked out from the total and the rest?"""
    return total != HIDDEN and sum(1 for v in values if v == HIDDEN) == 1


tables = st.integers(min_value=1, max_value=6).flatmap(
    lambda columns: st.lists(
        st.lists(st.one_of(st.integers(0, 6), st.integers(0, 200)),
                 min_size=columns, max_size=columns),
        min_size=1, max_size=7))


@settings(max_examples=400, deadline=None)
@given(tables)
def test_no_small_number_is_ever_shown(counts):
    table = suppress(counts)
    shown = [v for row in table.cells for v in row]
    shown += table.row_totals + table.column_totals + [table.total]
    assert not any(isinstance(v, int) and 0 < v < 5 for v in shown)


@settings(max_examples=400, deadline=None)
@given(tables)
def test_no_hidden_cell_can_be_worked_out_from_a_total(counts):
    table = suppress(counts)
    for row, total in zip(table.cells, table.row_totals, strict=True):
        assert not _derivable(row, total), (counts, table)
    for c, total in enumerate(table.column_totals):
        assert not _derivable([row[c] for row in table.cells], total), (counts, table)
    assert not _derivable(table.row_totals, table.total), (counts, table)
    assert not _derivable(table.column_totals, table.total), (counts, table)


@settings(max_examples=200, deadline=None)
@given(tables)
def test_visible_values_are_the_true_counts(counts):
    table = suppress(counts)
    for r, row in enumerate(table.cells):
        for c, value in enumerate(row):
            assert value == HIDDEN or value == counts[r][c]


def test_determined_works_out_figures_group_by_group():
    # b + c = a leaves both open; e = d is fixed; f + g = h with f = g fixes both.
    relations = [("a", ["b", "c"]), ("d", ["e"]), ("h", ["f", "g"]), ("f", ["g"])]
    assert determined(["b", "c", "e", "f", "g"], relations) == ["e", "f", "g"]
    assert determined(["b", "c"], relations) == []
