"""Monthly report releases: each month is published once, after it ends, and what it published
is stored and never recomputed. A quarter or a financial year is published with the release of
its last month, built from released months."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mle.database import db


class ReportRelease(db.Model):
    """The release of one month, and of the quarter and financial year it completes."""

    __tablename__ = "report_release"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    month: Mapped[str] = mapped_column(String(7))  # YYYY-MM
    released_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # Earlier months whose records changed after their own release (a referral status,
    # feedback, equipment requested): the periods this release publishes include the changes.
    revised: Mapped[list] = mapped_column(JSON, default=list)
    # A digest of each month's rollup figures as this release read them, to tell revisions.
    digests: Mapped[dict] = mapped_column(JSON, default=dict)
    periods: Mapped[list[ReleasedPeriod]] = relationship(
        back_populates="release", cascade="all, delete-orphan", lazy="selectin")

    __table_args__ = (UniqueConstraint("month", name="uq_report_release_month"),)


class ReleasedPeriod(db.Model):
    """One published period: its figures as released (true count, and as shown: a count, a
    count rounded to base 5, or "c"), stored once and read as they are from then on."""

    __tablename__ = "released_period"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    release_id: Mapped[int] = mapped_column(
        ForeignKey("report_release.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(10))  # 2026-11, 2026-Q3, FY2026
    # [[key as a list, true count, shown], ...], in the order the figures were listed.
    cells: Mapped[list] = mapped_column(JSON, default=list)
    # The sums between the figures, [[total, [parts]], ...], as the protection used them.
    relations: Mapped[list] = mapped_column(JSON, default=list)
    # Anything else the pages need: the shape of the tables, the median, the notes.
    extra: Mapped[dict] = mapped_column(JSON, default=dict)
    release: Mapped[ReportRelease] = relationship(back_populates="periods")

    __table_args__ = (UniqueConstraint("code", name="uq_released_period_code"),)
