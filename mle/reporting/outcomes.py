"""Write the anonymised outcome record, once, when an assessment is completed."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from mle.assessment.state import AssessmentState
from mle.extensions import db
from mle.models import Assessment, OutcomeModule, OutcomeRecord
from mle.reporting.rollups import add_outcome
from mle.rules import AssessmentResult
from mle.security.encryption import keyed_hash


def outcome_for(assessment: Assessment) -> OutcomeRecord | None:
    ref = keyed_hash("outcome", assessment.id)
    return db.session.scalar(select(OutcomeRecord).where(OutcomeRecord.assessment_ref == ref))


def record_outcome(assessment: Assessment, state: AssessmentState, result: AssessmentResult,
                   services: list[str], content_version: str) -> OutcomeRecord:
    """Idempotent: a second call for the same assessment returns the first record."""
    ref = keyed_hash("outcome", assessment.id)
    existing = db.session.scalar(select(OutcomeRecord).where(OutcomeRecord.assessment_ref == ref))
    if existing is not None:
        return existing
    now = datetime.now(UTC)
    record = OutcomeRecord(
        assessment_ref=ref,
        period=now.strftime("%Y-%m"),
        channel=assessment.channel,
        locality=state.about.locality,
        simd_quintile=state.about.simd_quintile,
        age_band=state.about.age_band,
        answering_for=state.about.answering_for,
        content_version=content_version,
        rule_ids=list(result.rule_ids),
        services=services,
        equipment=sorted({e.item_id for m in result.modules for e in m.equipment}),
        urgent=bool(result.urgent),
        referral_offered=any(m.referral for m in result.modules),
        referral_made=False,
        modules=[OutcomeModule(module=m.module_id, level=m.level) for m in result.modules],
    )
    assessment.completed_at = assessment.completed_at or now
    db.session.add(record)
    add_outcome(record)
    try:
        db.session.commit()
    except IntegrityError:
        # Two requests completed the same assessment at once: the other one wrote it.
        db.session.rollback()
        return db.session.scalar(
            select(OutcomeRecord).where(OutcomeRecord.assessment_ref == ref))
    return record
