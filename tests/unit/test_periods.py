"""The periods of a financial year nest: every month and calendar quarter lies in one year."""

from __future__ import annotations

from mle.reporting.periods import financial_year_of, nested_periods, parse_period


def test_a_financial_year_offers_its_months_its_quarters_and_itself():
    periods = nested_periods("FY2026")
    codes = [p.code for p in periods]
    assert codes[:12] == ["2026-04", "2026-05", "2026-06", "2026-07", "2026-08", "2026-09",
                          "2026-10", "2026-11", "2026-12", "2027-01", "2027-02", "2027-03"]
    assert codes[12:] == ["2026-Q2", "2026-Q3", "2026-Q4", "2027-Q1", "FY2026"]
    year = set(parse_period("FY2026").months)
    for period in periods:
        assert set(period.months) <= year
        assert {financial_year_of(m) for m in period.months} == {"FY2026"}
    # The quarters and the months each cover the year once.
    assert sorted(m for p in periods[12:16] for m in p.months) == sorted(year)
