"""Keep the outcome rollups in step with the outcome records, in the same transaction.

What a record adds to the rollups is a pure function of the record (`contributions`). When a
record changes later (a referral made or accepted, equipment requested, feedback given), the
difference between its contributions before and after is applied, so the live rollups always
equal a rebuild from the records.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import delete, select

from mle.database import db
from mle.models import OutcomeRecord
from mle.models.counting import add_counts
from mle.models.rollup import DIMENSIONS, MEASURES, OutcomeRollup, OutcomeTally
from mle.vocabulary import SIGNPOSTING_LEVELS

RollupKey = tuple  # the DIMENSIONS, in order
TallyKey = tuple  # (period, locality, kind, key)


def _key(record: OutcomeRecord, module: str = "", level: str = "") -> RollupKey:
    return (record.period, record.channel, record.locality or "", record.simd_quintile or 0,
            record.age_band or "", module, level)


def personalised(record: OutcomeRecord) -> bool:
    """A personalised solution: the result offered something decided by the person's own
    answers, beyond general advice: equipment that fits them, or a referral to a team."""
    return bool(record.equipment) or bool(record.referral_offered)


def contributions(record: OutcomeRecord) -> tuple[dict[RollupKey, Counter], Counter]:
    """The rollup counts and tallies that this record accounts for."""
    levels = [m.level for m in record.modules]
    rollup: dict[RollupKey, Counter] = {_key(record): Counter({
        "assessments": 1,
        "signpost_potential": int(any(level in SIGNPOSTING_LEVELS for level in levels)),
        "directed": int(bool(record.services)),
        "referral_offered": int(bool(record.referral_offered)),
        "referral_made": int(bool(record.referral_made)),
        "referral_accepted": int(bool(record.referral_accepted)),
        "equipment_suggested": int(bool(record.equipment)),
        "equipment_requested": int(bool(record.equipment_requested)),
    })}
    for module in record.modules:
        # Module rows keep only the period and locality: that is all the reports need, and it
        # keeps this table small however many records there are.
        key = (record.period, "", record.locality or "", 0, "", module.module, module.level)
        rollup[key] = Counter({
            "assessments": 1, "signpost_potential": int(module.level in SIGNPOSTING_LEVELS)})
    where = (record.period, record.locality or "")
    tally: Counter = Counter()
    lists = {"equipment_suggested": record.equipment, "unmet_need": record.unmet_needs,
             "equipment_requested": record.equipment_requested, "service": record.services,
             "feedback_next": record.feedback_next}
    for kind, values in lists.items():
        for value in set(values or []):
            tally[(*where, kind, str(value)[:80])] += 1
    if record.feedback_helpful:
        tally[(*where, "feedback_helpful", record.feedback_helpful)] += 1
    if personalised(record) and record.services:
        tally[(*where, "solution", "directed")] += 1
    if record.referral_made:
        tally[(*where, "referral_status", record.referral_status or "new")] += 1
    if record.first_action_days is not None:
        tally[(*where, "first_action_days", str(record.first_action_days))] += 1
    return rollup, tally


def _apply(rollup: dict[RollupKey, Counter], tally: Counter) -> None:
    """Add these counts (negative ones subtract) to the rollups, one upsert per key."""
    for key, measures in rollup.items():
        add_counts(OutcomeRollup, dict(zip(DIMENSIONS, key, strict=True)),
                   {m: measures.get(m, 0) for m in MEASURES})
    for (period, locality, kind, key), count in tally.items():
        if count:
            add_counts(OutcomeTally, {"period": period, "locality": locality, "kind": kind,
                                      "key": key}, {"count": count})


def add_outcome(record: OutcomeRecord) -> None:
    _apply(*contributions(record))


@contextmanager
def changing(record: OutcomeRecord) -> Iterator[OutcomeRecord]:
    """Change a written record inside this block; the rollups follow the difference."""
    before_rollup, before_tally = contributions(record)
    yield record
    after_rollup, after_tally = contributions(record)
    rollup: dict[RollupKey, Counter] = {}
    for key in before_rollup.keys() | after_rollup.keys():
        difference = Counter(after_rollup.get(key, Counter()))
        difference.subtract(before_rollup.get(key, Counter()))
        if any(difference.values()):
            rollup[key] = difference
    tally = Counter(after_tally)
    tally.subtract(before_tally)
    _apply(rollup, Counter({k: v for k, v in tally.items() if v}))


def rebuild(batch: int = 5000) -> int:
    """Recompute every rollup from the outcome records (`flask mle rollup`): the counts are
    summed in memory and written once per key, so a million records take seconds."""
    db.session.execute(delete(OutcomeRollup))
    db.session.execute(delete(OutcomeTally))
    rollup: dict[RollupKey, Counter] = {}
    tally: Counter = Counter()
    count = 0
    query = select(OutcomeRecord).order_by(OutcomeRecord.id).execution_options(
        yield_per=batch)
    for record in db.session.scalars(query):
        record_rollup, record_tally = contributions(record)
        for key, measures in record_rollup.items():
            rollup.setdefault(key, Counter()).update(measures)
        tally.update(record_tally)
        count += 1
    if rollup:
        db.session.execute(OutcomeRollup.__table__.insert(), [
            {**dict(zip(DIMENSIONS, key, strict=True)),
             **{m: measures.get(m, 0) for m in MEASURES}}
            for key, measures in rollup.items()])
    if tally:
        db.session.execute(OutcomeTally.__table__.insert(), [
            {"period": p, "locality": loc, "kind": kind, "key": key, "count": value}
            for (p, loc, kind, key), value in tally.items()])
    db.session.commit()
    return count
