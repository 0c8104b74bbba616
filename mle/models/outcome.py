"""The anonymised outcome record, written once when an assessment is completed.

It holds no direct identifier: no postcode, name, free text or exact date.
"""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mle.database import db


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
    # Equipment the resident went on to request (item ids), added as requests are made.
    equipment_requested: Mapped[list] = mapped_column(JSON, default=list)
    # Need tags for which the result found no local (locality or area-wide) service.
    unmet_needs: Mapped[list] = mapped_column(JSON, default=list)
    # The first request's later status (new, accepted, in_progress, closed, declined), whether
    # it was ever accepted, and whole days from the request to the team's first action.
    referral_status: Mapped[str | None] = mapped_column(String(12))
    referral_accepted: Mapped[bool] = mapped_column(Boolean, default=False)
    first_action_days: Mapped[int | None] = mapped_column(SmallInteger)
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
