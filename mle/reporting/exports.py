"""The report tables as files: CSV, one figure a line, and XLSX, one sheet per table, with the
figures exactly as they were released and as the screen shows them (suppressed counts as the
text "c"), with the date they were released. See docs/decisions/0009.

Labels in these files come from editors and imported feeds (service names), so a file must
never carry a formula: opened in a spreadsheet, `=HYPERLINK(...)` or `=cmd|...` would run.
"""

from __future__ import annotations

import csv
import io
import re

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from mle.reporting.tables import Table

_SHEET_UNSAFE = re.compile(r"[\[\]:*?/\\]")

# A spreadsheet reads a cell starting with any of these as a formula (OWASP, CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(value):
    """A text a spreadsheet would take for a formula, with a leading apostrophe so it is read
    as text. Figures are non-negative ints (or "c") and stay as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def suppression_footnote() -> str:
    return _("c: suppressed. A count from 1 to 4, or a count hidden so that such a count "
             "cannot be worked out from totals or other tables. Zero is shown as 0.")


def rounding_footnote() -> str:
    return _("Figures in this table are rounded to the nearest 5 (counts from 1 to 4 are "
             "shown as c), because suppression would have hidden most of it.")


def csv_text(tables: list[Table], period_code: str, locality: str | None,
             released_on: str) -> str:
    """Every table in one file, one figure a line: table, row, column, value, whether it is
    rounded to base 5, and when it was released."""
    out = io.StringIO()
    writer = csv.writer(out)

    def line(*cells) -> None:
        writer.writerow([neutralised(cell) for cell in cells])

    line("period", "locality", "table", "row", "column", "value", "rounded", "released")
    for table in tables:
        rounded = "yes" if table.rounded else "no"
        for label, values in table.rows:
            for column, value in zip(table.columns, values, strict=True):
                line(period_code, locality or "", table.id, label, column, value, rounded,
                     released_on)
        if table.total is not None:
            for column, value in zip(table.columns, table.total, strict=True):
                line(period_code, locality or "", table.id, _("Total"), column, value,
                     rounded, released_on)
    return out.getvalue()


def _append_as_text(sheet, values: list) -> None:
    """Append a row in which every string is a text cell: openpyxl would otherwise store a
    string starting with "=" as a live formula. The quote prefix keeps it text in Excel even
    when someone edits the cell."""
    sheet.append(values)
    row = sheet.max_row
    for column, value in enumerate(values, start=1):
        if isinstance(value, str):
            cell = sheet.cell(row=row, column=column)
            cell.data_type = "s"
            if value.startswith(FORMULA_STARTS):
                cell.quotePrefix = True


def xlsx_bytes(tables: list[Table], period_label: str, released_on: str) -> bytes:
    workbook = Workbook()
    if workbook.active is not None:  # the empty sheet a new workbook starts with
        workbook.remove(workbook.active)
    used: set[str] = set()
    for table in tables:
        name = _SHEET_UNSAFE.sub(" ", table.id)[:31]
        while name in used:
            name = name[:28] + f"_{len(used)}"
        used.add(name)
        sheet = workbook.create_sheet(name)
        _append_as_text(sheet, [table.title])
        sheet["A1"].font = Font(bold=True)
        _append_as_text(sheet, [_("%(period)s, released on %(date)s", period=period_label,
                                  date=released_on)])
        sheet.append([])
        _append_as_text(sheet, [table.row_header, *table.columns])
        for cell in sheet[4]:
            cell.font = Font(bold=True)
        for label, values in table.rows:
            _append_as_text(sheet, [label, *values])
        if table.total is not None:
            _append_as_text(sheet, [_("Total"), *table.total])
        if table.note:
            sheet.append([])
            _append_as_text(sheet, [table.note])
        if table.rounded:
            _append_as_text(sheet, [rounding_footnote()])
        _append_as_text(sheet, [suppression_footnote()])
        sheet.column_dimensions["A"].width = 48
    if not tables:
        sheet = workbook.create_sheet("released")
        _append_as_text(sheet, [_("Nothing has been released yet.")])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
