"""Field-level change history of directory entries: who changed which field, when, from what
to what. Values are directory content (public information), never a resident's data."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mle.database import db
from mle.models.account import StaffUser
from mle.models.assessment import utcnow


class ServiceChange(db.Model):
    __tablename__ = "service_change"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    service_id: Mapped[str] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE", name="fk_service_change_service"))
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    changed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL", name="fk_service_change_staff_user"))
    # Set when an import run made the change (changed_by_id is then empty).
    import_id: Mapped[int | None] = mapped_column(
        ForeignKey("directory_import.id", ondelete="SET NULL", name="fk_service_change_import"))
    field: Mapped[str] = mapped_column(String(40))
    before: Mapped[str | None] = mapped_column(Text)
    after: Mapped[str | None] = mapped_column(Text)
    changed_by: Mapped[StaffUser | None] = relationship()

    __table_args__ = (Index("ix_service_change_service", "service_id", "changed_at"),)
