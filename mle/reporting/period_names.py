"""Names of reporting periods in the reader's language: "April 2025" ("kwiecień 2025",
"اپریل 2025"), "Quarter 2 2025", "April 2025 to March 2026". Month names are Babel's, as a
name on its own ("LLLL"), not as within a date."""

from __future__ import annotations

from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _

from mle.reporting.periods import parse_period


def month_name(month: str) -> str:
    """"2025-04" -> "April 2025" in the reader's language."""
    return format_date(date(int(month[:4]), int(month[5:7]), 1), "LLLL y")


def period_name(code: str) -> str:
    """A month, a calendar quarter or a financial year, named in the reader's language."""
    months = parse_period(code).months
    if len(months) == 1:
        return month_name(months[0])
    if len(months) == 3:
        return _("Quarter %(number)s %(year)s", number=(int(months[0][5:7]) + 2) // 3,
                 year=months[0][:4])
    return _("%(first)s to %(last)s", first=month_name(months[0]), last=month_name(months[-1]))
