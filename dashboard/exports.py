"""XLSX export of the dashboard's charts (xlsxwriter): one sheet per chart, counts only, and every count of
1 to 4 (with the rates, averages and amounts that stand on it) written as "<5"."""

from __future__ import annotations

import io
from datetime import datetime

import xlsxwriter
from django.utils import timezone
from django.utils.translation import gettext as _

from dashboard.charts import LABEL, RATE, SUPPRESSED, TEXT, YUAN, Chart, suppressed_rows

SHEET_NAME_MAX = 31


def _sheet_name(chart: Chart, used: set[str]) -> str:
    base = "".join(c for c in str(chart.title) if c not in "[]:*?/\\")[:SHEET_NAME_MAX - 3]
    name, n = base, 2
    while name in used:
        name, n = f"{base}({n})", n + 1
    used.add(name)
    return name


def charts_workbook(charts: list[Chart], *, described: str, data_as_of: datetime | None) -> bytes:
    """The workbook's bytes: per chart a sheet with the title, the filters, the time of the data, the
    suppression note, then the table."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False})
    bold = book.add_format({"bold": True})
    title = book.add_format({"bold": True, "font_size": 14})
    header = book.add_format({"bold": True, "bg_color": "#E8EEF7", "border": 1, "text_wrap": True})
    number = book.add_format({"num_format": "#,##0.##"})
    money = book.add_format({"num_format": "0.00"})
    percent = book.add_format({"num_format": "0.0"})
    right = book.add_format({"align": "right"})
    formats = {YUAN: money, RATE: percent}
    used: set[str] = set()
    exported = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    as_of = timezone.localtime(data_as_of).strftime("%Y-%m-%d %H:%M") if data_as_of else _("never")
    for chart in charts:
        sheet = book.add_worksheet(_sheet_name(chart, used))
        sheet.write(0, 0, str(chart.title), title)
        sheet.write(1, 0, _("Filters"), bold)
        sheet.write(1, 1, described)
        sheet.write(2, 0, _("Data as of"), bold)
        sheet.write(2, 1, as_of)
        sheet.write(3, 0, _("Exported at"), bold)
        sheet.write(3, 1, exported)
        sheet.write(4, 0, _("Counts under 5 (and the figures computed from them) are shown as \"<5\"; no "
                            "personal data."))
        if chart.note:
            sheet.write(5, 0, str(chart.note))
        first = 7
        for index, column in enumerate(chart.columns):
            sheet.write(first, index, str(column.label), header)
            sheet.set_column(index, index, 28 if column.kind in (LABEL, TEXT) else 14)
        for r, row in enumerate(suppressed_rows(chart), start=first + 1):
            for c, value in enumerate(row):
                if value is None:
                    continue
                if value == SUPPRESSED:
                    sheet.write_string(r, c, SUPPRESSED, right)
                elif isinstance(value, str):
                    sheet.write_string(r, c, value)
                else:
                    sheet.write_number(r, c, value, formats.get(chart.columns[c].kind, number))
        sheet.freeze_panes(first + 1, 1)
    book.close()
    return buffer.getvalue()
