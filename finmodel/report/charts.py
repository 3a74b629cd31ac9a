"""Native Excel charts, drawn from the cells of the tables they illustrate.

Each chart reads a table build_tables made for it (its key below), so a chart always shows
exactly what the sheet and the CSV hold:

- Agency: the monthly run rate by provider (stacked) against the cap (line);
- Drivers: the ICS variance as a waterfall, drawn with stacked columns on an invisible base;
- Underlying position: the ICS bridge FOT -> underlying -> exit run rate, the same waterfall;
- System I&E: the ICS surplus by month, actual and forecast against plan;
- Scenarios (when run): the range of the ICS outturn against the agreed target, worst to best.

Their tables sit on the hidden Chart data sheet (workbook.py), so the board reads the
charts, not their scaffolding. Each chart is about half a printed page, labels the figures
that carry its message, draws forecast months lighter than actuals, and draws targets and
caps in black, a colour no series uses.
"""

from __future__ import annotations

from collections.abc import Callable

from xlsxwriter.chart import Chart
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from finmodel.report.formats import millions_label
from finmodel.report.layout import Placed
from finmodel.report.sheets.agency import CAP_ROW
from finmodel.report.table import PROVIDERS

FAVOURABLE, ADVERSE, TOTAL_COLOUR, PLAN_COLOUR = "#2E7D32", "#C00000", "#1F4E79", "#7F7F7F"
LIMIT_COLOUR = "#000000"  # caps and targets: no series is black
# Providers' series: told apart in colour and in grey print; none is black, grey or red.
PALETTE = ("#1F4E79", "#ED7D31", "#2E9E9E", "#7030A0", "#B8860B", "#5B9BD5", "#70AD47", "#A0522D")
WIDTH_PX, HEIGHT_PX = 960, 432  # at 90 % scale or more, over half an A4 landscape page
SIZE = {"x_scale": WIDTH_PX / 480, "y_scale": HEIGHT_PX / 288, "y_offset": 6}
ROWS = 23  # sheet rows (of 20 pixels) a chart and the gap after it take
_FONT = {"name": "Arial", "size": 10}
_LABEL_FONT = {"name": "Arial", "size": 9}
MILLIONS = "#,##0.0;(#,##0.0);0.0"


def lighter(colour: str, share: float = 0.55) -> str:
    """The colour mixed with white: how a forecast month is drawn beside its actuals."""
    rgb = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(c + (255 - c) * share):02X}" for c in rgb)


def _row_range(sheet: str, p: Placed, row: str) -> list:
    r = p.row(row)
    return [sheet, r, p.first_col + 1, r, p.last_col]


def _header_range(sheet: str, p: Placed) -> list:
    return [sheet, p.header_row, p.first_col + 1, p.header_row, p.last_col]


def _label(sheet: str, p: Placed, row: str) -> list:
    return [sheet, p.row(row), p.first_col]


def _column_range(sheet: str, p: Placed, column: str) -> list:
    c = p.col(column)
    return [sheet, p.first_row, c, p.last_data_row, c]


def _labels_range(sheet: str, p: Placed) -> list:
    return [sheet, p.first_row, p.first_col, p.last_data_row, p.first_col]


def _value_labels(num_format: str = MILLIONS, position: str = "above") -> dict:
    return {"value": True, "num_format": num_format, "position": position, "font": _LABEL_FONT}


