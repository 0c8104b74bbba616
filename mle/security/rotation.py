"""Re-encrypt every encrypted column under the newest key in MLE_DATA_KEYS.

Add a new key at the front of MLE_DATA_KEYS, deploy, run `flask mle rotate-keys`, then remove
the old key. MultiFernet reads with any listed key, so the service never stops."""

from __future__ import annotations

from sqlalchemy import select

from mle.database import db
from mle.models import (
    Assessment,
    OutboxMessage,
    ProblemReport,
    Referral,
    ReferralNote,
    ResultLink,
    StaffUser,
)
from mle.security.encryption import rotate

ENCRYPTED_COLUMNS = (
    (Assessment, ("state",)),
    (Referral, ("contact", "summary", "outcome")),
    (ReferralNote, ("text",)),
    (OutboxMessage, ("to", "body")),
    (StaffUser, ("totp_secret",)),
    (ResultLink, ("token",)),
    (ProblemReport, ("details",)),
)


def rotate_all(batch: int = 500) -> int:
    """Return how many values were re-encrypted."""
    count = 0
    for model, columns in ENCRYPTED_COLUMNS:
        last_id = None
        while True:
            key = model.__mapper__.primary_key[0]
            query = select(model).order_by(key).limit(batch)
            if last_id is not None:
                query = query.where(key > last_id)
            rows = list(db.session.scalars(query))
            if not rows:
                break
            for row in rows:
                for column in columns:
                    value = getattr(row, column)
                    if value:
                        setattr(row, column, rotate(value))
                        count += 1
            last_id = getattr(rows[-1], key.key)
            db.session.commit()
    return count
