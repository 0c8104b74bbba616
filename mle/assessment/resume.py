"""Resume codes: random, shown once, stored only as a keyed hash, and they expire."""

from __future__ import annotations

import re
import secrets
from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import select

from mle.assessment.store import is_expired
from mle.database import db
from mle.models import Assessment
from mle.security.encryption import keyed_hash

# No 0/O, 1/I/L or U/V, so a code read aloud or copied by hand survives.
ALPHABET = "ABCDEFGHJKMNPQRSTWXYZ23456789"
CODE_LENGTH = 10  # 29**10, about 2**48 codes


def _normalise(code: str) -> str:
    return re.sub(r"[\s-]+", "", code or "").upper()


def _hash(code: str) -> str:
    return keyed_hash("resume-code", _normalise(code))


def issue_code(assessment: Assessment) -> str:
    """A new code for this assessment; any earlier code stops working."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    assessment.resume_code_hash = _hash(raw)
    assessment.resume_expires_at = datetime.now(UTC) + timedelta(
        days=current_app.config["MLE_RESUME_DAYS"])
    db.session.commit()
    return f"{raw[:5]}-{raw[5:]}"


def find_by_code(code: str) -> Assessment | None:
    """The assessment a code opens, or None if the code is wrong or has expired."""
    normalised = _normalise(code)
    if len(normalised) != CODE_LENGTH or set(normalised) - set(ALPHABET):
        return None
    assessment = db.session.scalar(
        select(Assessment).where(Assessment.resume_code_hash == _hash(normalised)))
    if assessment is None or is_expired(assessment.resume_expires_at):
        return None
    if assessment.completed_at is None and is_expired(assessment.expires_at):
        return None
    return assessment
