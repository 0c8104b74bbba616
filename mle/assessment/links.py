"""Links that open an assessment from outside its session.

- The short link printed on a result (with its QR code) opens that result read-only, for as
  long as the assessment is kept. One per assessment, so every printout carries the same link.
- An emailed resume link does what a resume code does, with the same expiry; a new one
  replaces the last.

Tokens are random (no personal data, nothing derived from the assessment). Look-up is by a
keyed hash, so the table alone opens nothing.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

from flask import current_app, url_for
from sqlalchemy import delete, select

from mle.assessment.store import is_expired
from mle.database import db
from mle.models import Assessment, ResultLink
from mle.security.encryption import decrypt_json, encrypt_json, keyed_hash

TOKEN_BYTES = 9  # 72 random bits, 12 characters in a URL


def _hash(token: str) -> str:
    return keyed_hash("result-link", token)


def _well_formed(token: str) -> bool:
    return (isinstance(token, str) and len(token) == 12
            and all(c.isascii() and (c.isalnum() or c in "-_") for c in token))


def result_token(assessment: Assessment) -> str:
    """The short link token for a completed assessment, made the first time it is asked for."""
    # The oldest, so that if two first views raced, every later one prints the same link.
    link = db.session.scalar(select(ResultLink).where(
        ResultLink.assessment_id == assessment.id, ResultLink.purpose == "result")
        .order_by(ResultLink.id).limit(1))
    if link is not None:
        return decrypt_json(link.token)
    token = new_token()
    db.session.add(ResultLink(assessment_id=assessment.id, purpose="result",
                              token_hash=_hash(token), token=encrypt_json(token)))
    db.session.commit()
    return token


def short_link(token: str) -> str:
    """The full address to print: the service's public address and the token, nothing else."""
    base = current_app.config["MLE_BASE_URL"].rstrip("/")
    return base + url_for("public.shared_result", token=token)


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def keep_resume_token(assessment: Assessment, token: str) -> None:
    """Make `token` open this assessment to resume it, in the current transaction; any earlier
    emailed link for this assessment stops working."""
    db.session.execute(delete(ResultLink).where(ResultLink.assessment_id == assessment.id,
                                                ResultLink.purpose == "resume"))
    expires = datetime.now(UTC) + timedelta(days=current_app.config["MLE_RESUME_DAYS"])
    db.session.add(ResultLink(assessment_id=assessment.id, purpose="resume",
                              token_hash=_hash(token), expires_at=expires))


class LinkExpired(Exception):
    """The token was real, but what it opened is no longer kept or no longer open."""


def find(token: str, purpose: str) -> Assessment | None:
    """The assessment a token opens. None for an unknown token (a 404); LinkExpired for a
    token whose time has passed (a friendly page)."""
    if not _well_formed(token):
        return None
    link = db.session.scalar(select(ResultLink).where(ResultLink.token_hash == _hash(token),
                                                      ResultLink.purpose == purpose))
    if link is None:
        return None
    assessment = db.session.get(Assessment, link.assessment_id)
    if assessment is None or is_expired(assessment.expires_at):
        raise LinkExpired
    if purpose == "resume" and is_expired(link.expires_at):
        raise LinkExpired
    if purpose == "result" and assessment.completed_at is None:
        raise LinkExpired
    return assessment


def purge_expired(now: datetime | None = None) -> int:
    """Delete resume links past their time and every link of an assessment past its time."""
    now = now or datetime.now(UTC)
    gone = select(Assessment.id).where(Assessment.expires_at < now)
    result = db.session.execute(delete(ResultLink).where(
        (ResultLink.expires_at < now) | ResultLink.assessment_id.in_(gone)))
    return result.rowcount
