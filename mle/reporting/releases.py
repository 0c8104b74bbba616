"""Monthly releases of the reports. A month is released once, on MLE_REPORT_RELEASE_DAY of the
month after it ends, by `flask mle release-reports` (the nightly timer; safe to run every day).
The pages never release: protecting a quarter or a year takes minutes, longer than a request
may. Until the release has run they say which months are due (`due_unreleased`). A release
stores what it publishes (the month, and the quarter and financial year it completes) and is
never recomputed; changes made later to records of released months (a referral's status,
feedback) reach the next quarter or year released, and that release records which months it
revised."""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from mle.database import db
from mle.models import OutcomeRollup, ReleasedPeriod, ReportRelease
from mle.reporting.national_outcomes import NationalOutcomes
from mle.reporting.periods import Period, financial_year_of, parse_period
from mle.reporting.release_build import Built, Frozen, build_longer, build_month
from mle.reporting.released import ReleasedPublication, from_stored
from mle.reporting.rollup_figures import read_year


def _next_month(month: str) -> str:
    year, number = int(month[:4]), int(month[5:7])
    return f"{year + 1}-01" if number == 12 else f"{year}-{number + 1:02d}"


def last_due_month(today: date, release_day: int) -> str:
    """The latest month whose release day has come: a month is released on `release_day` of
    the month after it ends."""
    year, month = today.year, today.month
    steps = 1 if today.day >= release_day else 2
    for _ in range(steps):
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return f"{year:04d}-{month:02d}"


def release_date(month: str, release_day: int) -> date:
    following = _next_month(month)
    return date(int(following[:4]), int(following[5:7]), release_day)


def _months_to_release(last_due: str) -> list[str]:
    released = db.session.scalar(select(func.max(ReportRelease.month)))
    if released is not None:
        start = _next_month(released)
    else:
        first = db.session.scalar(select(func.min(OutcomeRollup.period)))
        if first is None:
            return []
        # From the start of the financial year of the first outcome, so that its quarters
        # and the year are released in full.
        start = parse_period(financial_year_of(first)).months[0]
    months = []
    while start <= last_due:
        months.append(start)
        start = _next_month(start)
    return months


def _frozen(row: ReleasedPeriod) -> Frozen:
    values, exact = {}, set()
    for key, value, _shown, is_exact in row.cells:
        values[tuple(key)] = value
        if is_exact:
            exact.add(tuple(key))
    relations = [(tuple(t), [tuple(p) for p in parts]) for t, parts in row.relations]
    return Frozen(row.code, parse_period(row.code).months, values, exact, relations)


def _stored(codes: list[str]) -> dict[str, ReleasedPeriod]:
    rows = db.session.scalars(select(ReleasedPeriod).where(ReleasedPeriod.code.in_(codes)))
    return {row.code: row for row in rows}


def _quarter_of(month: str) -> str:
    return f"{month[:4]}-Q{(int(month[5:7]) + 2) // 3}"


def _release_one(month: str, now: datetime, localities: tuple[str, ...],
                 groups: dict[str, tuple], national: NationalOutcomes | None) -> ReportRelease:
    year = parse_period(financial_year_of(month))
    months_so_far = tuple(m for m in year.months if m <= month)
    data, _ = read_year(months_so_far)
    earlier = db.session.scalars(select(ReportRelease).where(
        ReportRelease.month.in_(months_so_far[:-1])).order_by(ReportRelease.month)).all()
    last_digests: dict[str, str] = {}
    for release in earlier:
        last_digests.update(release.digests or {})
    revised = [m for m in months_so_far[:-1] if m in last_digests
               and last_digests[m] != data[m].digest]
    release = ReportRelease(month=month, released_at=now, revised=revised,
                            digests={m: data[m].digest for m in months_so_far})
    built: list[Built] = [build_month(month, data[month])]
    quarter = parse_period(_quarter_of(month))
    if quarter.months[-1] == month:
        stored = _stored(list(quarter.months[:-1]))
        earlier_periods = [_frozen(stored[m]) for m in quarter.months[:-1] if m in stored]
        earlier_periods.append(_as_frozen(built[0]))
        built.append(build_longer(quarter.code, quarter.months, data, localities, groups,
                                  national, earlier_periods))
    if year.months[-1] == month:
        quarters = [_quarter_of(m) for m in year.months[::3]]
        stored = _stored([*year.months[:-1], *quarters])
        earlier_periods = [_frozen(stored[c]) for c in (*year.months[:-1], *quarters)
                           if c in stored]
        earlier_periods += [_as_frozen(b) for b in built]
        built.append(build_longer(year.code, year.months, data, localities, groups, national,
                                  earlier_periods))
    for item in built:
        release.periods.append(ReleasedPeriod(
            code=item.code, cells=item.cells, relations=item.relations, extra=item.extra))
    return release


def _as_frozen(item: Built) -> Frozen:
    values = {tuple(key): value for key, value, _shown, _exact in item.cells}
    exact = {tuple(key) for key, _value, _shown, is_exact in item.cells if is_exact}
    relations = [(tuple(t), [tuple(p) for p in parts]) for t, parts in item.relations]
    return Frozen(item.code, item.months, values, exact, relations)


def due_unreleased(today: date | None = None) -> list[str]:
    """The months whose release day has come but that are not released yet, oldest first:
    what the next `flask mle release-reports` will release. Reads only."""
    today = today or datetime.now(UTC).date()
    return _months_to_release(last_due_month(today,
                                             current_app.config["MLE_REPORT_RELEASE_DAY"]))


def release_due(localities: tuple[str, ...], groups: dict[str, tuple],
                national: NationalOutcomes | None, today: date | None = None) -> list[str]:
    """Release every month whose release day has come and that is not released yet, oldest
    first, each in its own transaction. Returns the months released. Running it again, or in
    two processes at once, releases nothing twice (a month is unique among releases)."""
    now = datetime.now(UTC)
    today = today or now.date()
    released = []
    for month in _months_to_release(last_due_month(
            today, current_app.config["MLE_REPORT_RELEASE_DAY"])):
        db.session.add(_release_one(month, now, localities, groups, national))
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()  # another process released it first
            break
        released.append(month)
    return released


def released_periods() -> list[tuple[str, datetime]]:
    """Every released period's code and release time, newest release first."""
    rows = db.session.execute(
        select(ReleasedPeriod.code, ReportRelease.released_at, ReportRelease.month)
        .join(ReportRelease).order_by(ReportRelease.month.desc(), ReleasedPeriod.id)).all()
    return [(code, released_at) for code, released_at, _ in rows]


def released_publication(period: Period) -> ReleasedPublication | None:
    """The period as released, with the months it is built from; None when not released."""
    row = db.session.scalar(select(ReleasedPeriod).where(ReleasedPeriod.code == period.code))
    if row is None:
        return None
    pub = _publication(period, row)
    if pub.breakdowns:
        months = _stored(list(period.months))
        pub.month_publications = {
            m: _publication(parse_period(m), months[m]) if m in months else None
            for m in period.months}
    return pub


def _publication(period: Period, row: ReleasedPeriod) -> ReleasedPublication:
    release = row.release
    released_at = release.released_at
    if released_at.tzinfo is None:
        released_at = released_at.replace(tzinfo=UTC)
    revised = release.revised if len(period.months) > 1 else ()
    return from_stored(period, released_at, revised, row.cells, row.extra)
