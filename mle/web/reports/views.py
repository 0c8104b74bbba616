"""The outcomes dashboard, the locality view, the national outcomes view and their exports:
the same suppressed tables on screen, in CSV and in XLSX."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from flask import Response, current_app, render_template, request
from flask_babel import gettext as _
from sqlalchemy import select

from mle.extensions import db
from mle.i18n.runtime import content_text
from mle.models import Service
from mle.reporting.exports import xlsx_bytes
from mle.reporting.periods import PeriodError, financial_year_of, parse_period
from mle.reporting.publication import (
    NationalOutcomes,
    Publication,
    build,
    load_national_outcomes,
)
from mle.reporting.tables import Labels, national_table, report_tables
from mle.security.audit import audit
from mle.security.roles import requires_role
from mle.site import site
from mle.web.reports import reports

VIEWS = ("dashboard", "locality", "national")


class FilterError(ValueError):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


@cache
def _national(directory: str) -> NationalOutcomes:
    return load_national_outcomes(Path(directory) / "national_outcomes.yaml")


def national_outcomes() -> NationalOutcomes:
    """The nine outcomes and the mapping to them, read once from the directory folder."""
    return _national(str(current_app.config["MLE_DIRECTORY_DIR"]))


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


def _publication(period) -> Publication:
    area = site().area
    groups = {g: tuple(loc.id for loc in area.localities.values() if g in loc.groups)
              for g in area.locality_groups}
    return build(period, tuple(area.localities), groups, national_outcomes(),
                 max_age=current_app.config["MLE_REPORTS_MAX_AGE_SECONDS"])


def _labels(pub: Publication) -> Labels:
    area, content = site().area, site().content
    service_ids = list(pub.tally_keys.get("service", ()))
    services = dict(db.session.execute(
        select(Service.id, Service.name).where(Service.id.in_(service_ids))).all()
    ) if service_ids else {}
    return Labels(
        localities={k: content_text(v.name) for k, v in area.localities.items()},
        groups={k: content_text(v) for k, v in area.locality_groups.items()},
        modules={k: content_text(m.title) for k, m in content.modules.items()},
        equipment={k: content_text(v.name) for k, v in content.equipment.items()},
        needs={k: content_text(v.label) for k, v in area.needs.items()},
        services=services)


def _tables(view: str, period, locality):
    pub = _publication(period)
    if view == "national":
        return pub, [national_table(pub, national_outcomes())]
    return pub, report_tables(pub, _labels(pub), locality)


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
    pub, tables = _tables(view, period, locality)
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
    tables = _tables(view, period, locality)[1]
    name = f"outcomes-{view}-{period.code}" + (f"-{locality}" if locality else "")
    audit("report.exported", "report", period.code, view=view, format=kind,
          locality=locality or "")
    db.session.commit()
    if kind == "csv":
        body = csv_text(tables, period.code, locality)
        return Response(body, mimetype="text/csv", headers={
            "Content-Disposition": f'attachment; filename="{name}.csv"'})
    return Response(xlsx_bytes(tables, period.label), headers={
        "Content-Disposition": f'attachment; filename="{name}.xlsx"'},
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def csv_text(tables, period_code: str, locality: str | None) -> str:
    """Every table in one file, one figure a line: table, row, column, value."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["period", "locality", "table", "row", "column", "value"])
    for table in tables:
        for label, values in table.rows:
            for column, value in zip(table.columns, values, strict=True):
                writer.writerow([period_code, locality or "", table.id, label, column, value])
        if table.total is not None:
            for column, value in zip(table.columns, table.total, strict=True):
                writer.writerow([period_code, locality or "", table.id, _("Total"), column, value])
    return out.getvalue()


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
