"""Aggregates of outcome records, kept up to date as outcomes are written, so reports read a
small table whatever the number of years of records."""

from __future__ import annotations

from sqlalchemy import Integer, SmallInteger, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from mle.extensions import db

# Unknown values are stored as "" or 0, not NULL, so the unique key holds for them too.
DIMENSIONS = ("period", "channel", "locality", "simd_quintile", "age_band", "module", "level")
MEASURES = ("assessments", "signpost_potential", "directed", "referral_offered",
            "referral_made")


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

    __table_args__ = (UniqueConstraint(*DIMENSIONS, name="uq_outcome_rollup_key"),)
