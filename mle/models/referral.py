"""Referral and equipment requests a person asked for, their notes, and the email outbox.

Contact details and notes are personal data: encrypted at rest, seen only by the receiving
team, deleted on schedule. The summary (answers, rule ids, never contact details) and the
team's outcome text are encrypted too, and deleted with the contact details.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mle.database import db
from mle.models.assessment import utcnow


class Referral(db.Model):
    __tablename__ = "referral"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(12), unique=True)  # shown to the resident
    kind: Mapped[str] = mapped_column(String(12))  # referral or equipment
    team_id: Mapped[str] = mapped_column(ForeignKey("team.id"))
    locality: Mapped[str | None] = mapped_column(String(40))
    priority: Mapped[str] = mapped_column(String(10))  # routine, soon, urgent
    status: Mapped[str] = mapped_column(String(12), default="new")
    channel: Mapped[str] = mapped_column(String(20))
    module: Mapped[str] = mapped_column(String(60))
    rule_id: Mapped[str | None] = mapped_column(String(60))
    summary: Mapped[bytes | None] = mapped_column(LargeBinary)  # encrypted; None once purged
    contact: Mapped[bytes | None] = mapped_column(LargeBinary)  # encrypted; None once purged
    assessment_ref: Mapped[str | None] = mapped_column(String(64))  # links to the outcome
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    first_action_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    status_changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    outcome: Mapped[bytes | None] = mapped_column(LargeBinary)  # encrypted free text
    purged_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(Integer, default=1)
    notes: Mapped[list[ReferralNote]] = relationship(
        back_populates="referral", cascade="all, delete-orphan", order_by="ReferralNote.id")

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (Index("ix_referral_queue", "team_id", "status", "priority", "created_at"),)


class ReferralNote(db.Model):
    __tablename__ = "referral_note"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referral.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id",
                                                            ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    text: Mapped[bytes] = mapped_column(LargeBinary)  # encrypted
    referral: Mapped[Referral] = relationship(back_populates="notes")


class OutboxMessage(db.Model):
    """An email waiting to be sent. Written in the same transaction as what it reports, and
    delivered by `flask mle send-outbox`, so nothing is lost when the mail server is down."""

    __tablename__ = "outbox_message"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    to: Mapped[bytes] = mapped_column(LargeBinary)  # encrypted: a resident's address is personal
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[bytes] = mapped_column(LargeBinary)  # encrypted
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (Index("ix_outbox_due", "sent_at", "next_attempt_at"),)
