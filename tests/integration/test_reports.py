"""The manager's reports, read from monthly releases: a month is released once, after its
release day, and never changes; breakdowns are released for quarters and years; no count
from 1 to 4 is shown; the same figures go to CSV and XLSX with their release date; and a period
that is not released gets a page saying what is."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from mle.cli import mle_cli
from mle.database import db
from mle.models import (
    AuditEvent,
    OutcomeModule,
    OutcomeRecord,
    ReleasedPeriod,
    ReportRelease,
)
from mle.reporting.rollups import changing, rebuild
from tests.pages import CheckedClient
from tests.staff import make_staff, sign_in

# A quarter of a financial year that ended long ago, so every month of it is released.
MONTH = "2025-05"
QUARTER = "2025-Q2"
YEAR = "FY2025"
THIS_MONTH = datetime.now(UTC).strftime("%Y-%m")
_serial = iter(range(10**9))


def outcome(locality="coatbridge", period=MONTH, level="signposting", services=("samaritans",),
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


def store(app, records, release: bool = True) -> None:
    """Write the records and their rollups; then, unless `release` is false, release every
    month that is due, as the nightly `flask mle release-reports` does (pages never release)."""
    with app.app_context():
        db.session.add_all(records)
        db.session.commit()
        rebuild()
    if release:
        with app.test_request_context():
            from mle.reporting.area_reports import release_reports

            release_reports()


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


def known_funnel(period=MONTH) -> list[OutcomeRecord]:
    """60 assessments: 48 with a potential to signpost, 36 directed to a service, 15 with a
    referral made (and so offered: a personalised solution), of which 9 were accepted."""
    records = []
    for i in range(60):
        records.append(outcome(
            period=period, locality=("coatbridge", "airdrie", "wishaw")[i % 3],
            level="signposting" if i < 48 else "advice",
            services=("samaritans",) if i < 36 else (),
            referral=i < 15, status="accepted" if i < 9 else "declined", accepted=i < 9,
            days=i % 4 if i < 15 else None))
    return records


def test_a_released_quarter_shows_the_five_measures_and_the_funnel(app):
    store(app, known_funnel())
    page = manager(app).get(f"/staff/reports/?period={QUARTER}")
    measures = table(page, "five_measures")
    assert measures["Assessments completed"] == ["60"]
    assert measures["With a potential to signpost"] == ["48"]
    # Referral offered to 15, all of them among the 36 shown a service.
    assert measures["A personalised solution and directed to a service"] == ["15"]
    assert measures["Local information views: topic pages"] == ["0"]
    assert [v for k, v in measures.items() if k.startswith("Modules used")] == [["60"]]
    funnel = table(page, "funnel")
    assert funnel == {"Assessments completed": ["60"], "Had a potential to signpost": ["48"],
                      "Directed to a service": ["36"], "Referral made": ["15"],
                      "Referral accepted": ["9"]}
    assert table(page, "referral_status")["Accepted"] == ["9"]
    assert table(page, "referral_status")["Declined"] == ["6"]
    assert table(page, "locality")["Airdrie"] == ["20", "16", "12", "5", "c"]
    assert "Released on" in page.soup.select_one("#released").get_text()
    assert "c: suppressed" in page.text
    svg = page.soup.select_one("svg[role=img]")
    labelled = svg["aria-labelledby"].split()
    assert svg.find("title")["id"] == labelled[0] and svg.find("desc")["id"] == labelled[1]


def test_a_month_is_released_for_the_whole_area_only(app):
    store(app, known_funnel())
    client = manager(app)
    page = client.get(f"/staff/reports/?period={MONTH}")
    assert table(page, "five_measures")["Assessments completed"] == ["60"]
    assert page.soup.select("#table-locality") == [] and page.soup.select("#table-simd") == []
    page = client.get(f"/staff/reports/locality?locality=wishaw&period={MONTH}", expect=400)
    assert page.error_summary()[0].startswith("Breakdowns are released for quarters")
    page = client.get(f"/staff/reports/national-outcomes?period={MONTH}", expect=400)
    assert page.error_summary()[0].startswith("Breakdowns are released for quarters")


def test_the_current_month_and_the_future_are_never_shown(app):
    store(app, known_funnel() + known_funnel(period=THIS_MONTH))
    client = manager(app)
    for code in (THIS_MONTH, "2099-01", "2099-Q1", "FY2099"):
        page = client.get(f"/staff/reports/?period={code}", expect=404)
        assert "has not been released" in page.error_summary()[0]
        assert client.client.get(f"/staff/reports/export.csv?period={code}").status_code == 404
        assert not page.soup.select("table")  # no figure at all
        # The page lists what is available.
        assert page.soup.find("a", string=re.compile("Quarter 2 2025"))
    # The quarter holding this month is not released either.
    this_quarter = f"{THIS_MONTH[:4]}-Q{(int(THIS_MONTH[5:]) + 2) // 3}"
    client.get(f"/staff/reports/?period={this_quarter}", expect=404)
    client.get(f"/staff/reports/locality?locality=airdrie&period={this_quarter}", expect=404)


@pytest.mark.parametrize(("code", "names"), [
    ("en", ("Quarter 2 2025", "May 2025", "April 2025 to March 2026")),
    # Month names as names on their own (Polish nominative "maj", not "maja").
    ("pl", ("Kwarta\u0142 2 2025", "maj 2025", "kwiecie\u0144 2025 \u2013 marzec 2026")),
    ("ur", ("\u0633\u06c1 \u0645\u0627\u06c1\u06cc 2\u060c 2025", "\u0645\u0626\u06cc 2025",
            "\u0627\u067e\u0631\u06cc\u0644 2025 \u062a\u0627 \u0645\u0627\u0631\u0686 2026"))])
def test_periods_are_named_in_the_readers_language(app, code, names):
    from flask_babel import force_locale

    from mle.reporting.period_names import period_name

    with app.test_request_context(), force_locale(code):
        assert (period_name(QUARTER), period_name("2025-05"), period_name("FY2025")) == names


def test_periods_are_named_in_polish_and_codes_stay_left_to_right_in_urdu(app):
    store(app, known_funnel())
    client = manager(app)
    page = client.get(f"/staff/reports/?period={QUARTER}&lang=pl")
    assert page.soup.h1.get_text(strip=True).endswith(": Kwarta\u0142 2 2025")
    listed = {a.get_text(strip=True) for a in page.soup.select("main li a")}
    assert {"kwiecie\u0144 2025", "Kwarta\u0142 2 2025"} <= listed
    assert "April" not in page.soup.select_one("main").get_text()
    # Period codes read left to right on an Urdu page.
    page = client.get(f"/staff/reports/?period={QUARTER}&lang=ur")
    assert page.soup.select_one("input#period")["dir"] == "ltr"
    assert QUARTER in {code.get_text() for code in page.soup.select("main li bdi[dir=ltr]")}


def _release(today: date) -> list[str]:
    from mle.reporting.area_reports import _groups, national_outcomes
    from mle.reporting.releases import release_due
    from mle.site import site

    return release_due(tuple(site().area.localities), _groups(), national_outcomes(),
                       today=today)


def test_a_month_is_released_once_and_never_changes(app):
    from mle.reporting.area_reports import release_reports, released
    from mle.reporting.periods import parse_period

    store(app, known_funnel(), release=False)
    with app.test_request_context():
        # May 2025 is released on 5 June 2025, not before.
        assert _release(date(2025, 6, 4)) == ["2025-04"]
        assert released(parse_period(MONTH)) is None
        assert _release(date(2025, 6, 5)) == ["2025-05"]
        may = released(parse_period(MONTH))
        assert may.show(("m", "assessments", "all")) == 60
        assert released(parse_period(QUARTER)) is None
        # A late change to a record of the released month: a referral now accepted.
        record = db.session.scalars(select(OutcomeRecord).where(
            OutcomeRecord.referral_status == "declined")).first()
        with changing(record):
            record.referral_status = "accepted"
            record.referral_accepted = True
        db.session.commit()
        assert _release(date(2025, 7, 5)) == ["2025-06"]
        assert released(parse_period(MONTH)).values == may.values
        quarter = released(parse_period(QUARTER))
        assert quarter.show(("m", "referral_accepted", "all")) == 10
        assert quarter.revised == ("2025-05",)
    client = manager(app)
    page = client.get(f"/staff/reports/?period={QUARTER}")
    assert table(page, "funnel")["Referral accepted"] == ["10"]
    assert "records from: May 2025" in page.soup.select_one("#released").get_text()
    with app.test_request_context():
        assert _release_count() == 3  # the page released nothing
        assert release_reports()[0] == "2025-07"  # the nightly release: the rest
        count = _release_count()
        assert release_reports() == []  # idempotent
        assert _release_count() == count
        assert released(parse_period(MONTH)).values == may.values


def _release_count() -> int:
    return db.session.scalar(select(func.count(ReportRelease.id)))


def _released_rows(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(ReleasedPeriod.id)))


def test_the_release_command_is_safe_to_run_every_day(app):
    store(app, known_funnel(), release=False)
    runner = app.test_cli_runner()
    first = runner.invoke(mle_cli, ["release-reports"])
    assert first.exit_code == 0 and "2025-04" in first.output and "2025-05" in first.output
    assert THIS_MONTH not in first.output
    second = runner.invoke(mle_cli, ["release-reports"])
    assert second.exit_code == 0 and "none due" in second.output
    with app.app_context():
        months = db.session.scalars(select(ReportRelease.month)).all()
        assert len(months) == len(set(months)) and THIS_MONTH not in months


DUE = "The figures for {} are due for release on {} and will appear once the nightly release " \
    "has run."


def test_a_page_never_releases_and_says_which_months_are_due(app, monkeypatch):
    """Protecting a quarter or a year takes minutes: a page that released would pass the
    server's time limit. The pages only read, and say plainly what the nightly release has not
    released yet instead of showing older figures as if they were the latest."""
    from tests.integration.test_report_suppression import _frozen_clock

    store(app, known_funnel(), release=False)
    client = manager(app)
    # Nothing released yet, April to November 2026 due.
    page = client.get("/staff/reports/")
    assert "Nothing has been released yet" in page.text and not page.soup.select("table")
    assert page.soup.select_one("#due").get_text(" ", strip=True).startswith(
        "Not released yet The figures for April 2025 to")
    assert _released_rows(app) == 0

    with app.test_request_context():
        assert _release(date(2025, 6, 5)) == ["2025-04", "2025-05"]
    rows = _released_rows(app)
    _frozen_clock(monkeypatch, date(2025, 7, 5))  # June, and with it the quarter, due today
    for url in ("/staff/reports/", "/staff/reports/?period=2025-05"):
        page = client.get(url)
        assert page.soup.h1.get_text(strip=True) == "Outcomes: May 2025"  # named, not "latest"
        assert page.soup.select_one("#due p").get_text(strip=True) == DUE.format(
            "June 2025", "5 July 2025")
    for url, label in ((f"/staff/reports/?period={QUARTER}", "Quarter 2 2025"),
                       ("/staff/reports/?period=2025-06", "June 2025"),
                       (f"/staff/reports/locality?locality=wishaw&period={QUARTER}",
                        "Quarter 2 2025"),
                       (f"/staff/reports/national-outcomes?period={QUARTER}", "Quarter 2 2025")):
        page = client.get(url, expect=404)
        assert page.error_summary() == [DUE.format(label, "5 July 2025")]
        assert not page.soup.select("table") and not page.soup.select("#due")  # said once
    # A quarter whose last month is not due yet is simply not released.
    page = client.get("/staff/reports/?period=2025-Q3", expect=404)
    assert "has not been released" in page.error_summary()[0]
    assert _released_rows(app) == rows

    # The nightly release runs: the quarter appears and the notice goes.
    result = app.test_cli_runner().invoke(mle_cli, ["release-reports"])
    assert "months released: 2025-06" in result.output
    page = client.get(f"/staff/reports/?period={QUARTER}")
    assert table(page, "five_measures")["Assessments completed"] == ["60"]
    assert not page.soup.select("#due")


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_download_never_releases_and_says_which_month_is_due(app, monkeypatch, kind):
    from tests.integration.test_report_suppression import _frozen_clock

    store(app, known_funnel(), release=False)
    with app.test_request_context():
        _release(date(2025, 6, 5))
    rows = _released_rows(app)
    _frozen_clock(monkeypatch, date(2025, 7, 5))
    client = manager(app)
    for query in (f"period={QUARTER}", "period=2025-06",
                  f"view=locality&locality=airdrie&period={QUARTER}"):
        response = client.client.get(f"/staff/reports/export.{kind}?{query}")
        assert response.status_code == 404 and response.mimetype == "text/plain"
        text = response.get_data(as_text=True)
        assert text.startswith(DUE.format(
            "June 2025" if "06" in query else "Quarter 2 2025", "5 July 2025"))
        assert "Released periods: 2025-05, 2025-04" in text
    assert client.client.get(f"/staff/reports/export.{kind}?period=2025-05").status_code == 200
    assert _released_rows(app) == rows


def test_the_nightly_timer_runs_the_release_command(app):
    """The unit deploy/systemd/mle-release-reports.timer starts every night runs the command
    these tests run."""
    from pathlib import Path

    units = Path(__file__).resolve().parents[2] / "deploy" / "systemd"
    timer = (units / "mle-release-reports.timer").read_text()
    assert re.search(r"^OnCalendar=\*-\*-\* \d\d:\d\d:00$", timer, re.M)  # every night
    service = (units / "mle-release-reports.service").read_text()
    command = re.search(r"^ExecStart=(.+)$", service, re.M)[1].split()
    assert command[:4] == ["/srv/mle/.venv/bin/flask", "--app", "wsgi", "mle"]
    store(app, known_funnel(), release=False)
    result = app.test_cli_runner().invoke(mle_cli, command[4:])
    assert result.exit_code == 0 and "2025-05" in result.output


def test_the_dashboard_hides_small_numbers_and_shows_true_zeros(app):
    store(app, [outcome("coatbridge") for _ in range(40)] + [outcome("airdrie")
                                                             for _ in range(3)]
          + [outcome("wishaw", services=()) for _ in range(12)])
    page = manager(app).get(f"/staff/reports/?period={QUARTER}")
    assert table(page, "five_measures")["Assessments completed"] == ["55"]
    cells = [td.get_text(strip=True) for td in page.soup.select("td")]
    assert "c" in cells and "0" in cells
    assert not any(re.fullmatch(r"[1-4]", c) for c in cells), cells
    # Bellshill had nobody: a true zero, shown as 0.
    assert table(page, "locality")["Bellshill"][0] == "0"
    # Suppressed rows go last, whatever their true size.
    firsts = [values[0] for label, values in table(page, "locality").items() if label != "Total"]
    assert "c" in firsts and firsts.index("c") == len(firsts) - firsts.count("c")


def test_the_median_is_shown_only_with_its_total(app):
    store(app, [outcome(referral=True, status="accepted", accepted=True, days=2)
                for _ in range(3)] + [outcome() for _ in range(20)])
    page = manager(app).get(f"/staff/reports/?period={QUARTER}")
    assert table(page, "first_action")["Total"] == ["c"]
    assert "Median" not in page.text
    assert "The median is not shown" in page.text


def test_the_locality_view_is_consistent_with_the_dashboard(app):
    store(app, known_funnel())
    client = manager(app)
    dashboard = client.get(f"/staff/reports/?period={QUARTER}")
    page = client.get(f"/staff/reports/locality?locality=wishaw&period={QUARTER}")
    assert page.soup.h1.get_text(strip=True).startswith("Outcomes in Wishaw")
    assert [v[0] for v in table(page, "funnel").values()] == \
        table(dashboard, "locality")["Wishaw"]
    assert "Total" in table(page, "simd")


def test_the_national_outcomes_view_counts_module_results(app):
    store(app, [outcome(module="carer", level="advice") for _ in range(6)]
          + [outcome(module="falls", level="urgent") for _ in range(7)])
    page = manager(app).get(f"/staff/reports/national-outcomes?period={QUARTER}")
    rows = {label.split(".")[0]: values for label, values in table(page,
                                                                     "national_outcomes").items()}
    assert rows["1"] == ["6"]  # advice
    assert rows["6"] == ["6"]  # the carer module
    assert rows["7"] == ["7"]  # urgent, and the falls module, counted once per result
    assert rows["9"] == ["0"]


def test_the_csv_and_xlsx_exports_have_the_screen_figures_and_release_date(app):
    store(app, known_funnel() + [outcome(locality="bellshill") for _ in range(2)])
    client = manager(app)
    page = client.get(f"/staff/reports/?period={QUARTER}")
    response = client.client.get(f"/staff/reports/export.csv?period={QUARTER}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    exported: dict[tuple, str] = {(r["table"], r["row"], r["column"]): r["value"] for r in rows}
    released_on = page.soup.select_one("#released").get_text()
    assert {r["released"] for r in rows} and all(r["released"] in released_on for r in rows)
    assert exported[("locality", "Bellshill", "Assessments completed")] == "c"
    assert exported[("locality", "Total", "Assessments completed")] == "62"
    for table_id in ("five_measures", "funnel", "locality", "simd", "referral_status",
                     "trend", "first_action"):
        headers = [th.get_text(strip=True) for th in
                   page.soup.select(f"#table-{table_id} thead th")][1:]
        for label, values in table(page, table_id).items():
            for column, value in zip(headers, values, strict=True):
                assert exported[(table_id, label, column)] == value, (table_id, label, column)
    assert not any(re.fullmatch(r"[1-4]", r["value"]) for r in rows)

    response = client.client.get(f"/staff/reports/export.xlsx?period={QUARTER}")
    assert response.status_code == 200
    with app.app_context():
        exports = db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "report.exported")).all()
        assert sorted(e.details["format"] for e in exports) == ["csv", "xlsx"]
    workbook = load_workbook(io.BytesIO(response.data), read_only=True)
    assert "locality" in workbook.sheetnames
    for sheet in workbook.worksheets:
        lines = list(sheet.iter_rows(values_only=True))
        assert "released on" in lines[1][0]
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
    store(app, known_funnel())
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
    store(app, known_funnel())
    client = manager(app)
    page = client.get(f"/staff/reports/locality?locality={locality}&period={QUARTER}",
                      expect=400)
    assert page.error_summary() == ["Select a locality from the list"]
    response = client.client.get(
        f"/staff/reports/export.csv?view=locality&locality={locality}&period={QUARTER}")
    assert response.status_code == 400


def test_an_unknown_report_cannot_be_downloaded(app):
    response = manager(app).client.get(f"/staff/reports/export.csv?view=raw&period={QUARTER}")
    assert response.status_code == 400


def test_with_nothing_released_the_pages_say_so(app):
    page = manager(app).get("/staff/reports/")
    assert "Nothing has been released yet" in page.text
    assert not page.soup.select("table")
