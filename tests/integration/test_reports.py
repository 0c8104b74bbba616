"""The manager's outcomes dashboard and CSV export: real figures, never a small number."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime

from mle.extensions import db
from mle.models import OutcomeModule, OutcomeRecord
from mle.reporting.rollups import rebuild
from tests.pages import CheckedClient
from tests.staff import make_staff, sign_in

PERIOD = datetime.now(UTC).strftime("%Y-%m")


def add_outcomes(app, count: int, locality: str, services: bool = True) -> None:
    with app.app_context():
        for _ in range(count):
            db.session.add(OutcomeRecord(
                assessment_ref=f"ref-{locality}-{_}-{count}", period=PERIOD, channel="self",
                locality=locality, simd_quintile=2, age_band="65_74", content_version="x",
                services=["samaritans"] if services else [], urgent=False,
                referral_offered=False, referral_made=False,
                modules=[OutcomeModule(module="memory", level="signposting")]))
        db.session.commit()
        rebuild()


def manager(app) -> CheckedClient:
    client = CheckedClient(app.test_client())
    sign_in(client, app, make_staff(app, ["manager"]))
    return client


def test_the_dashboard_shows_the_funnel_and_hides_small_numbers(app):
    add_outcomes(app, 40, "coatbridge")
    add_outcomes(app, 3, "airdrie")
    add_outcomes(app, 12, "wishaw", services=False)
    page = manager(app).get(f"/staff/reports/?period={PERIOD}")
    funnel = page.soup.find("table").get_text(" ")
    assert "Assessments completed 55" in " ".join(funnel.split())
    cells = [td.get_text(strip=True) for td in page.soup.select("td")]
    assert "<5" in cells
    assert not any(re.fullmatch(r"[1-4]", c) for c in cells), cells


def test_a_bad_period_is_explained(app):
    page = manager(app).get("/staff/reports/?period=last-week", expect=400)
    assert page.error_summary()[0].startswith("Enter a period like 2026-11")


def test_the_csv_export_has_the_same_suppressed_figures(app):
    add_outcomes(app, 40, "coatbridge")
    add_outcomes(app, 2, "bellshill")
    client = manager(app)
    response = client.client.get(f"/staff/reports/export.csv?period={PERIOD}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    by_locality = {r["group"]: r for r in rows if r["breakdown"] == "locality"}
    assert by_locality["bellshill"]["assessments"] == "<5"
    assert by_locality["coatbridge"]["assessments"] == "<5"  # else 2 = total - 40
    assert by_locality["total"]["assessments"] == "42"
    values = [v for r in rows for k, v in r.items() if k not in ("period", "breakdown", "group")]
    assert not any(re.fullmatch(r"[1-4]", v) for v in values)
