"""Report figures read from the rollups, with small numbers suppressed before anyone sees them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from mle.extensions import db
from mle.models.rollup import MEASURES, OutcomeRollup
from mle.reporting.suppression import hide_small, suppress_list

BREAKDOWNS = ("locality", "simd_quintile", "age_band", "channel")


@dataclass(frozen=True)
class Breakdown:
    dimension: str
    labels: list[str]
    columns: dict[str, list[int | str]]  # measure -> suppressed values in label order
    totals: dict[str, int | str]


def funnel(months: tuple[str, ...]) -> dict[str, int | str]:
    row = db.session.execute(
        select(*[func.coalesce(func.sum(getattr(OutcomeRollup, m)), 0) for m in MEASURES])
        .where(OutcomeRollup.period.in_(months), OutcomeRollup.module == "")).one()
    return {measure: hide_small(int(value)) for measure, value in zip(MEASURES, row, strict=True)}


def breakdown(months: tuple[str, ...], dimension: str) -> Breakdown:
    if dimension not in BREAKDOWNS:
        raise ValueError(dimension)
    column = getattr(OutcomeRollup, dimension)
    rows = db.session.execute(
        select(column, *[func.sum(getattr(OutcomeRollup, m)) for m in MEASURES])
        .where(OutcomeRollup.period.in_(months), OutcomeRollup.module == "")
        .group_by(column).order_by(column)).all()
    labels = [str(r[0]) for r in rows]
    columns, totals = {}, {}
    for index, measure in enumerate(MEASURES, start=1):
        # Each measure is suppressed down its own column, with its total.
        columns[measure], totals[measure] = suppress_list([int(r[index]) for r in rows])
    return Breakdown(dimension, labels, columns, totals)


def modules_used(months: tuple[str, ...]) -> list[tuple[str, int | str]]:
    rows = db.session.execute(
        select(OutcomeRollup.module, func.sum(OutcomeRollup.assessments))
        .where(OutcomeRollup.period.in_(months), OutcomeRollup.module != "")
        .group_by(OutcomeRollup.module)
        .order_by(func.sum(OutcomeRollup.assessments).desc(), OutcomeRollup.module)).all()
    shown, _ = suppress_list([int(r[1]) for r in rows])
    return list(zip([r[0] for r in rows], shown, strict=True))
