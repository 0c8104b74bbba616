"""A financial year's rollup figures as the reports read them: a handful of grouped queries on the
small rollup tables, and a digest that tells when any figure read has changed."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from sqlalchemy import func, select

from mle.database import db
from mle.models.directory import DirectoryView
from mle.models.rollup import MEASURES, OutcomeRollup, OutcomeTally
from mle.reporting.publication import CROSS


@dataclass
class MonthFigures:
    """One month's rollup figures, as read."""

    measures: dict = field(default_factory=lambda: {d: {} for d in CROSS})  # (value, loc)
    modules: dict = field(default_factory=dict)  # (module, level, loc) -> count
    tallies: dict = field(default_factory=dict)  # (kind, key, loc) -> count
    topics: dict = field(default_factory=dict)  # key -> page views
    service_views: int = 0  # page views of directory service pages
    digest: str = ""  # of this month's figures as read: a later change shows as a new digest


def read_year(months: tuple[str, ...]) -> tuple[dict[str, MonthFigures], str]:
    """The rollup figures of these months, by month (a handful of grouped queries on small
    tables, each in a fixed order), and a digest of every figure read, which changes exactly
    when one of them does. The digest is kept, not the figures: they are megabytes in a year."""
    data = {month: MonthFigures() for month in months}
    digest = hashlib.sha256()
    per_month = {month: hashlib.sha256() for month in months}

    def seen(kind, period, *row) -> None:
        digest.update(repr((kind, period, *row)).encode())
        per_month[period].update(repr((kind, *row)).encode())

    _read_measures(months, data, seen)
    grouping = (OutcomeRollup.period, OutcomeRollup.module, OutcomeRollup.level,
                OutcomeRollup.locality)
    for period, module, level, loc, count in db.session.execute(
            select(*grouping, func.sum(OutcomeRollup.assessments))
            .where(OutcomeRollup.period.in_(months), OutcomeRollup.module != "")
            .group_by(*grouping).order_by(*grouping)):
        if int(count):
            data[period].modules[(module, level, loc)] = int(count)
            seen("mod", period, module, level, loc, int(count))
    grouping = (OutcomeTally.period, OutcomeTally.kind, OutcomeTally.key, OutcomeTally.locality)
    for period, kind, key, loc, count in db.session.execute(
            select(*grouping, func.sum(OutcomeTally.count))
            .where(OutcomeTally.period.in_(months))
            .group_by(*grouping).order_by(*grouping)):
        if int(count):
            data[period].tallies[(kind, key, loc)] = int(count)
            seen("t", period, kind, key, loc, int(count))
    grouping = (DirectoryView.period, DirectoryView.key)
    for period, key, count in db.session.execute(
            select(*grouping, func.sum(DirectoryView.views))
            .where(DirectoryView.kind == "topic", DirectoryView.period.in_(months))
            .group_by(*grouping).order_by(*grouping)):
        if int(count):
            data[period].topics[key] = int(count)
            seen("topic", period, key, int(count))
    _read_service_views(months, data, seen)
    for month, hasher in per_month.items():
        data[month].digest = hasher.hexdigest()
    return data, digest.hexdigest()


def _read_service_views(months: tuple[str, ...], data: dict[str, MonthFigures], seen) -> None:
    for period, count in db.session.execute(
            select(DirectoryView.period, func.sum(DirectoryView.views))
            .where(DirectoryView.kind == "service", DirectoryView.period.in_(months))
            .group_by(DirectoryView.period).order_by(DirectoryView.period)):
        if int(count):
            data[period].service_views = int(count)
            seen("service_views", period, int(count))


def _read_measures(months: tuple[str, ...], data: dict[str, MonthFigures], seen) -> None:
    measures = [func.coalesce(func.sum(getattr(OutcomeRollup, m)), 0) for m in MEASURES]
    for dimension in CROSS:
        column = getattr(OutcomeRollup, dimension)
        grouping = (OutcomeRollup.period, column, OutcomeRollup.locality)
        for period, value, loc, *counts in db.session.execute(
                select(*grouping, *measures)
                .where(OutcomeRollup.period.in_(months), OutcomeRollup.module == "")
                .group_by(*grouping).order_by(*grouping)):
            counts = tuple(int(c) for c in counts)
            if any(counts):
                data[period].measures[dimension][(value, loc)] = counts
                seen(dimension, period, value, loc, counts)
