"""When an entry is due for an editor to check it is still correct: never checked, checked
longer ago than the review period (MLE_REVIEW_PERIOD_MONTHS), or past its review date."""

from __future__ import annotations

from datetime import date

from flask import current_app
from sqlalchemy import func, or_, select

from mle.database import db
from mle.models import Service


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier), or the month's last day when it is shorter."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - one of the four always fits


def review_period() -> int:
    return int(current_app.config["MLE_REVIEW_PERIOD_MONTHS"])


def needs_review(today: date):
    """The SQL condition for an entry due for review on `today`."""
    cutoff = add_months(today, -review_period())
    return or_(Service.last_reviewed.is_(None), Service.last_reviewed <= cutoff,
               Service.review_due < today)


def entries_due_for_review(today: date | None = None) -> list[Service]:
    """Entries residents can see or that are being prepared, not reviewed within the period."""
    today = today or date.today()
    return list(db.session.scalars(
        select(Service).where(Service.publication_status != "archived", needs_review(today))
        .order_by(Service.last_reviewed.is_not(None), Service.last_reviewed,
                  func.lower(Service.name))))
