"""Delete personal data on schedule: contact details and notes of requests closed or declined
more than MLE_PERSONAL_DATA_DAYS ago. The request's anonymous facts stay for reporting."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import delete, select

from mle.extensions import db
from mle.models import Referral, ReferralNote
from mle.security.audit import audit


def purge_personal_data(now: datetime | None = None) -> int:
    now = now or datetime.now(UTC)
    cutoff = now - timedelta(days=current_app.config["MLE_PERSONAL_DATA_DAYS"])
    due = list(db.session.scalars(select(Referral).where(
        Referral.status.in_(("closed", "declined")), Referral.status_changed_at < cutoff,
        Referral.purged_at.is_(None))))
    for referral in due:
        referral.contact = None
        referral.purged_at = now
        db.session.execute(delete(ReferralNote).where(ReferralNote.referral_id == referral.id))
        audit("referral.personal_data_deleted", "referral", referral.id)
    db.session.commit()
    return len(due)
