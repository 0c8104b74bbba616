"""The outcomes dashboard, the locality view, the national outcomes view and their exports, all
read from the monthly releases: the same released tables on screen, in CSV and in XLSX.

A page or a download only reads. Releasing is the nightly `flask mle release-reports`
(a release can take minutes); until it has run, the pages say which months
are due rather than show older figures as if they were the latest."""

from __future__ import annotations

from flask import Response, current_app, render_template, request
from flask_babel import format_date
from flask_babel import gettext as _

from mle.reporting.area_reports import (
    available_periods,
    due_months,
    national_outcomes,
    record_export,
    released,
    report,
)
from mle.reporting.exports import csv_text, xlsx_bytes
from mle.reporting.period_names import month_name, period_name
from mle.reporting.periods import PeriodError, parse_period
from mle.reporting.releases import release_date
from mle.security.roles import requires_role
from mle.site import site
from mle.web.reports import reports

VIEWS = ("dashboard", "locality", "national")


class FilterError(ValueError):
    """A request the reports cannot answer: the field to correct, a message, and a status
    (400 for a malformed request, 404 for a period that is not released)."""

    def __init__(self, field: str, message: str, status: int = 400, due: bool = False):
        super().__init__(message)
        self.field = field
        self.status = status
        self.due = due  # released by the next nightly release, not yet


def _release_day(month: str) -> str:
    return format_date(release_date(month, current_app.config["MLE_REPORT_RELEASE_DAY"]),
                       "d MMMM yyyy")


def _due_message(label: str, month: str) -> str:
    return _("The figures for %(period)s are due for release on %(date)s and will appear once "
             "the nightly release has run.", period=label, date=_release_day(month))


def _due_notice(due: list[str]) -> str | None:
    """What every report page says while months are due but not released yet."""
    if not due:
        return None
    if len(due) == 1:
        return _due_message(month_name(due[0]), due[0])
    return _("The figures for %(first)s to %(last)s are due for release (the last of them on "
             "%(date)s) and will appear once the nightly release has run.",
             first=month_name(due[0]), last=month_name(due[-1]), date=_release_day(due[-1]))


def _period_message() -> str:
    return _("Enter a period like 2026-11 (a month), 2026-Q3 (a quarter) or FY2026 (a "
             "financial year, April to March)")


def _available() -> list[dict]:
    periods = []
    for code, released_at in available_periods():
        period = parse_period(code)
        periods.append({"code": code, "label": period_name(code), "released_at": released_at,
                        "breakdowns": len(period.months) > 1})
    return periods


def _filters(view: str, available: list[dict], due: list[str]):
    """The released period and the locality asked for, or FilterError."""
    breakdowns_only = view != "dashboard"
    choices = [p for p in available if p["breakdowns"] or not breakdowns_only]
    code = request.args.get("period") or (choices[0]["code"] if choices else "")
    if not code:
        return None, None  # nothing released yet: the page says when the first will be
    if len(code) > 20:
        raise FilterError("period", _period_message())
    try:
        period = parse_period(code)
    except PeriodError as error:
        raise FilterError("period", _period_message()) from error
    if breakdowns_only and len(period.months) == 1:
        raise FilterError("period", _("Breakdowns are released for quarters and financial "
                                      "years only: choose a quarter or a year"))
    pub = released(period)
    if pub is None and period.months[-1] in due:
        raise FilterError("period", _due_message(period_name(period.code), period.months[-1]),
                          404, due=True)
    if pub is None:
        raise FilterError("period", _("%(period)s has not been released: choose a released "
                                      "period from the list", period=period_name(period.code)),
                          404)
    locality = None
    if view == "locality":
        locality = request.args.get("locality") or ""
        if locality not in site().area.localities:
            raise FilterError("locality", _("Select a locality from the list"))
    return pub, locality


def _page(view: str):
    template = f"reports/{view}.html"
    localities = site().area.localities
    available, due = _available(), due_months()
    notice = _due_notice(due)
    try:
        pub, locality = _filters(view, available, due)
    except FilterError as error:
        return render_template(template, error=error, pub=None, period=None, tables=[],
                               code=request.args.get("period", ""),
                               locality=request.args.get("locality", ""),
                               localities=localities, available=available,
                               due_notice=None if error.due else notice), error.status
    tables = report(view, pub, locality) if pub else []
    return render_template(template, error=None, pub=pub, period=pub.period if pub else None,
                           code=pub.code if pub else "", tables=tables, locality=locality,
                           localities=localities, available=available, due_notice=notice,
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
    available = _available()
    try:
        pub, locality = _filters(view, available, due_months())
    except FilterError as error:
        listed = ", ".join(p["code"] for p in available) or _("none yet")
        return Response(f"{error}\n" + _("Released periods: %(periods)s", periods=listed),
                        status=error.status, mimetype="text/plain")
    if pub is None:  # nothing released yet: a file with no figures, saying so
        tables, name, released_on, label = [], f"outcomes-{view}", "", _("Nothing released")
    else:
        tables = report(view, pub, locality)
        name = f"outcomes-{view}-{pub.code}" + (f"-{locality}" if locality else "")
        record_export(view, pub.period, kind, locality)
        released_on = format_date(pub.released_at, "d MMMM yyyy")
        label = period_name(pub.period.code)
    # A report file stays out of every cache: browsers and proxies keep no copy.
    headers = {"Content-Disposition": f'attachment; filename="{name}.{kind}"',
               "Cache-Control": "no-store"}
    if kind == "csv":
        return Response(csv_text(tables, pub.code if pub else "", locality, released_on),
                        mimetype="text/csv", headers=headers)
    return Response(xlsx_bytes(tables, label, released_on), headers=headers,
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
    """Bars for the first column of a table, scaled to the largest figure shown; a suppressed
    figure ("c") gets no bar, and the chart's description says so."""
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
    suppressed = sum(1 for _, v in table.rows if not isinstance(v[0], int))
    return {"bars": bars, "width": width, "height": len(bars) * row_height + 4,
            "suppressed": suppressed}


@reports.app_template_filter("month_label")
def month_label_filter(month: str) -> str:
    return month_name(month)


@reports.app_template_filter("period_name")
def period_name_filter(code: str) -> str:
    return period_name(code)
