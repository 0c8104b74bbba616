"""The outcomes dashboard, the locality view, the national outcomes view and their exports:
the same suppressed tables on screen, in CSV and in XLSX."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Response, render_template, request
from flask_babel import gettext as _

from mle.reporting.area_reports import national_outcomes, record_export, report
from mle.reporting.exports import csv_text, xlsx_bytes
from mle.reporting.periods import PeriodError, financial_year_of, parse_period
from mle.security.roles import requires_role
from mle.site import site
from mle.web.reports import reports

VIEWS = ("dashboard", "locality", "national")


class FilterError(ValueError):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def _filters(view: str):
    """The period and locality asked for, or FilterError with a message for the form."""
    default = financial_year_of(datetime.now(UTC).strftime("%Y-%m"))
    code = request.args.get("period") or default
    if len(code) > 20:
        raise FilterError("period", _("Enter a period like 2026-11 (a month), 2026-Q3 (a "
                                      "quarter) or FY2026 (a financial year, April to March)"))
    try:
        period = parse_period(code)
    except PeriodError as error:
        raise FilterError("period", _("Enter a period like 2026-11 (a month), 2026-Q3 (a "
                                      "quarter) or FY2026 (a financial year, April to "
                                      "March)")) from error
    locality = None
    if view == "locality":
        locality = request.args.get("locality") or ""
        if locality not in site().area.localities:
            raise FilterError("locality", _("Select a locality from the list"))
    return period, locality


def _page(view: str):
    template = f"reports/{view}.html"
    localities = site().area.localities
    try:
        period, locality = _filters(view)
    except FilterError as error:
        return render_template(template, error=error, period=None, tables=[],
                               code=request.args.get("period", ""),
                               locality=request.args.get("locality", ""),
                               localities=localities), 400
    tables = report(view, period, locality)
    return render_template(template, error=None, period=period, code=period.code,
                           tables=tables, locality=locality, localities=localities,
                           national=national_outcomes() if view == "national" else None)


@reports.get("/")
@requires_role("manager")
def dashboard():
    return _page("dashboard")


@reports.get("/locality")
@requires_role("manager")
def locality():
    return _page("locality")


@reports.get("/national-outcomes")
@requires_role("manager")
def national():
    return _page("national")


def _export(kind: str):
    view = request.args.get("view", "dashboard")
    if view not in VIEWS:
        return Response(_("Choose a report to download."), status=400, mimetype="text/plain")
    try:
        period, locality = _filters(view)
    except FilterError as error:
        return Response(str(error), status=400, mimetype="text/plain")
    tables = report(view, period, locality)
    name = f"outcomes-{view}-{period.code}" + (f"-{locality}" if locality else "")
    record_export(view, period, kind, locality)
    # A report file stays out of every cache: browsers and proxies keep no copy.
    headers = {"Content-Disposition": f'attachment; filename="{name}.{kind}"',
               "Cache-Control": "no-store"}
    if kind == "csv":
        return Response(csv_text(tables, period.code, locality), mimetype="text/csv",
                        headers=headers)
    return Response(xlsx_bytes(tables, period.label), headers=headers,
                    mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@reports.get("/export.csv")
@requires_role("manager")
def export_csv():
    return _export("csv")


@reports.get("/export.xlsx")
@requires_role("manager")
def export_xlsx():
    return _export("xlsx")


@reports.app_template_filter("chart_bars")
def chart_bars(table) -> dict:
    """Bars for the first column of a table, scaled to the largest figure shown; a hidden
    figure gets no bar, only its "<5"."""
    width, row_height, bar_space = 320, 36, 250
    numbers = [v[0] for _, v in table.rows if isinstance(v[0], int)]
    largest = max(numbers, default=0) or 1
    bars = []
    for index, (label, values) in enumerate(table.rows):
        value = values[0]
        bars.append({"label": label if len(label) <= 48 else label[:47] + "…",
                     "text": str(value), "y": index * row_height,
                     "width": round(bar_space * value / largest) if isinstance(value, int)
                     else 0})
    return {"bars": bars, "width": width, "height": len(bars) * row_height + 4}
