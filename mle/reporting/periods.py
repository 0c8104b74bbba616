"""Reporting periods: a month (2026-11), a quarter (2026-Q3, calendar) or a financial year
(FY2026 = April 2026 to March 2027). Pure.

The financial year starts with the second calendar quarter, so every quarter lies inside one
financial year (2027-Q1, January to March 2027, is the last quarter of FY2026): the months,
quarters and year of one financial year nest, and no period offered overlaps two years."""

from __future__ import annotations

import re
from dataclasses import dataclass


class PeriodError(ValueError):
    pass


@dataclass(frozen=True)
class Period:
    code: str
    label: str
    months: tuple[str, ...]


_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December")


def _month(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def parse_period(code: str) -> Period:
    code = (code or "").strip().upper()
    if match := re.fullmatch(r"(\d{4})-(\d{2})", code):
        year, month = int(match[1]), int(match[2])
        if 2000 <= year <= 2100 and 1 <= month <= 12:
            return Period(code, f"{_MONTH_NAMES[month - 1]} {year}", (_month(year, month),))
    if match := re.fullmatch(r"(\d{4})-Q([1-4])", code):
        year, quarter = int(match[1]), int(match[2])
        if 2000 <= year <= 2100:
            months = tuple(_month(year, m) for m in range(3 * quarter - 2, 3 * quarter + 1))
            return Period(code, f"Quarter {quarter} {year}", months)
    if match := re.fullmatch(r"FY(\d{4})", code):
        year = int(match[1])
        if 2000 <= year <= 2100:
            months = tuple(_month(year, m) for m in range(4, 13))
            months += tuple(_month(year + 1, m) for m in range(1, 4))
            return Period(code, f"April {year} to March {year + 1}", months)
    raise PeriodError("Enter a period like 2026-11 (a month), 2026-Q3 (a quarter) or FY2026 "
                      "(a financial year, April to March)")


def financial_year_of(month: str) -> str:
    year, number = int(month[:4]), int(month[5:7])
    return f"FY{year if number >= 4 else year - 1}"


def nested_periods(financial_year: str) -> tuple[Period, ...]:
    """Every period offered inside a financial year: its twelve months, its four calendar
    quarters and the year itself, in that order."""
    year = parse_period(financial_year)
    months = tuple(parse_period(month) for month in year.months)
    quarters = tuple(dict.fromkeys(
        parse_period(f"{m.months[0][:4]}-Q{(int(m.months[0][5:7]) + 2) // 3}") for m in months))
    return (*months, *quarters, year)
