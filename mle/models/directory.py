"""Postcode geography and a first, minimal resource directory.

The directory tables keep Open Referral UK names (service, organization) so the full ORUK model
can grow from them.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Float, ForeignKey, Index, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mle.extensions import db


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


class Service(db.Model):
    __tablename__ = "service"

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    organization: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(200))
    url: Mapped[str | None] = mapped_column(String(300))
    coverage: Mapped[str] = mapped_column(String(10))  # national, area or locality
    min_age: Mapped[int | None] = mapped_column(SmallInteger)
    max_age: Mapped[int | None] = mapped_column(SmallInteger)
    carers_only: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(12), default="published")
    needs_editor: Mapped[bool] = mapped_column(Boolean, default=False)
    needs: Mapped[list[ServiceNeed]] = relationship(cascade="all, delete-orphan")
    localities: Mapped[list[ServiceLocality]] = relationship(cascade="all, delete-orphan")


class ServiceNeed(db.Model):
    __tablename__ = "service_need"

    service_id: Mapped[str] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), primary_key=True)
    need: Mapped[str] = mapped_column(String(60), primary_key=True)

    __table_args__ = (Index("ix_service_need_need", "need", "service_id"),)


class ServiceLocality(db.Model):
    __tablename__ = "service_locality"

    service_id: Mapped[str] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), primary_key=True)
    locality: Mapped[str] = mapped_column(String(40), primary_key=True)
