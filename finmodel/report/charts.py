"""Native Excel charts, drawn from the cells of the tables they illustrate.

Each chart reads a table build_tables made for it (its key below), so a chart always shows
exactly what the sheet and the CSV hold:

- Agency: the monthly run rate by provider (stacked) against the cap (line);
- Drivers: the ICS variance as a waterfall, drawn with stacked columns on an invisible base;
- System I&E: the ICS surplus by month, actual and forecast against plan;
- Scenarios (when run): the range of the ICS outturn against the agreed target.
"""

from __future__ import annotations

from collections.abc import Callable

from xlsxwriter.chart import Chart
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from finmodel.report.layout import Placed
from finmodel.report.sheets.agency import CAP_ROW
from finmodel.report.table import PROVIDERS

FAVOURABLE, ADVERSE, TOTAL_COLOUR, PLAN_COLOUR = "#2E7D32", "#C00000", "#1F4E79", "#7F7F7F"
SIZE = {"x_scale": 1.6, "y_scale": 1.3, "y_offset": 6}
_FONT = {"name": "Arial", "size": 9}


def _row_range(sheet: str, p: Placed, row: str) -> list:
    r = p.row(row)
    return [sheet, r, p.first_col + 1, r, p.last_col]


def _header_range(sheet: str, p: Placed) -> list:
    return [sheet, p.header_row, p.first_col + 1, p.header_row, p.last_col]


def _label(sheet: str, p: Placed, row: str) -> list:
    return [sheet, p.row(row), p.first_col]


def _column_range(sheet: str, p: Placed, column: str) -> list:
    c = p.col(column)
    return [sheet, p.first_row, c, p.first_row + len(p.table.rows) - 1, c]


def _labels_range(sheet: str, p: Placed) -> list:
    return [sheet, p.first_row, p.first_col, p.first_row + len(p.table.rows) - 1, p.first_col]


def _finish(chart: Chart, title: str, num_format: str) -> Chart:
    chart.set_title({"name": title, "name_font": {**_FONT, "size": 11, "bold": True}})
    chart.set_y_axis({"num_format": num_format, "num_font": _FONT, "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}})
    chart.set_x_axis({"num_font": _FONT, "label_position": "low"})
    chart.set_legend({"position": "bottom", "font": _FONT})
    return chart


def agency_chart(wb: Workbook, sheet: str, p: Placed) -> Chart:
    chart = wb.add_chart({"type": "column", "subtype": "stacked"})
    for row in p.table.rows:
        if row.code in (PROVIDERS, CAP_ROW):
            continue
        chart.add_series({"name": _label(sheet, p, row.code), "categories": _header_range(sheet, p), "values": _row_range(sheet, p, row.code)})
    if any(r.code == CAP_ROW for r in p.table.rows):
        cap = wb.add_chart({"type": "line"})
        cap.add_series({
            "name": _label(sheet, p, CAP_ROW), "categories": _header_range(sheet, p), "values": _row_range(sheet, p, CAP_ROW),
            "line": {"color": ADVERSE, "width": 2, "dash_type": "dash"}, "marker": {"type": "none"},
        })
        chart.combine(cap)
    return _finish(chart, "Agency spend by provider against the NHSE cap (£000)", "#,##0")


def waterfall_chart(wb: Workbook, sheet: str, p: Placed) -> Chart:
    chart = wb.add_chart({"type": "column", "subtype": "stacked"})
    fills = {
        "base": None, "favourable_above_zero": FAVOURABLE, "favourable_below_zero": FAVOURABLE,
        "adverse_above_zero": ADVERSE, "adverse_below_zero": ADVERSE, "total": TOTAL_COLOUR,
    }
    for code, colour in fills.items():
        look = {"fill": {"none": True}, "border": {"none": True}} if colour is None else {"fill": {"color": colour}, "border": {"none": True}}
        chart.add_series({
            "name": [sheet, p.header_row, p.col(code)], "categories": _labels_range(sheet, p),
            "values": _column_range(sheet, p, code), "gap": 40, **look,
        })
    chart = _finish(chart, "Drivers of the ICS YTD variance (£m)", "#,##0.0;(#,##0.0)")
    chart.set_legend({"position": "bottom", "font": _FONT, "delete_series": [0, 2, 4]})
    return chart


def monthly_surplus_chart(wb: Workbook, sheet: str, p: Placed) -> Chart:
    chart = wb.add_chart({"type": "line"})
    looks = {
        "plan": {"line": {"color": PLAN_COLOUR, "width": 1.5, "dash_type": "dash"}},
        "actual": {"line": {"color": TOTAL_COLOUR, "width": 2.25}, "marker": {"type": "circle", "size": 4}},
        "forecast": {"line": {"color": TOTAL_COLOUR, "width": 1.5, "dash_type": "round_dot"}},
    }
    for code, look in looks.items():
        chart.add_series({"name": _label(sheet, p, code), "categories": _header_range(sheet, p), "values": _row_range(sheet, p, code), **look})
    chart.show_blanks_as("gap")
    return _finish(chart, "ICS surplus/(deficit) by month: actual and forecast against plan (£m)", "#,##0.0;(#,##0.0)")


def scenario_chart(wb: Workbook, sheet: str, p: Placed) -> Chart:
    chart = wb.add_chart({"type": "column"})
    chart.add_series({
        "name": [sheet, p.header_row, p.col("outturn")], "categories": _labels_range(sheet, p),
        "values": _column_range(sheet, p, "outturn"), "fill": {"color": TOTAL_COLOUR}, "gap": 60,
    })
    target = wb.add_chart({"type": "line"})
    target.add_series({
        "name": [sheet, p.header_row, p.col("target")], "categories": _labels_range(sheet, p),
        "values": _column_range(sheet, p, "target"), "line": {"color": ADVERSE, "width": 2, "dash_type": "dash"},
        "marker": {"type": "none"},
    })
    chart.combine(target)
    return _finish(chart, "Range of the ICS outturn against the agreed target (£m)", "#,##0.0;(#,##0.0)")


CHARTS: dict[str, Callable[[Workbook, str, Placed], Chart]] = {
    "agency_monthly": agency_chart,
    "drivers_waterfall": waterfall_chart,
    "ics_monthly": monthly_surplus_chart,
    "scenario_range": scenario_chart,
}


def add_charts(wb: Workbook, ws: Worksheet, sheet: str, placed: tuple[Placed, ...], row: int) -> int:
    """Inserts the sheet's charts one under another from ``row``; returns how many."""
    count = 0
    for p in placed:
        make = CHARTS.get(p.table.key)
        if make is None or not p.table.rows:
            continue
        ws.insert_chart(row, 0, make(wb, sheet, p), SIZE)
        row += 22
        count += 1
    return count