def _finish(chart: Chart, title: str, num_format: str) -> Chart:
    chart.set_title({"name": title, "name_font": {**_FONT, "size": 12, "bold": True}})
    chart.set_y_axis({"num_format": num_format, "num_font": _FONT, "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}})
    chart.set_x_axis({"num_font": _FONT, "label_position": "low"})
    chart.set_legend({"position": "bottom", "font": _FONT})
    return chart


def _forecast_points(p: Placed, colour: str) -> list:
    """Per month: None for an actual (the series' own look), a lighter fill for a forecast."""
    return [{"fill": {"color": lighter(colour)}, "border": {"color": colour}} if c.forecast else None for c in p.shown]


def agency_chart(wb: Workbook, sheet: str, p: Placed) -> Chart:
    chart = wb.add_chart({"type": "column", "subtype": "stacked"})
    series = [r for r in p.table.rows if r.code not in (PROVIDERS, CAP_ROW)]
    for i, row in enumerate(series):
        colour = PALETTE[i % len(PALETTE)]
        chart.add_series({
            "name": _label(sheet, p, row.code), "categories": _header_range(sheet, p), "values": _row_range(sheet, p, row.code),
            "fill": {"color": colour}, "border": {"color": colour}, "points": _forecast_points(p, colour), "gap": 50,
        })
    lines = wb.add_chart({"type": "line"})
    if any(r.code == PROVIDERS for r in p.table.rows):  # the month's total, written over its stack
        lines.add_series({
            "name": _label(sheet, p, PROVIDERS), "categories": _header_range(sheet, p), "values": _row_range(sheet, p, PROVIDERS),
            "line": {"none": True}, "marker": {"type": "none"}, "data_labels": _value_labels("#,##0"),
        })
    if any(r.code == CAP_ROW for r in p.table.rows):
        lines.add_series({
            "name": _label(sheet, p, CAP_ROW), "categories": _header_range(sheet, p), "values": _row_range(sheet, p, CAP_ROW),
            "line": {"color": LIMIT_COLOUR, "width": 2.25, "dash_type": "dash"}, "marker": {"type": "none"},
        })
    chart.combine(lines)
    chart = _finish(chart, "Agency spend by provider against the NHSE cap (£000); forecast months lighter", "#,##0")
    if any(r.code == PROVIDERS for r in p.table.rows):
        chart.set_legend({"position": "bottom", "font": _FONT, "delete_series": [len(series)]})
    return chart


WATERFALL_PARTS = ("favourable_above_zero", "favourable_below_zero", "adverse_above_zero", "adverse_below_zero", "total")

# A bar under this share of the tallest is too thin to hold its label: its label is dark,
# and spills onto the white of the plot area beside the bar, where it can be read.
SMALL_BAR_SHARE = 0.08
_SMALL_BAR_FONT = {**_LABEL_FONT, "bold": True, "color": "#000000"}


def _waterfall_labels(p: Placed) -> dict[str, list[dict]]:
    """One label a column, on its larger part: the driver's own value in surplus terms, as
    the tables show it (adverse in brackets), whatever the parts it is drawn with."""
    parts = {code: [r.values[[c.code for c in p.table.columns].index(code)] for r in p.table.rows] for code in WATERFALL_PARTS}
    labels: dict[str, list[dict]] = {code: [] for code in WATERFALL_PARTS}
    bars = [sum(abs(parts[code][i]) for code in WATERFALL_PARTS) for i in range(len(p.table.rows))]
    tallest = max(bars, default=0)
    for i in range(len(p.table.rows)):
        sizes = {code: abs(parts[code][i]) for code in WATERFALL_PARTS}
        favourable = parts["favourable_above_zero"][i] - parts["favourable_below_zero"][i]
        adverse = parts["adverse_above_zero"][i] - parts["adverse_below_zero"][i]
        value = parts["total"][i] or favourable - adverse
        largest = max(WATERFALL_PARTS, key=lambda code: sizes[code])
        label: dict = {"value": millions_label(value)}
        if bars[i] < tallest * SMALL_BAR_SHARE:
            label["font"] = _SMALL_BAR_FONT  # white on a sliver of bar reads as nothing
        for code in WATERFALL_PARTS:
            labels[code].append(label if code == largest and sizes[code] else {"delete": True})
    return labels


DRIVERS_TITLE = "Drivers of the ICS YTD variance (£m): favourable green, adverse red in brackets"
BRIDGE_TITLE = "ICS FOT to underlying position to exit run rate (£m): one-off items green up, red down"


def waterfall_chart(wb: Workbook, sheet: str, p: Placed, title: str = DRIVERS_TITLE) -> Chart:
    chart = wb.add_chart({"type": "column", "subtype": "stacked"})
    fills = {
        "base": None, "favourable_above_zero": FAVOURABLE, "favourable_below_zero": FAVOURABLE,
        "adverse_above_zero": ADVERSE, "adverse_below_zero": ADVERSE, "total": TOTAL_COLOUR,
    }
    labels = _waterfall_labels(p)
    for code, colour in fills.items():
        look = {"fill": {"none": True}, "border": {"none": True}} if colour is None else {"fill": {"color": colour}, "border": {"none": True}}
        if code in labels:
            look["data_labels"] = {"value": True, "custom": labels[code], "position": "inside_end", "font": {**_LABEL_FONT, "bold": True, "color": "#FFFFFF"}}
        chart.add_series({
            "name": [sheet, p.header_row, p.col(code)], "categories": _labels_range(sheet, p),
            "values": _column_range(sheet, p, code), "gap": 40, **look,
        })
    chart = _finish(chart, title, "#,##0.0;(#,##0.0)")
    chart.set_legend({"none": True})
    return chart


def monthly_surplus_chart(wb: Workbook, sheet: str, p: Placed) -> Chart:
    chart = wb.add_chart({"type": "line"})
    looks = {
        "plan": {"line": {"color": PLAN_COLOUR, "width": 1.5, "dash_type": "dash"}, "marker": {"type": "none"}},
        "actual": {"line": {"color": TOTAL_COLOUR, "width": 2.5}, "marker": {"type": "circle", "size": 6,
                   "fill": {"color": TOTAL_COLOUR}, "border": {"color": TOTAL_COLOUR}}, "data_labels": _value_labels()},
        "forecast": {"line": {"color": lighter(TOTAL_COLOUR, 0.45), "width": 2, "dash_type": "round_dot"},
                     "marker": {"type": "circle", "size": 6, "fill": {"color": "#FFFFFF"}, "border": {"color": TOTAL_COLOUR}},
                     "data_labels": _value_labels(position="below")},
    }
    for code, look in looks.items():
        chart.add_series({"name": _label(sheet, p, code), "categories": _header_range(sheet, p), "values": _row_range(sheet, p, code), **look})
    chart.show_blanks_as("gap")
    return _finish(chart, "ICS surplus/(deficit) by month (£m): actual, then forecast (dotted, open markers), against plan", "#,##0.0;(#,##0.0)")


def scenario_chart(wb: Workbook, sheet: str, p: Placed) -> Chart:
    chart = wb.add_chart({"type": "column"})
    chart.add_series({
        "name": [sheet, p.header_row, p.col("outturn")], "categories": _labels_range(sheet, p),
        "values": _column_range(sheet, p, "outturn"), "fill": {"color": TOTAL_COLOUR}, "gap": 60,
        "data_labels": _value_labels(position="outside_end"),
    })
    target = wb.add_chart({"type": "line"})
    target.add_series({
        "name": [sheet, p.header_row, p.col("target")], "categories": _labels_range(sheet, p),
        "values": _column_range(sheet, p, "target"), "line": {"color": LIMIT_COLOUR, "width": 2.25, "dash_type": "dash"},
        "marker": {"type": "none"},
    })
    chart.combine(target)
    return _finish(chart, "Range of the ICS outturn against the agreed target (£m), worst to best", "#,##0.0;(#,##0.0)")


CHARTS: dict[str, Callable[[Workbook, str, Placed], Chart]] = {
    "agency_monthly": agency_chart,
    "drivers_waterfall": waterfall_chart,
    "underlying_bridge": lambda wb, sheet, p: waterfall_chart(wb, sheet, p, BRIDGE_TITLE),
    "ics_monthly": monthly_surplus_chart,
    "scenario_range": scenario_chart,
}


def add_charts(wb: Workbook, ws: Worksheet, drawn: list[tuple[str, Placed]], row: int) -> int:
    """Inserts a chart for each (sheet its data is on, placed table), one under another from
    ``row``, each ``ROWS`` rows below the one before; returns how many."""
    for i, (sheet, p) in enumerate(drawn):
        ws.insert_chart(row + i * ROWS, 0, CHARTS[p.table.key](wb, sheet, p), SIZE)
    return len(drawn)
