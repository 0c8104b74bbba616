"""The anonymised outcome record, written once when an assessment is completed.

It holds no direct identifier: no postcode, name, free text or exact date.
"""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mle.extensions import db


class OutcomeRecord(db.Model):
    __tablename__ = "outcome_record"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Keyed hash of the assessment id: makes writing idempotent without linking back to it.
    assessment_ref: Mapped[str] = mapped_column(String(64), unique=True)
    period: Mapped[str] = mapped_column(String(7))  # YYYY-MM
    channel: Mapped[str] = mapped_column(String(20))
    locality: Mapped[str | None] = mapped_column(String(40))
    simd_quintile: Mapped[int | None] = mapped_column(SmallInteger)
    age_band: Mapped[str | None] = mapped_column(String(10))
    answering_for: Mapped[str | None] = mapped_column(String(20))
    content_version: Mapped[str] = mapped_column(String(20))
    rule_ids: Mapped[list] = mapped_column(JSON, default=list)
    services: Mapped[list] = mapped_column(JSON, default=list)
    equipment: Mapped[list] = mapped_column(JSON, default=list)
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    referral_offered: Mapped[bool] = mapped_column(Boolean, default=False)
    referral_made: Mapped[bool] = mapped_column(Boolean, default=False)
    # The resident's optional feedback on the result, as fixed option values.
    feedback_helpful: Mapped[str | None] = mapped_column(String(10))
    feedback_next: Mapped[list | None] = mapped_column(JSON)
    modules: Mapped[list[OutcomeModule]] = relationship(
        back_populates="record", cascade="all, delete-orphan", lazy="selectin")

    __table_args__ = (Index("ix_outcome_record_period", "period", "locality"),)


class OutcomeModule(db.Model):
    """One row per module answered, so reports count modules and levels with plain SQL."""

    __tablename__ = "outcome_module"

    record_id: Mapped[int] = mapped_column(
        ForeignKey("outcome_record.id", ondelete="CASCADE"), primary_key=True)
    module: Mapped[str] = mapped_column(String(60), primary_key=True)
    level: Mapped[str] = mapped_column(String(20))
    record: Mapped[OutcomeRecord] = relationship(back_populates="modules")
