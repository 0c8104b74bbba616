"""Delete personal data on schedule: the contact details, answers summary, outcome text and
notes of requests closed or declined more than MLE_PERSONAL_DATA_DAYS ago. What stays is
anonymous (team, priority, status, dates, the rule id); reports read the anonymised outcome
records, never a request's summary or outcome."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import delete, or_, select

from mle.database import db
from mle.models import Referral, ReferralNote
from mle.security.audit import audit
from mle.vocabulary import OPEN_REFERRAL_STATUSES, REFERRAL_STATUSES

# Closed or declined: the statuses a request ends in.
ENDED_STATUSES = tuple(s for s in REFERRAL_STATUSES if s not in OPEN_REFERRAL_STATUSES)


def purge_personal_data(now: datetime | None = None) -> int:
    """Return how many requests had personal data deleted. A request purged before its summary
    and outcome were deleted too is caught up."""
    now = now or datetime.now(UTC)
    cutoff = now - timedelta(days=current_app.config["MLE_PERSONAL_DATA_DAYS"])
    due = list(db.session.scalars(select(Referral).where(
        Referral.status.in_(ENDED_STATUSES), Referral.status_changed_at < cutoff,
        or_(Referral.purged_at.is_(None), Referral.contact.is_not(None),
            Referral.summary.is_not(None), Referral.outcome.is_not(None)))))
    for referral in due:
        referral.contact = None
        referral.summary = None
        referral.outcome = None
        referral.purged_at = referral.purged_at or now
        db.session.execute(delete(ReferralNote).where(ReferralNote.referral_id == referral.id))
        audit("referral.personal_data_deleted", "referral", referral.id)
    db.session.commit()
    return len(due)
