"""Load and save assessments; the session cookie holds only the assessment id."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import current_app, session
from sqlalchemy import delete

from mle.assessment.state import AssessmentState
from mle.database import db
from mle.models import Assessment
from mle.security.encryption import DecryptionError, decrypt_json, encrypt_json

SESSION_KEY = "assessment_id"


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(moment: datetime | None) -> datetime | None:
    # SQLite gives back naive datetimes; every time here is UTC.
    return moment.replace(tzinfo=UTC) if moment and moment.tzinfo is None else moment


def _retention() -> timedelta:
    return timedelta(days=current_app.config["MLE_ASSESSMENT_RETENTION_DAYS"])


def start(channel: str = "self", assisted_by_id: int | None = None) -> Assessment:
    assessment = Assessment(channel=channel, state=encrypt_json(AssessmentState().to_json()),
                            expires_at=_now() + _retention(), assisted_by_id=assisted_by_id)
    db.session.add(assessment)
    db.session.commit()
    _switch_to(assessment)
    return assessment


def current() -> tuple[Assessment, AssessmentState] | None:
    """The assessment this browser is working on, or None if there is none or it has expired."""
    assessment_id = session.get(SESSION_KEY)
    if not isinstance(assessment_id, str):
        return None
    assessment = db.session.get(Assessment, assessment_id)
    if assessment is None or _aware(assessment.expires_at) < _now():
        return None
    state = state_of(assessment)
    return None if state is None else (assessment, state)


def state_of(assessment: Assessment) -> AssessmentState | None:
    """The answers kept for an assessment, or None when they cannot be read (under a key no
    longer held, for example)."""
    try:
        return AssessmentState.from_json(decrypt_json(assessment.state))
    except (DecryptionError, TypeError, ValueError):
        return None


def save(assessment: Assessment, state: AssessmentState) -> None:
    assessment.state = encrypt_json(state.to_json())
    assessment.expires_at = _now() + _retention()
    db.session.commit()


def attach(assessment: Assessment) -> None:
    """Make this browser work on an assessment found by its resume code."""
    _switch_to(assessment)


def _switch_to(assessment: Assessment) -> None:
    # Only the assessment changes: a member of staff in the same browser stays signed in.
    session.pop(SESSION_KEY, None)
    session[SESSION_KEY] = assessment.id
    session.permanent = True


def is_expired(moment: datetime | None) -> bool:
    return moment is None or _aware(moment) < _now()


def purge_expired_assessments() -> int:
    """Delete anonymous assessments past their retention date; returns how many went."""
    result = db.session.execute(delete(Assessment).where(Assessment.expires_at < _now()))
    db.session.commit()
    return result.rowcount
