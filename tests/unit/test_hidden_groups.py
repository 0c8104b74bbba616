"""The hidden figures the shown ones fix, kept up to date as figures are hidden one by one (and
now and then shown again): always the same answer as solving from scratch, and the same as an
independent exact rational check."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from mle.reporting.hidden_groups import HiddenGroups

FIGURES = [f"f{i}" for i in range(12)]

relations_strategy = st.lists(
    st.tuples(st.sampled_from(FIGURES), st.lists(st.sampled_from(FIGURES), min_size=1,
                                                 max_size=4)),
    min_size=1, max_size=8)


def _rank(rows: list[list[Fraction]]) -> int:
    rows = [row[:] for row in rows]
    rank, columns = 0, len(rows[0]) if rows else 0
    for column in range(columns):
        pivot = next((r for r in range(rank, len(rows)) if rows[r][column]), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        for r in range(len(rows)):
            if r != rank and rows[r][column]:
                factor = rows[r][column] / rows[rank][column]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[rank], strict=True)]
        rank += 1
    return rank


def _fixed_exactly(hidden: set, relations) -> set:
    """A hidden figure is fixed when adding its unit vector does not raise the rank of the
    sums restricted to the hidden figures (rational arithmetic, written apart from the code)."""
    keys = sorted(hidden)
    rows = []
    for total, parts in relations:
        row = [Fraction(0)] * len(keys)
        for key, sign in ((total, 1), *((p, -1) for p in parts)):
            if key in hidden:
                row[keys.index(key)] += sign
        if any(row):
            rows.append(row)
    rank = _rank(rows)
    fixed = set()
    for i, key in enumerate(keys):
        unit = [Fraction(int(j == i)) for j in range(len(keys))]
        if _rank([*rows, unit]) == rank:
            fixed.add(key)
    return fixed


def test_a_hidden_figure_is_fixed_until_a_second_figure_of_its_sum_is_hidden():
    relations = [("total", ["a", "b", "c"]), ("d", ["e"])]
    groups = HiddenGroups(relations)
    assert groups.fixed_by_group({"a"}, str) == [["a"]]
    assert groups.fixed_by_group({"a", "b"}, str) == []
    assert groups.fixed_by_group({"a", "b", "e"}, str) == [["e"]]
    # Shown again: the answer is worked out afresh.
    assert groups.fixed_by_group({"e"}, str) == [["e"]]
    assert groups.fixed_by_group({"d", "e"}, str) == []


@settings(max_examples=200, deadline=None)
@given(relations=relations_strategy,
       steps=st.lists(st.tuples(st.booleans(), st.sets(st.sampled_from(FIGURES), max_size=3)),
                      min_size=1, max_size=10))
def test_kept_up_to_date_it_answers_as_from_scratch_and_exactly(relations, steps):
    kept = HiddenGroups(relations)
    hidden: set = set()
    for show_again, figures in steps:
        hidden = hidden - figures if show_again else hidden | figures
        answer = kept.fixed_by_group(set(hidden), str)
        assert answer == HiddenGroups(relations).fixed_by_group(set(hidden), str)
        assert {key for group in answer for key in group} == _fixed_exactly(hidden, relations)
        assert all(group == sorted(group) for group in answer)
