"""The report tables as files: CSV, one figure a line, and XLSX, one sheet per table, with the
suppressed figures exactly as the screen shows them (hidden counts as the text "<5"). See
docs/decisions/0009."""

from __future__ import annotations

import csv
import io
import re

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from mle.reporting.tables import Table

_SHEET_UNSAFE = re.compile(r"[\[\]:*?/\\]")


def csv_text(tables: list[Table], period_code: str, locality: str | None) -> str:
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


def xlsx_bytes(tables: list[Table], period_label: str) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    for table in tables:
        name = _SHEET_UNSAFE.sub(" ", table.id)[:31]
        while name in used:
            name = name[:28] + f"_{len(used)}"
        used.add(name)
        sheet = workbook.create_sheet(name)
        sheet.append([table.title])
        sheet["A1"].font = Font(bold=True)
        sheet.append([period_label])
        sheet.append([])
        sheet.append([table.row_header, *table.columns])
        for cell in sheet[4]:
            cell.font = Font(bold=True)
        for label, values in table.rows:
            sheet.append([label, *values])
        if table.total is not None:
            sheet.append([_("Total"), *table.total])
        if table.note:
            sheet.append([])
            sheet.append([table.note])
        sheet.append([_("Counts from 1 to 4 are shown as %(hidden)s, and some other counts are "
                        "hidden so that they cannot be worked out from the totals or from other "
                        "tables.", hidden="<5")])
        sheet.column_dimensions["A"].width = 48
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
