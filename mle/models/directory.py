"""Postcode geography, residents' problem reports and directory view counts.

The directory itself, in Open Referral UK tables, is in mle/models/oruk.py.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    DateTime,
    Float,
    ForeignKey,
    Index,
    LargeBinary,
    SmallInteger,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mle.database import db
from mle.models.assessment import utcnow
from mle.models.oruk import Service


class Postcode(db.Model):
    """A full postcode with the geography derived from it. Never linked to a person."""

    __tablename__ = "postcode"

    postcode: Mapped[str] = mapped_column(String(8), primary_key=True)  # normalised 'ML1 1AA'
    sector: Mapped[str] = mapped_column(String(6), index=True)  # 'ML1 1'
    data_zone: Mapped[str] = mapped_column(String(9))
    locality: Mapped[str] = mapped_column(String(40))
    simd_quintile: Mapped[int] = mapped_column(SmallInteger)
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)


class ProblemReport(db.Model):
    """A resident's report that a directory entry is wrong, for an editor to act on."""

    __tablename__ = "problem_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))  # wrong_details, closed, not_my_area, other
    details: Mapped[bytes | None] = mapped_column(LargeBinary)  # encrypted: free text
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    resolved_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL"))
    service: Mapped[Service] = relationship()

    __table_args__ = (Index("ix_problem_report_open", "resolved_at", "created_at"),)


class DirectoryView(db.Model):
    """Anonymous counts of views of topics and services, by month."""

    __tablename__ = "directory_view"

    kind: Mapped[str] = mapped_column(String(10), primary_key=True)  # topic or service
    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    period: Mapped[str] = mapped_column(String(7), primary_key=True)
    views: Mapped[int] = mapped_column(default=0)
