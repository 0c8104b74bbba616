"""Write the anonymised outcome record, once, when an assessment is completed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from mle.assessment.state import AssessmentState
from mle.database import db
from mle.models import Assessment, OutcomeModule, OutcomeRecord, Referral
from mle.reporting.rollups import add_outcome, changing
from mle.rules import AssessmentResult
from mle.security.encryption import keyed_hash


def outcome_for(assessment: Assessment) -> OutcomeRecord | None:
    ref = keyed_hash("outcome", assessment.id)
    return db.session.scalar(select(OutcomeRecord).where(OutcomeRecord.assessment_ref == ref))


def record_outcome(assessment: Assessment, state: AssessmentState, result: AssessmentResult,
                   services: list[str], content_version: str,
                   unmet_needs: list[str] | None = None) -> OutcomeRecord:
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
        unmet_needs=sorted(set(unmet_needs or [])),
        equipment_requested=[],
        referral_accepted=False,
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


ACCEPTED = ("accepted", "in_progress")


def _record_of(referral: Referral) -> OutcomeRecord | None:
    if not referral.assessment_ref:
        return None
    return db.session.scalar(select(OutcomeRecord).where(
        OutcomeRecord.assessment_ref == referral.assessment_ref))


def referral_made(referral: Referral, equipment: Sequence[str] = ()) -> None:
    """A request was made from the result: the first one counts as the referral made, and an
    equipment request adds its items (given by the caller: the request's summary is encrypted
    and deleted on schedule) to the equipment requested."""
    record = _record_of(referral)
    if record is None:
        return
    with changing(record):
        if not record.referral_made:
            record.referral_made = True
            record.referral_status = referral.status or "new"
        if referral.kind == "equipment":
            record.equipment_requested = sorted({*record.equipment_requested, *equipment})


def referral_changed(referral: Referral) -> None:
    """Staff acted on a request: the record follows the status of the assessment's first
    request, whether it was ever accepted, and the whole days to the first action."""
    record = _record_of(referral)
    if record is None:
        return
    first = db.session.scalar(select(Referral.id).where(
        Referral.assessment_ref == referral.assessment_ref).order_by(Referral.id).limit(1))
    if first != referral.id:
        return
    with changing(record):
        record.referral_status = referral.status
        if referral.status in ACCEPTED:
            record.referral_accepted = True
        if referral.first_action_at is not None and record.first_action_days is None:
            created = referral.created_at
            acted = referral.first_action_at
            if created.tzinfo is None:
                acted = acted.replace(tzinfo=None)
            elif acted.tzinfo is None:
                acted = acted.replace(tzinfo=created.tzinfo)
            record.first_action_days = max(0, min((acted - created).days, 365))


def record_feedback(record: OutcomeRecord, helpful: str, next_steps: list[str]) -> None:
    """The resident's answers to the feedback questions on their result, saved with the
    rollups they change."""
    with changing(record):
        record.feedback_helpful = helpful
        record.feedback_next = list(next_steps)
    db.session.commit()
