"""Links that open an assessment without its session: the short link on a printed or PDF
result (read-only), and the link in a save-and-resume email.

A link is a random token. The table keeps only a keyed hash of it for look-up; the short link
also keeps the token encrypted, so the same link can be printed again. Neither holds personal
data, and both go when the assessment goes.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from mle.database import db
from mle.models.assessment import utcnow

PURPOSES = ("result", "resume")


class ResultLink(db.Model):
    __tablename__ = "result_link"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[str] = mapped_column(
        ForeignKey("assessment.id", ondelete="CASCADE"))
    purpose: Mapped[str] = mapped_column(String(10))  # result (read-only) or resume
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # Encrypted copy of a result link's token, to print it again; None for resume links.
    token: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # A resume link's own expiry (as a resume code's); a result link lives as the assessment.
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (Index("ix_result_link_assessment", "assessment_id", "purpose"),)
