"""Keep the outcome rollups in step with the outcome records, in the same transaction."""

from __future__ import annotations

from sqlalchemy import delete, select

from mle.extensions import db
from mle.models import OutcomeRecord
from mle.models.counting import add_counts
from mle.models.rollup import DIMENSIONS, MEASURES, OutcomeRollup

SIGNPOSTING_LEVELS = ("signposting", "referral", "urgent")


def _key(record: OutcomeRecord, module: str = "", level: str = "") -> dict:
    return {"period": record.period, "channel": record.channel,
            "locality": record.locality or "", "simd_quintile": record.simd_quintile or 0,
            "age_band": record.age_band or "", "module": module, "level": level}


def _add(key: dict, **measures: int) -> None:
    add_counts(OutcomeRollup, {d: key[d] for d in DIMENSIONS},
               {m: measures.get(m, 0) for m in MEASURES})


def add_outcome(record: OutcomeRecord) -> None:
    levels = [m.level for m in record.modules]
    whole = {
        "assessments": 1,
        "signpost_potential": int(any(level in SIGNPOSTING_LEVELS for level in levels)),
        "directed": int(bool(record.services)),
        "referral_offered": int(record.referral_offered),
        "referral_made": int(record.referral_made),
    }
    _add(_key(record), **whole)
    for module in record.modules:
        _add(_key(record, module.module, module.level), assessments=1,
             signpost_potential=int(module.level in SIGNPOSTING_LEVELS))


def add_referral_made(record: OutcomeRecord) -> None:
    """The first referral from an assessment counts once, on its whole-assessment row."""
    _add(_key(record), referral_made=1)


def rebuild() -> int:
    """Recompute every rollup from the outcome records (`flask mle rollup`)."""
    db.session.execute(delete(OutcomeRollup))
    count = 0
    for record in db.session.scalars(select(OutcomeRecord).order_by(OutcomeRecord.id)):
        add_outcome(record)
        count += 1
    db.session.commit()
    return count
