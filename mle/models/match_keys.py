"""Match keys: a small copy of what matching reads, one row per need term, place and service.

Derived from the service, its attributes (need terms), its service areas and its locations,
for published active services only, and kept in step with them by mle/directory/match_keys.py
in the same transaction as every change. Matching reads a tier of one need in one place as one
range of an index, already in rank order (docs/matching.md).

`coverage` is the service's coverage; `locality` is the locality id for a locality service
(one row per locality it serves) and '' otherwise. `review_due` is stored rather than a stale
flag, because whether an entry is stale depends on today's date.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from mle.database import db
from mle.models.oruk import ID


class MatchKey(db.Model):
    __tablename__ = "match_key"

    service_id: Mapped[str] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE", name="fk_match_key_service"),
        primary_key=True)
    need_term_id: Mapped[str] = mapped_column(ID, primary_key=True)
    coverage: Mapped[str] = mapped_column(String(10), primary_key=True)
    locality: Mapped[str] = mapped_column(String(40), primary_key=True)
    needs_editor: Mapped[bool] = mapped_column(Boolean)
    name: Mapped[str] = mapped_column(String(200))
    review_due: Mapped[date | None] = mapped_column(Date)
    minimum_age: Mapped[int | None] = mapped_column(Integer)
    maximum_age: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (
        # One need in one place, in rank order; the last three columns let the walk check
        # staleness and age limits from the index alone.
        Index("ix_match_key_rank", "need_term_id", "coverage", "locality", "needs_editor",
              "name", "service_id", "review_due", "minimum_age", "maximum_age"),
    )


class MatchLocation(db.Model):
    """A match key for each location of the service with a latitude and longitude."""

    __tablename__ = "match_location"

    service_id: Mapped[str] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE", name="fk_match_location_service"),
        primary_key=True)
    need_term_id: Mapped[str] = mapped_column(ID, primary_key=True)
    coverage: Mapped[str] = mapped_column(String(10), primary_key=True)
    locality: Mapped[str] = mapped_column(String(40), primary_key=True)
    location_id: Mapped[str] = mapped_column(
        ForeignKey("location.id", ondelete="CASCADE", name="fk_match_location_location"),
        primary_key=True)
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
    needs_editor: Mapped[bool] = mapped_column(Boolean)
    name: Mapped[str] = mapped_column(String(200))
    review_due: Mapped[date | None] = mapped_column(Date)
    minimum_age: Mapped[int | None] = mapped_column(Integer)
    maximum_age: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (
        # One need in one place, in a strip of latitude; the rest lets the box be checked and
        # ranked from the index alone.
        Index("ix_match_location_box", "need_term_id", "coverage", "locality", "latitude",
              "longitude", "service_id", "review_due", "minimum_age", "maximum_age",
              "needs_editor", "name"),
        Index("ix_match_location_location", "location_id"),
    )
