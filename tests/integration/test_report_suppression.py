"""No combination of report filters reveals a count from 1 to 4, on screen or in an export,
either directly or by working it out from other figures shown for the same period (totals,
locality groups, a locality's breakdown against the area's), or for the other months, quarters
and the year of the same financial year, across random outcome data."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from mle.database import db
from mle.models import OutcomeModule, OutcomeRecord, OutcomeRollup, OutcomeTally
from mle.reporting.area_reports import area_publication, national_outcomes
from mle.reporting.periods import parse_period
from mle.reporting.rollups import rebuild
from mle.reporting.suppression import HIDDEN
from mle.reporting.tables import Labels, national_table, report_tables

MONTHS = ("2025-04", "2025-05", "2025-06")
LOCALITIES = ("airdrie", "bellshill", "coatbridge", "motherwell", "north", "wishaw", "")
STATUSES = ("new", "accepted", "in_progress", "closed", "declined")

record_specs = st.fixed_dictionaries({
    "month": st.sampled_from(MONTHS),
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
# Each spec repeated 1 to 9 times, so that cells of every size from 0 upwards appear.
datasets = st.lists(st.tuples(record_specs, st.integers(1, 9)), min_size=0, max_size=14)
filters = st.tuples(st.sampled_from(("month", "quarter", "year")), st.sampled_from(MONTHS),
                    st.sampled_from(LOCALITIES[:-1]))


def _record(serial: int, spec: dict) -> OutcomeRecord:
    referral = spec["status"] is not None
    return OutcomeRecord(
        assessment_ref=f"p-{serial}", period=spec["month"], channel=spec["channel"],
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


def _eliminate(row: dict, other: dict, column: int) -> dict:
    factor = row[column]
    for i, c in other.items():
        row[i] = row.get(i, Fraction(0)) - factor * c
    return {i: c for i, c in row.items() if c}


def _determined(hidden: list, relations: list) -> list:
    """Exact rational Gauss-Jordan, written independently of the code under test: the hidden
    figures that the relations fix once the shown figures are known."""
    index = {key: i for i, key in enumerate(hidden)}
    reduced: list[tuple[int, dict[int, Fraction]]] = []  # (pivot column, row)
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
    return [hidden[pivot] for pivot, row in reduced if len(row) == 1]


def _labels() -> Labels:
    return Labels({}, {}, {}, {}, {}, {})


def _shown(tables) -> list:
    values = []
    for table in tables:
        values += [v for _, row in table.rows for v in row]
        values += list(table.total or ())
    return values


def _published(pub) -> set[str]:
    """Every figure the period publishes, as shown: its own, and the headline figures of its
    months (the rows of the "by month" table are the months' own figures)."""
    shown = {str(pub.show(k)) for k in pub.values} | {HIDDEN, "0"}
    for month in pub.month_publications.values():
        shown |= {str(month.show(k)) for k in month.values}
    return shown | {str(v) for v in pub.topics.values()}


@settings(max_examples=int(__import__("os").environ.get("MLE_HYPOTHESIS_EXAMPLES", "25")),
          deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                HealthCheck.too_slow])
@given(data=datasets, chosen=filters)
def test_no_filter_reveals_a_small_count(app, data, chosen):
    kind, month, locality = chosen
    code = {"month": month, "quarter": "2025-Q2", "year": "FY2025"}[kind]
    with app.test_request_context():
        db.session.query(OutcomeModule).delete()
        db.session.query(OutcomeRecord).delete()
        db.session.query(OutcomeRollup).delete()
        db.session.query(OutcomeTally).delete()
        serial = 0
        for spec, times in data:
            for _ in range(times):
                serial += 1
                db.session.add(_record(serial, spec))
        db.session.commit()
        rebuild()
        pub = area_publication(parse_period(code))
        tables = [*report_tables(pub, _labels()), *report_tables(pub, _labels(), locality),
                  national_table(pub, national_outcomes())]

        # Nothing from 1 to 4 is ever shown, on any page (the exports write these tables).
        assert not [v for v in _shown(tables) if isinstance(v, int) and 0 < v < 5]
        assert not [k for k, v in pub.values.items() if 0 < v < 5 and k not in pub.hidden]
        # The sums used to protect the figures are true of the data...
        for total, parts in pub.relations:
            assert pub.values[total] == sum(pub.values[p] for p in parts), (total, parts)
        # ...and no hidden figure can be worked out from the shown ones through them.
        hidden = sorted(pub.hidden, key=str)
        assert _determined(hidden, pub.relations) == []
        # Every figure a table shows is one of the protected figures, shown the same way.
        assert {str(v) for v in _shown(tables)} <= _published(pub)


