"""Released reports give nothing away. Whatever outcomes are written, and whatever changes
later, nothing a manager can see (every released month, quarter and year, the dashboard, every
locality view, the national outcomes view and the downloads) lets anyone work out a count from
1 to 4: not from one release, not from the difference between two consecutive releases, and not
from a single person planted in one locality, month, SIMD quintile and age band.

The attacker here knows every figure shown, the sums between the figures of each period, and
that a quarter's or a year's figure is the sum of its months' or quarters' (plus an unknown
difference where records changed after the earlier release). Exact rational Gauss-Jordan,
written independently of the code under test, finds what those fix."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime
from fractions import Fraction

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from mle.database import db
from mle.models import (
    OutcomeModule,
    OutcomeRecord,
    OutcomeRollup,
    OutcomeTally,
    ReleasedPeriod,
    ReportRelease,
)
from mle.reporting import releases
from mle.reporting.periods import parse_period
from mle.reporting.release_build import is_month_key
from mle.reporting.releases import release_date
from mle.reporting.rollups import changing, rebuild
from tests.integration.test_reports import manager

EXAMPLES = int(__import__("os").environ.get("MLE_HYPOTHESIS_EXAMPLES", "12"))
LOCALITIES = ("airdrie", "bellshill", "coatbridge", "motherwell", "north", "wishaw", "")
STATUSES = ("new", "accepted", "in_progress", "closed", "declined")

record_specs = st.fixed_dictionaries({
    "locality": st.sampled_from(LOCALITIES),
    "simd": st.integers(0, 5),
    "age": st.sampled_from(("65_74", "75_84", "85_plus", "")),
    "channel": st.sampled_from(("self", "on_behalf", "assisted")),
    "module": st.sampled_from(("memory", "carer", "falls", "bathing")),
    "level": st.sampled_from(("advice", "equipment", "signposting", "referral", "urgent")),
    "directed": st.booleans(),
    "status": st.one_of(st.none(), st.sampled_from(STATUSES)),
    "days": st.one_of(st.none(), st.integers(0, 30)),
    "equipment": st.lists(st.sampled_from(("bath-board", "grab-rail")), max_size=2),
    "requested": st.booleans(),
    "unmet": st.lists(st.sampled_from(("carer-support", "home-adaptations")), max_size=2),
    "helpful": st.one_of(st.none(), st.sampled_from(("yes", "partly", "no"))),
    "next": st.lists(st.sampled_from(("try_advice", "not_sure")), max_size=2),
})


def _record(serial: int, month: str, spec: dict) -> OutcomeRecord:
    referral = spec["status"] is not None
    return OutcomeRecord(
        assessment_ref=f"p-{serial}", period=month, channel=spec["channel"],
        locality=spec["locality"] or None, simd_quintile=spec["simd"] or None,
        age_band=spec["age"] or None, content_version="x",
        services=["samaritans"] if spec["directed"] else [], urgent=False,
        referral_offered=referral, referral_made=referral, referral_status=spec["status"],
        referral_accepted=spec["status"] in ("accepted", "in_progress", "closed"),
        first_action_days=spec["days"] if referral and spec["status"] != "new" else None,
        equipment=spec["equipment"],
        equipment_requested=spec["equipment"][:1] if spec["requested"] else [],
        unmet_needs=spec["unmet"], feedback_helpful=spec["helpful"],
        feedback_next=spec["next"] if spec["helpful"] else None,
        modules=[OutcomeModule(module=spec["module"], level=spec["level"])])


def _reset() -> None:
    for model in (ReleasedPeriod, ReportRelease, OutcomeModule, OutcomeRecord, OutcomeRollup,
                  OutcomeTally):
        db.session.query(model).delete()
    db.session.commit()


def _release(today: date) -> list[str]:
    from tests.integration.test_reports import _release as release

    return release(today)


# The attacker -------------------------------------------------------------------------------

def _eliminate(row: dict, other: dict, column: int) -> dict:
    factor = row[column]
    for i, c in other.items():
        row[i] = row.get(i, Fraction(0)) - factor * c
    return {i: c for i, c in row.items() if c}


def _determined(unknown: list, relations: list) -> list:
    """Exact rational Gauss-Jordan: the unknowns that the relations fix once every figure
    not in `unknown` is known."""
    index = {key: i for i, key in enumerate(unknown)}
    reduced: list[tuple[int, dict[int, Fraction]]] = []
    for total, parts in relations:
        row: dict[int, Fraction] = {}
        for key, sign in ((total, 1), *((p, -1) for p in parts)):
            if key in index:
                row[index[key]] = row.get(index[key], Fraction(0)) + sign
        row = {i: c for i, c in row.items() if c}
        for pivot, pivot_row in reduced:
            if row.get(pivot):
                row = _eliminate(row, pivot_row, pivot)
        if not row:
            continue
        pivot = min(row)
        row = {i: c / row[pivot] for i, c in row.items()}
        reduced = [(p, _eliminate(other, row, pivot) if other.get(pivot) else other)
                   for p, other in reduced]
        reduced.append((pivot, row))
    return [unknown[pivot] for pivot, row in reduced if len(row) == 1]


def published() -> dict[str, dict]:
    """Every released period as stored: true counts, shown figures, what is shown exactly."""
    out = {}
    for row in db.session.scalars(select(ReleasedPeriod)):
        out[row.code] = {
            "values": {tuple(k): v for k, v, _, _ in row.cells},
            "shown": {tuple(k): s for k, _, s, _ in row.cells},
            "exact": {tuple(k) for k, _, _, e in row.cells if e},
            "relations": [(tuple(t), [tuple(p) for p in parts]) for t, parts in row.relations],
        }
    return out


def assert_nothing_revealed(periods: dict[str, dict]) -> None:
    unknown, relations = [], []
    for code, p in periods.items():
        # Nothing shown exactly is from 1 to 4.
        assert not [k for k in p["exact"] if 0 < p["values"][k] < 5], code
        assert not [k for k, s in p["shown"].items() if isinstance(s, int) and 0 < s < 5]
        unknown += [(code, k) for k in p["values"] if k not in p["exact"]]
        for total, parts in p["relations"]:
            assert p["values"][total] == sum(p["values"][x] for x in parts), (code, total)
            relations.append(((code, total), [(code, x) for x in parts]))
    deltas = {}
    for code, p in periods.items():
        months = parse_period(code).months
        if len(months) == 1:
            continue
        size = 3 if len(months) == 12 else 1
        children = [c for c in periods if len(parse_period(c).months) == size
                    and set(parse_period(c).months) <= set(months)]
        if sum(len(parse_period(c).months) for c in children) != len(months):
            continue
        for key, value in p["values"].items():
            if size == 1 and not is_month_key(key):
                continue  # months publish only area-wide figures
            parts = [(c, key) for c in children if key in periods[c]["values"]]
            difference = value - sum(periods[c]["values"][key] for c, _ in parts)
            if difference:
                # Records changed between the releases: the attacker does not know by how
                # much, but must not be able to work it out when it is from 1 to 4.
                delta = ("delta", code, key)
                deltas[delta] = difference
                unknown.append(delta)
                parts.append(delta)
            relations.append(((code, key), parts))
    revealed = _determined(unknown, relations)
    # A figure shown rounded to base 5 may be worked out when it is 5 or more (it could have
    # been shown exactly); a suppressed one, or any count from 1 to 4, never.
    assert not [(k, periods[k[0]]["values"][k[1]]) for k in revealed if k[0] != "delta" and (
        periods[k[0]]["shown"][k[1]] == "c" or 0 < periods[k[0]]["values"][k[1]] < 5)]
    assert not [k for k in revealed if k[0] == "delta" and 0 < abs(deltas[k]) < 5]


# Two consecutive releases ---------------------------------------------------------------------

FY_MONTHS = parse_period("FY2025").months
# The month released first, chosen so that the next release completes a quarter (the last one
# also the financial year), which is when new breakdowns appear.
FIRST = ("2025-05", "2025-08", "2026-02")
datasets = st.lists(st.tuples(record_specs, st.integers(0, 11), st.integers(1, 9)),
                    min_size=0, max_size=12)
later = st.lists(st.tuples(record_specs, st.integers(1, 9)), min_size=0, max_size=6)
changes = st.lists(st.tuples(st.integers(0, 10**6), st.sampled_from(STATUSES)), max_size=6)


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          phases=[Phase.explicit, Phase.reuse, Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(first=st.sampled_from(FIRST), data=datasets, added=later, changed=changes)
def test_two_consecutive_releases_reveal_no_small_count(app, first, data, added, changed):
    """Release up to one month; then outcomes are added (in the next month, the one that is
    released next, and in the month after, still open) and earlier records change (a referral
    acted on); then the next month is released. Neither release, nor the two together, nor
    their difference, reveals a count from 1 to 4."""
    released_months = FY_MONTHS[:FY_MONTHS.index(first) + 1]
    following = FY_MONTHS[FY_MONTHS.index(first) + 1]
    still_open = FY_MONTHS[FY_MONTHS.index(first) + 2] if following != FY_MONTHS[-1] \
        else "2026-04"
    with app.test_request_context():
        _reset()
        serial = 0
        for spec, month, times in data:
            for _ in range(times):
                serial += 1
                db.session.add(_record(serial, released_months[month % len(released_months)],
                                       spec))
        db.session.commit()
        rebuild()
        _release(release_date(first, 5))
        before = published()
        assert_nothing_revealed(before)

        for month in (following, still_open):
            for spec, times in added:
                for _ in range(times):
                    serial += 1
                    db.session.add(_record(serial, month, spec))
        records = db.session.scalars(select(OutcomeRecord).where(
            OutcomeRecord.period.in_(released_months)).order_by(OutcomeRecord.id)).all()
        for position, status in changed:
            if records:
                record = records[position % len(records)]
                with changing(record):
                    record.referral_made = True
                    record.referral_status = status
                    record.referral_accepted = status in ("accepted", "in_progress")
        db.session.commit()
        rebuild()
        newly = _release(release_date(following, 5))
        assert newly[-1:] == ([following] if serial else [])
        after = published()
        # What was released is never changed, and the open month is not released.
        for code, period in before.items():
            assert after[code]["shown"] == period["shown"], code
        assert still_open not in after
        assert_nothing_revealed(after)


# A planted single person ----------------------------------------------------------------------

def _frozen_clock(monkeypatch, today: date) -> None:
    class Clock(datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime(today.year, today.month, today.day, 9, tzinfo=UTC)

    monkeypatch.setattr(releases, "datetime", Clock)


def _release_now(app) -> None:
    """The nightly release, on the day the clock says (pages never release)."""
    from mle.reporting.area_reports import release_reports

    with app.test_request_context():
        assert release_reports()


def _everything_a_manager_can_see(client) -> list[str]:
    """Every figure on every page and in every download of every released period."""
    seen: list[str] = []
    home = client.get("/staff/reports/")
    codes = sorted({re.search(r"period=([^&]+)", a["href"])[1]
                    for a in home.soup.select("a[href*='period=']")})
    assert codes
    for code in codes:
        pages = [f"/staff/reports/?period={code}"]
        downloads = [f"/staff/reports/export.csv?period={code}"]
        if len(parse_period(code).months) > 1:
            pages.append(f"/staff/reports/national-outcomes?period={code}")
            for locality in LOCALITIES[:-1]:
                pages.append(f"/staff/reports/locality?locality={locality}&period={code}")
                downloads.append(f"/staff/reports/export.csv?view=locality&"
                                 f"locality={locality}&period={code}")
        for url in pages:
            page = client.get(url)
            seen += [td.get_text(strip=True) for td in page.soup.select("td")]
            seen += [t.get_text(strip=True) for t in page.soup.select("svg text.mle-chart__value")]
        for url in downloads:
            response = client.client.get(url)
            assert response.status_code == 200, url
            seen += [r["value"] for r in csv.DictReader(io.StringIO(response.get_data(
                as_text=True)))]
    return seen


def test_a_single_planted_person_is_never_revealed(app, monkeypatch):
    """One young person in Wishaw, in the most deprived quintile, with an urgent sight result
    and no local sight service, among ordinary outcomes: before and after later records
    arrive, no page or download shows a count from 1 to 4 or lets one be worked out."""
    from tests.integration.test_reports import outcome, store

    ordinary = [outcome(locality=("coatbridge", "airdrie", "wishaw", "motherwell")[i % 4],
                        period=("2025-04", "2025-05", "2025-06")[i % 3], simd=2 + i % 3,
                        age=("65_74", "75_84")[i % 2], module=("memory", "falls")[i % 2])
                for i in range(80)]
    planted = outcome(locality="wishaw", period="2025-05", simd=1, age="18_24",
                      module="sight", level="urgent", unmet=("sight-loss",), channel="assisted")
    store(app, [*ordinary, planted], release=False)
    client = manager(app)

    _frozen_clock(monkeypatch, date(2025, 7, 5))  # the quarter holding them is released
    _release_now(app)
    seen = _everything_a_manager_can_see(client)
    assert "c" in seen
    assert not [v for v in seen if re.fullmatch(r"[1-4]", v)]
    with app.app_context():
        assert "2025-Q2" in published()
        assert_nothing_revealed(published())
        young = published()["2025-Q2"]["shown"]
        assert young[("m", "assessments", "age_band", "18_24")] == "c"

    # Later: more records, another young person in Wishaw, and the planted person's referral
    # made and accepted after the quarter was released; the year is released in April 2026.
    store(app, [outcome(locality="wishaw", period=month, age=("18_24", "65_74")[i % 2])
                for i, month in enumerate(FY_MONTHS[3:] * 4)], release=False)
    with app.app_context():
        record = db.session.scalars(select(OutcomeRecord).where(
            OutcomeRecord.age_band == "18_24", OutcomeRecord.period == "2025-05")).one()
        with changing(record):
            record.referral_made = True
            record.referral_status = "accepted"
            record.referral_accepted = True
        db.session.commit()
    _frozen_clock(monkeypatch, date(2026, 4, 5))
    _release_now(app)
    seen = _everything_a_manager_can_see(client)
    assert not [v for v in seen if re.fullmatch(r"[1-4]", v)]
    with app.app_context():
        assert "FY2025" in published()
        assert_nothing_revealed(published())
