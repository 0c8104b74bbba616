"""A report file never carries a formula: a service name such as =HYPERLINK(...), from an
editor or an imported feed, reaches the CSV as quoted text and the XLSX as a text cell."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select, update

from mle.database import db
from mle.models import OutcomeRecord, Service
from mle.reporting.area_reports import release_reports
from mle.reporting.exports import neutralised
from mle.reporting.rollups import rebuild
from tests.integration.test_reports import MONTH, QUARTER, manager
from tests.journeys import complete

FORMULA = '=HYPERLINK("http://x","y")'
JOURNEYS = 5  # enough results to show the service's figure, not "c"


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_a_text_that_starts_like_a_formula_gets_a_quote(text):
    assert neutralised(text) == "'" + text


@pytest.mark.parametrize("value", ["Samaritans", "<5", "", 0, 12, "a=b"])
def test_other_texts_and_figures_are_left_alone(value):
    assert neutralised(value) == value


@pytest.fixture
def formula_service(app, client, content):
    """A service renamed to a formula, then shown on residents' results (as the service
    tallies are counted); its name is put back afterwards."""
    result = complete(client, content, ["carer"])
    with app.app_context():
        shown = db.session.scalars(select(OutcomeRecord)).one().services
        assert shown, "the journey should show a service"
        service = db.session.get(Service, shown[0])
        original, service.name = service.name, FORMULA
        db.session.commit()
    try:
        for _ in range(JOURNEYS):
            result = complete(client, content, ["carer"])
        assert FORMULA in result.text  # the resident saw the name, as text
        with app.app_context():
            # Reports show released periods only: the results count in a month long past.
            db.session.execute(update(OutcomeRecord).values(period=MONTH))
            db.session.commit()
            rebuild()
        with app.test_request_context():
            release_reports()  # the nightly release: pages and downloads only read
        yield shown[0]
    finally:
        with app.app_context():
            db.session.get(Service, shown[0]).name = original
            db.session.commit()


def test_a_formula_in_a_service_name_reaches_neither_export_as_a_formula(app, formula_service):
    client = manager(app)
    response = client.client.get(f"/staff/reports/export.csv?period={QUARTER}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    services = {r["row"]: r["value"] for r in rows if r["table"] == "services"}
    assert services["'" + FORMULA] == str(JOURNEYS + 1)
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r"))
                   for row in rows for cell in row.values())

    response = client.client.get(f"/staff/reports/export.xlsx?period={QUARTER}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    workbook = load_workbook(io.BytesIO(response.data))
    cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]
    named = [cell for cell in cells if cell.value == FORMULA]
    assert [cell.parent.title for cell in named] == ["services"]
    assert named[0].data_type == "s" and named[0].quotePrefix
    assert not any(cell.data_type == "f" for cell in cells)
