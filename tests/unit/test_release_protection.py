"""The protection of released periods: "c" for a count from 1 to 4, a true zero always 0,
secondary suppression that never needs a zero, a quarter that keeps its months' secrets, a year
that hides a late change from 1 to 4, rounding to base 5 where a breakdown would be mostly
hidden, and rows with suppressed figures last."""

from __future__ import annotations

import pytest

from mle.reporting.release_build import (
    Frozen,
    _protect_with_earlier,
    _rounded,
    build_month,
    family,
    round5,
)
from mle.reporting.rollup_figures import MonthFigures
from mle.reporting.suppression import HIDDEN, determined, protect


def _month(assessments: int, modules: dict[str, int] | None = None) -> MonthFigures:
    figures = MonthFigures()
    # One cell of the rollup: (value, locality) -> the eight measures.
    figures.measures["simd_quintile"][(2, "airdrie")] = (assessments, assessments, 0, 0, 0, 0,
                                                         0, 0)
    for module, count in (modules or {}).items():
        figures.modules[(module, "advice", "airdrie")] = count
    return figures


@pytest.mark.parametrize(("count", "shown"), [(0, 0), (1, HIDDEN), (4, HIDDEN), (5, 5), (37, 37)])
def test_a_month_shows_c_for_1_to_4_and_a_true_zero_as_0(count, shown):
    built = build_month("2025-05", _month(count, {"falls": count}))
    cells = {tuple(k): s for k, _, s, _ in built.cells}
    assert cells[("m", "assessments", "all")] == shown
    assert cells[("v", "topic")] == 0
    if count:
        assert cells[("mod", "falls")] == shown


def test_secondary_suppression_never_hides_a_zero():
    values = {"total": 12, "a": 3, "b": 0, "c": 9}
    relations = [("total", ["a", "b", "c"])]
    hidden = protect(values, relations, keep_zeros=True)
    assert hidden == {"a", "c"}  # not the zero beside it
    # Where only zeros are left beside it, the total goes instead.
    hidden = protect({"total": 3, "a": 3, "b": 0}, [("total", ["a", "b"])], keep_zeros=True)
    assert hidden == {"a", "total"}


def test_a_figure_fixed_through_a_locality_group_takes_the_group_with_it():
    """The area total is the sum of three localities, two of which make a group: hiding the
    third alone would let the total minus the group give it away."""
    values = {"all": 20, "a": 8, "b": 9, "w": 3, "group": 17}
    relations = [("all", ["a", "b", "w"]), ("group", ["a", "b"])]
    hidden = protect(values, relations, keep_zeros=True)
    assert "w" in hidden and not determined(sorted(hidden), relations)
    assert "all" not in hidden  # the headline stays: the group goes instead


def test_a_quarter_hides_what_one_of_its_months_hid():
    """May hid 3 assessments; April and June showed theirs. Showing the quarter's 3 + 40 + 50
    would give May's away."""
    months = {m: Frozen(m, (m,), {("m", "assessments", "all"): v},
                        {("m", "assessments", "all")} if v >= 5 else set(), [])
              for m, v in (("2025-04", 40), ("2025-05", 3), ("2025-06", 50))}
    values = {("m", "assessments", "all"): 93, ("m", "assessments", "loc", "a"): 93}
    relations = [(("m", "assessments", "all"), [("m", "assessments", "loc", "a")])]
    hidden, fixed = _protect_with_earlier("2025-Q2", ("2025-04", "2025-05", "2025-06"),
                                          values, relations, list(months.values()))
    assert ("m", "assessments", "all") in hidden
    assert ("m", "assessments", "loc", "a") in hidden  # or it would give the total away
    assert fixed == set()


def test_a_quarter_may_not_hide_what_its_months_already_show():
    months = [Frozen(m, (m,), {("mod", "falls"): v}, {("mod", "falls")}, [])
              for m, v in (("2025-04", 6), ("2025-05", 0), ("2025-06", 7))]
    hidden, fixed = _protect_with_earlier("2025-Q2", ("2025-04", "2025-05", "2025-06"),
                                          {("mod", "falls"): 13}, [], months)
    assert fixed == {("mod", "falls")} and hidden == set()


def test_a_year_hides_a_late_change_from_1_to_4():
    """Referrals accepted: the quarters showed 10, 20, 30 and 40 when they were released; by
    the year's release two more were accepted. 102 against 100 would tell of those two."""
    key = ("m", "referral_accepted", "all")
    quarters = [Frozen(q, tuple(f"{q}-{i}" for i in range(3)), {key: v}, {key}, [])
                for q, v in (("Q1", 10), ("Q2", 20), ("Q3", 30), ("Q4", 40))]
    hidden, _ = _protect_with_earlier("FY", tuple(f"Q{n}-{i}" for n in range(1, 5)
                                                  for i in range(3)),
                                      {key: 102}, [], quarters)
    assert key in hidden
    hidden, _ = _protect_with_earlier("FY", tuple(f"Q{n}-{i}" for n in range(1, 5)
                                                  for i in range(3)),
                                      {key: 107}, [], quarters)
    assert key not in hidden  # seven changes: not a small number


@pytest.mark.parametrize(("value", "rounded"), [(5, 5), (7, 5), (8, 10), (12, 10), (13, 15),
                                                (161, 160), (163, 165)])
def test_rounding_to_base_5(value, rounded):
    assert round5(value) == rounded


def test_a_mostly_hidden_breakdown_is_rounded_and_a_mostly_shown_one_is_not():
    values = {("m", "assessments", "age_band", "a", "x"): 3,
              ("m", "assessments", "age_band", "b", "x"): 2,
              ("m", "assessments", "age_band", "c", "x"): 40,
              ("m", "assessments", "channel", "a", "x"): 3,
              ("m", "assessments", "channel", "b", "x"): 30,
              ("m", "assessments", "channel", "c", "x"): 40,
              ("m", "assessments", "all"): 45}
    hidden = {k for k, v in values.items() if v < 5}
    rounded = _rounded(values, hidden, set())
    assert {k for k in rounded if k[2] == "age_band"} == {
        k for k in values if k[2] == "age_band"}
    assert not {k for k in rounded if k[2] == "channel"}
    assert ("m", "assessments", "all") not in rounded  # a headline is never rounded


@pytest.mark.parametrize(("key", "expected"), [
    (("m", "assessments", "all"), None),
    (("m", "assessments", "loc", "airdrie"), ("loc",)),
    (("m", "assessments", "simd_quintile", 1, "airdrie"), ("simd_quintile", "airdrie")),
    (("t", "referral_status", "*"), None),
    (("t", "service", "x", "wishaw"), ("t", "service", "wishaw")),
    (("v", "topic", "sight-loss"), ("v", "topic")),
])
def test_each_figure_belongs_to_its_breakdown(key, expected):
    assert family(key) == expected