# Months of FY2025, most in its first quarter so that nested periods share many figures.
YEAR_MONTHS = ("2025-04", "2025-05", "2025-06", "2025-06", "2025-09", "2025-12", "2026-01",
               "2026-03")
PERIODS = (*(f"2025-{m:02d}" for m in range(4, 13)), *(f"2026-{m:02d}" for m in range(1, 4)),
           "2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1", "FY2025")
year_datasets = st.lists(
    st.tuples(record_specs, st.sampled_from(YEAR_MONTHS),
              st.integers(1, 9)), min_size=0, max_size=14)


class Revealed(AssertionError):
    """A hidden figure that can be worked out from the figures shown."""


def _check_one_period(pub, tables) -> None:
    # Nothing from 1 to 4 is ever shown, on any page (the exports write these tables).
    assert not [v for v in _shown(tables) if isinstance(v, int) and 0 < v < 5]
    assert not [k for k, v in pub.values.items() if 0 < v < 5 and k not in pub.hidden]
    # The sums used to protect the figures are true of the data.
    for total, parts in pub.relations:
        assert pub.values[total] == sum(pub.values[p] for p in parts), (total, parts)
    # Every figure a table shows is one of the protected figures, shown the same way.
    assert {str(v) for v in _shown(tables)} <= _published(pub)


def _nesting(pubs: dict) -> list:
    """What anyone knows without being told: a quarter's or a year's figure is the sum of the
    same figure for its months (a figure a month does not list is 0 there)."""
    relations = []
    for code, pub in pubs.items():
        months = parse_period(code).months
        if len(months) == 1:
            continue
        for key, value in pub.values.items():
            parts = [m for m in months if key in pubs[m].values]
            assert value == sum(pubs[m].values[key] for m in parts), (code, key)
            relations.append(((code, key), [(m, key) for m in parts]))
        for month in months:  # nothing a month counts is missing from the longer period
            assert not [k for k, v in pubs[month].values.items()
                        if v and k not in pub.values], (code, month)
    return relations


@settings(max_examples=int(__import__("os").environ.get("MLE_HYPOTHESIS_EXAMPLES", "25")),
          deadline=None, derandomize=True,
          phases=[Phase.explicit, Phase.reuse, Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=year_datasets)
def test_every_view_of_a_year_together_reveals_no_small_count(app, data):
    """The attacker sees every month, quarter and the year, the dashboard, every locality view
    and the national outcomes view, and knows that a longer period's figures are the sums of
    its months'."""
    with app.test_request_context():
        db.session.query(OutcomeModule).delete()
        db.session.query(OutcomeRecord).delete()
        db.session.query(OutcomeRollup).delete()
        db.session.query(OutcomeTally).delete()
        serial = 0
        for spec, month, times in data:
            for _ in range(times):
                serial += 1
                db.session.add(_record(serial, {**spec, "month": month}))
        db.session.commit()
        rebuild()
        pubs = {code: area_publication(parse_period(code)) for code in PERIODS}
        # Every period of the year publishes the same list of figures and sums.
        assert len({tuple(pub.values) for pub in pubs.values()}) == 1
        assert len({str(pub.relations) for pub in pubs.values()}) == 1
        hidden, relations = [], []
        for code, pub in pubs.items():
            tables = [*report_tables(pub, _labels()), national_table(pub, national_outcomes())]
            for locality in LOCALITIES[:-1]:
                tables += report_tables(pub, _labels(), locality)
            _check_one_period(pub, tables)
            hidden += [(code, key) for key in pub.hidden]
            relations += [((code, total), [(code, p) for p in parts])
                          for total, parts in pub.relations]
        relations += _nesting(pubs)
        # No hidden figure of any period can be worked out from everything shown for the
        # year, through the sums within each period and between nested periods.
        revealed = _determined(sorted(hidden, key=str), relations)
        if revealed:
            raise Revealed(revealed[:5])
