"""Aggregates of outcome records, kept up to date as outcomes are written, so reports read a
small table whatever the number of years of records."""

from __future__ import annotations

from sqlalchemy import Integer, SmallInteger, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from mle.database import db

# Unknown values are stored as "" or 0, not NULL, so the unique key holds for them too.
DIMENSIONS = ("period", "channel", "locality", "simd_quintile", "age_band", "module", "level")
MEASURES = ("assessments", "signpost_potential", "directed", "referral_offered",
            "referral_made", "referral_accepted", "equipment_suggested", "equipment_requested")
TALLY_KINDS = ("equipment_suggested", "equipment_requested", "referral_status",
               "first_action_days", "feedback_helpful", "feedback_next", "unmet_need",
               "service", "solution")


class OutcomeRollup(db.Model):
    __tablename__ = "outcome_rollup"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    period: Mapped[str] = mapped_column(String(7))
    channel: Mapped[str] = mapped_column(String(20))
    locality: Mapped[str] = mapped_column(String(40))
    simd_quintile: Mapped[int] = mapped_column(SmallInteger)
    age_band: Mapped[str] = mapped_column(String(10))
    module: Mapped[str] = mapped_column(String(60))  # "" for the whole assessment
    level: Mapped[str] = mapped_column(String(20))  # the module's level; "" for the whole
    assessments: Mapped[int] = mapped_column(Integer, default=0)
    signpost_potential: Mapped[int] = mapped_column(Integer, default=0)
    directed: Mapped[int] = mapped_column(Integer, default=0)
    referral_offered: Mapped[int] = mapped_column(Integer, default=0)
    referral_made: Mapped[int] = mapped_column(Integer, default=0)
    referral_accepted: Mapped[int] = mapped_column(Integer, default=0)
    equipment_suggested: Mapped[int] = mapped_column(Integer, default=0)
    equipment_requested: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (UniqueConstraint(*DIMENSIONS, name="uq_outcome_rollup_key"),)


class OutcomeTally(db.Model):
    """Counts of outcome records by period, locality and one value of a list-like field: an
    equipment item suggested or requested, a referral status, whole days to first action, a
    feedback choice, a need with no local service, a service signposted."""

    __tablename__ = "outcome_tally"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    period: Mapped[str] = mapped_column(String(7))
    locality: Mapped[str] = mapped_column(String(40))  # "" when not known
    kind: Mapped[str] = mapped_column(String(24))  # one of TALLY_KINDS
    key: Mapped[str] = mapped_column(String(80))
    count: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (UniqueConstraint("period", "locality", "kind", "key",
                                       name="uq_outcome_tally_key"),)
