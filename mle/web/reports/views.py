"""The outcomes dashboard and its CSV export: the same suppressed figures in both."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from flask import Response, render_template, request

from mle.extensions import db
from mle.models.rollup import MEASURES
from mle.reporting.periods import PeriodError, financial_year_of, parse_period
from mle.reporting.queries import BREAKDOWNS, breakdown, funnel, modules_used
from mle.security.audit import audit
from mle.security.roles import requires_role
from mle.web.reports import reports

MEASURE_LABELS = {
    "assessments": "Assessments completed",
    "signpost_potential": "Had a potential to signpost",
    "directed": "Directed to a service",
    "referral_offered": "Referral offered",
    "referral_made": "Referral made",
}


def _period():
    default = financial_year_of(datetime.now(UTC).strftime("%Y-%m"))
    return parse_period(request.args.get("period") or default)


@reports.get("/")
@requires_role("manager")
def dashboard():
    try:
        period = _period()
    except PeriodError as error:
        return render_template("reports/dashboard.html", error=str(error), period=None,
                               code=request.args.get("period", "")), 400
    return render_template(
        "reports/dashboard.html", period=period, error=None, code=period.code,
        funnel=funnel(period.months), labels=MEASURE_LABELS,
        breakdowns=[breakdown(period.months, d) for d in BREAKDOWNS],
        modules=modules_used(period.months))


@reports.get("/export.csv")
@requires_role("manager")
def export_csv():
    try:
        period = _period()
    except PeriodError as error:
        return Response(str(error), status=400, mimetype="text/plain")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["period", "breakdown", "group", *MEASURES])
    for table in (breakdown(period.months, d) for d in BREAKDOWNS):
        for index, label in enumerate(table.labels):
            writer.writerow([period.code, table.dimension, label,
                             *[table.columns[m][index] for m in MEASURES]])
        writer.writerow([period.code, table.dimension, "total",
                         *[table.totals[m] for m in MEASURES]])
    audit("report.exported", "report", period.code)
    db.session.commit()
    return Response(out.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="outcomes-{period.code}.csv"'})
