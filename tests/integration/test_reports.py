"""The manager's reports: real figures from generated outcomes, never a small number, the same
figures in CSV and XLSX, and a clear message for a bad period or locality."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from mle.database import db
from mle.models import AuditEvent, OutcomeModule, OutcomeRecord
from mle.reporting.rollups import rebuild
from tests.pages import CheckedClient
from tests.staff import make_staff, sign_in

PERIOD = datetime.now(UTC).strftime("%Y-%m")
_serial = iter(range(10**9))


def outcome(locality="coatbridge", period=PERIOD, level="signposting", services=("samaritans",),
            referral=False, status=None, accepted=False, days=None, equipment=(),
            requested=(), unmet=(), helpful=None, next_steps=None, simd=2, age="65_74",
            channel="self", module="memory") -> OutcomeRecord:
    return OutcomeRecord(
        assessment_ref=f"ref-{next(_serial)}", period=period, channel=channel,
        locality=locality, simd_quintile=simd, age_band=age, content_version="x",
        services=list(services), urgent=False, referral_offered=referral,
        referral_made=referral, referral_status=status if referral else None,
        referral_accepted=accepted, first_action_days=days, equipment=list(equipment),
        equipment_requested=list(requested), unmet_needs=list(unmet),
        feedback_helpful=helpful, feedback_next=next_steps,
        modules=[OutcomeModule(module=module, level=level)])


def store(app, records) -> None:
    with app.app_context():
        db.session.add_all(records)
        db.session.commit()
        rebuild()


def add_outcomes(app, count: int, locality: str, services: bool = True) -> None:
    store(app, [outcome(locality, services=("samaritans",) if services else ())
                for _ in range(count)])


def manager(app) -> CheckedClient:
    client = CheckedClient(app.test_client())
    sign_in(client, app, make_staff(app, ["manager"]))
    return client


def table(page, table_id: str) -> dict[str, list[str]]:
    rows = {}
    for tr in page.soup.select(f"#table-{table_id} tbody tr"):
        cells = [c.get_text(" ", strip=True) for c in tr.find_all(["th", "td"])]
        rows[cells[0]] = cells[1:]
    return rows


def known_funnel() -> list[OutcomeRecord]:
    """60 assessments: 48 with a potential to signpost, 36 directed to a service, 15 with a
    referral made, of which 9 were accepted."""
    records = []
    for i in range(60):
        records.append(outcome(
            locality=("coatbridge", "airdrie", "wishaw")[i % 3],
            level="signposting" if i < 48 else "advice",
            services=("samaritans",) if i < 36 else (),
            referral=i < 15, status="accepted" if i < 9 else "declined", accepted=i < 9,
            days=i % 4 if i < 15 else None))
    return records


def test_the_dashboard_reproduces_a_known_funnel(app):
    store(app, known_funnel())
    page = manager(app).get(f"/staff/reports/?period={PERIOD}")
    funnel = table(page, "funnel")
    assert funnel == {"Assessments completed": ["60"], "Had a potential to signpost": ["48"],
                      "Directed to a service": ["36"], "Referral made": ["15"],
                      "Referral accepted": ["9"]}
    assert table(page, "referral_status")["Accepted"] == ["9"]
    assert table(page, "referral_status")["Declined"] == ["6"]
    assert table(page, "locality")["Airdrie"] == ["20", "16", "12", "5", "<5"]
    svg = page.soup.select_one("svg[role=img]")
    labelled = svg["aria-labelledby"].split()
    assert svg.find("title")["id"] == labelled[0] and svg.find("desc")["id"] == labelled[1]
    assert not page.soup.find("script", src=re.compile("chart"))


def test_the_dashboard_hides_small_numbers(app):
    add_outcomes(app, 40, "coatbridge")
    add_outcomes(app, 3, "airdrie")
    add_outcomes(app, 12, "wishaw", services=False)
    page = manager(app).get(f"/staff/reports/?period={PERIOD}")
    assert table(page, "funnel")["Assessments completed"] == ["55"]
    cells = [td.get_text(strip=True) for td in page.soup.select("td")]
    assert "<5" in cells
    assert not any(re.fullmatch(r"[1-4]", c) for c in cells), cells


def test_the_locality_view_shows_one_locality_consistently_with_the_dashboard(app):
    store(app, known_funnel())
    client = manager(app)
    dashboard = client.get(f"/staff/reports/?period={PERIOD}")
    page = client.get(f"/staff/reports/locality?locality=wishaw&period={PERIOD}")
    assert page.soup.h1.get_text(strip=True).startswith("Outcomes in Wishaw")
    assert [v[0] for v in table(page, "funnel").values()] == \
        table(dashboard, "locality")["Wishaw"]
    assert "Total" in table(page, "simd")


def test_the_national_outcomes_view_counts_module_results(app):
    store(app, [outcome(module="carer", level="advice") for _ in range(6)]
          + [outcome(module="falls", level="urgent") for _ in range(7)])
    page = manager(app).get(f"/staff/reports/national-outcomes?period={PERIOD}")
    rows = {label.split(".")[0]: values for label, values in table(page,
                                                                     "national_outcomes").items()}
    assert rows["1"] == ["6"]  # advice
    assert rows["6"] == ["6"]  # the carer module
    assert rows["7"] == ["7"]  # urgent, and the falls module, counted once per result
    assert rows["9"] == ["0"]
    assert "People who provide unpaid care are supported" in page.text


def test_the_csv_and_xlsx_exports_have_the_screen_figures(app):
    store(app, known_funnel() + [outcome(locality="bellshill") for _ in range(2)])
    client = manager(app)
    page = client.get(f"/staff/reports/?period={PERIOD}")
    response = client.client.get(f"/staff/reports/export.csv?period={PERIOD}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    exported: dict[tuple, str] = {(r["table"], r["row"], r["column"]): r["value"] for r in rows}
    assert exported[("locality", "Bellshill", "Assessments completed")] == "<5"
    assert exported[("locality", "Total", "Assessments completed")] == "62"
    for table_id in ("funnel", "locality", "simd", "referral_status", "trend", "first_action"):
        headers = [th.get_text(strip=True) for th in
                   page.soup.select(f"#table-{table_id} thead th")][1:]
        for label, values in table(page, table_id).items():
            for column, value in zip(headers, values, strict=True):
                assert exported[(table_id, label, column)] == value, (table_id, label, column)
    assert not any(re.fullmatch(r"[1-4]", r["value"]) for r in rows)

    response = client.client.get(f"/staff/reports/export.xlsx?period={PERIOD}")
    assert response.status_code == 200
    with app.app_context():
        exports = db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "report.exported")).all()
        assert sorted(e.details["format"] for e in exports) == ["csv", "xlsx"]
    workbook = load_workbook(io.BytesIO(response.data), read_only=True)
    assert "locality" in workbook.sheetnames
    for sheet in workbook.worksheets:
        lines = list(sheet.iter_rows(values_only=True))
        header = lines[3]
        for line in lines[4:]:
            if not line or line[0] is None or len(line) < 2 or line[1] is None:
                continue
            for column, value in zip(header[1:], line[1:], strict=False):
                if column is None:
                    continue
                assert str(value) == exported[(sheet.title, line[0], column)], \
                    (sheet.title, line[0], column)
                assert not (isinstance(value, int) and 0 < value < 5)


@pytest.mark.parametrize("query", [
    "period=last-week", "period=2026-13", "period=1999-04", "period=FY2200",
    "period=2026-Q5", "period=" + "9" * 300,
])
def test_a_bad_period_is_explained(app, query):
    client = manager(app)
    page = client.get(f"/staff/reports/?{query}", expect=400)
    assert page.error_summary()[0].startswith("Enter a period like 2026-11")
    page = client.get(f"/staff/reports/locality?locality=airdrie&{query}", expect=400)
    assert page.error_summary()[0].startswith("Enter a period like 2026-11")
    page = client.get(f"/staff/reports/national-outcomes?{query}", expect=400)
    assert page.error_summary()[0].startswith("Enter a period like 2026-11")
    assert client.client.get(f"/staff/reports/export.csv?{query}").status_code == 400
    assert client.client.get(f"/staff/reports/export.xlsx?{query}").status_code == 400


@pytest.mark.parametrize("locality", ["", "atlantis", "<script>", "Airdrie"])
def test_a_bad_locality_is_explained(app, locality):
    client = manager(app)
    page = client.get(f"/staff/reports/locality?locality={locality}&period={PERIOD}",
                      expect=400)
    assert page.error_summary() == ["Select a locality from the list"]
    response = client.client.get(
        f"/staff/reports/export.csv?view=locality&locality={locality}&period={PERIOD}")
    assert response.status_code == 400


def test_an_unknown_report_cannot_be_downloaded(app):
    response = manager(app).client.get(f"/staff/reports/export.csv?view=raw&period={PERIOD}")
    assert response.status_code == 400


def test_the_protected_year_is_built_again_when_an_outcome_is_written_or_changed(app):
    from mle.reporting.rollups import add_outcome, changing

    store(app, known_funnel())
    client = manager(app)
    page = client.get(f"/staff/reports/?period={PERIOD}")
    assert table(page, "referral_status")["Accepted"] == ["9"]
    with app.app_context():
        # A later change that leaves every total the same: one declined referral accepted.
        record = db.session.scalars(select(OutcomeRecord).where(
            OutcomeRecord.referral_status == "declined")).first()
        with changing(record):
            record.referral_status = "accepted"
            record.referral_accepted = True
        record = outcome(locality="airdrie")
        db.session.add(record)
        db.session.flush()
        add_outcome(record)
        db.session.commit()
    page = client.get(f"/staff/reports/?period={PERIOD}")
    assert table(page, "funnel")["Assessments completed"] == ["61"]
    assert table(page, "referral_status")["Accepted"] == ["10"]
    assert table(page, "referral_status")["Declined"] == ["5"]


def test_a_worker_keeps_its_protected_year_for_the_reports_max_age(app, monkeypatch):
    from mle.reporting import year_cache

    year_cache.clear_cache()  # years earlier tests left, checked at another (real) time
    now = [1000.0]
    monkeypatch.setattr(year_cache, "monotonic", lambda: now[0])
    monkeypatch.setitem(app.config, "MLE_REPORTS_MAX_AGE_SECONDS", 300)
    store(app, known_funnel())
    client = manager(app)
    assert table(client.get(f"/staff/reports/?period={PERIOD}"), "funnel")[
        "Assessments completed"] == ["60"]
    store(app, [outcome()])
    now[0] += 299
    assert table(client.get(f"/staff/reports/?period={PERIOD}"), "funnel")[
        "Assessments completed"] == ["60"]
    now[0] += 1
    assert table(client.get(f"/staff/reports/?period={PERIOD}"), "funnel")[
        "Assessments completed"] == ["61"]


def test_the_protected_year_is_built_again_exactly_when_its_figures_change(app, monkeypatch):
    from mle.reporting import year_cache
    from mle.reporting.area_reports import area_publication
    from mle.reporting.periods import parse_period

    year_cache.clear_cache()
    monkeypatch.setitem(app.config, "MLE_REPORTS_MAX_AGE_SECONDS", 0)  # read on every call
    store(app, known_funnel())
    with app.test_request_context():
        first = area_publication(parse_period(PERIOD))
        again = area_publication(parse_period(PERIOD))
        assert again.hidden is first.hidden  # the same year, read and found unchanged
    store(app, [outcome()])
    with app.test_request_context():
        changed = area_publication(parse_period(PERIOD))
    assert changed.hidden is not first.hidden
    assert changed.values[("m", "assessments", "all")] == \
        first.values[("m", "assessments", "all")] + 1
