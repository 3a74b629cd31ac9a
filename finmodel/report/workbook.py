"""The board pack workbook (xlsxwriter): lays the tables out; decides no figure.

Safety and reproducibility are set here once: no string is ever turned into a formula, a
URL or a number (input text beginning with =, +, - or @ stays text), and the workbook's
properties carry the close's time, so the same close always gives the same bytes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from finmodel.report import charts, sizes
from finmodel.report.formats import number_format, sheet_value
from finmodel.report.layout import HEADING_ROW, Block, Pages, Placed, blocks, bottom, paginate, place
from finmodel.report.pack import PackInputs
from finmodel.report.table import Column, Row, Sheet, Table

OPTIONS = {
    "in_memory": True,  # zip entries get xlsxwriter's fixed 1980 timestamp, never the file system's
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}
ADVERSE_RED = "#C00000"
CHART_DATA = "Chart data"  # the hidden sheet the charts draw from: never printed
# The tables whose figures are a chart's data, not something to read: they go to the
# Chart data sheet (their CSV stays with their own sheet). The scenario range is drawn in
# order of outcome, worst first.
CHART_DATA_TABLES = ("ics_monthly", "drivers_waterfall", "agency_monthly", "scenario_range", "underlying_bridge")
# A4 landscape less the margins, in pixels (96 a inch) and points.
PAGE_WIDTH_PX = (11.69 - 0.4 - 0.4) * 96
PAGE_HEIGHT_PT = (8.27 - 0.5 - 0.6) * 72 * 0.9  # the footer's line kept clear, and a tenth spare for rows a renderer grows


class Styles:
    """xlsxwriter formats, made once per combination of properties."""

    def __init__(self, workbook: Workbook) -> None:
        self._workbook = workbook
        self._made: dict[tuple, Format] = {}

    def __call__(self, **props: object) -> Format:
        key = tuple(sorted(props.items()))
        if key not in self._made:
            self._made[key] = self._workbook.add_format({"font_name": "Arial", "font_size": sizes.FONT_SIZE, "valign": "top", **props})
        return self._made[key]


def made_at_datetime(made_at: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(made_at.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(dt.timezone.utc)


def _is_symbol_column(table: Table, column: Column) -> bool:
    """A text column of single characters (movement symbols) is centred under its header."""
    return column.code in table.symbol_columns


def _cell_style(styles: Styles, table: Table, row: Row, column: Column) -> Format:
    unit = table.unit_of(row, column)
    props: dict[str, object] = {}
    fmt = number_format(unit, table.scale)
    if fmt:
        props["num_format"] = fmt
    if unit == "text":
        props["text_wrap"] = True
        if _is_symbol_column(table, column):
            props["align"] = "center"
    if row.total:
        props.update(bold=True, top=1)
    if column.code in row.adverse:
        props["font_color"] = ADVERSE_RED
    return styles(**props)


def _write_cell(ws: Worksheet, r: int, c: int, table: Table, row: Row, column: Column, value: object, styles: Styles) -> None:
    shown = sheet_value(value, table.unit_of(row, column), table.scale)
    if value is None:  # not applicable: a dash, right-aligned like the numbers beside it
        ws.write_string(r, c, str(shown), styles(align="right", **({"bold": True, "top": 1} if row.total else {})))
        return
    style = _cell_style(styles, table, row, column)
    if shown is None:
        ws.write_blank(r, c, None, style)
    elif isinstance(shown, str):
        ws.write_string(r, c, shown, style)  # never ws.write(): text must stay text
    else:
        ws.write_number(r, c, shown, style)


def _indent(row: Row) -> dict[str, int]:
    return {"indent": row.indent} if row.indent else {}


def _write_head(ws: Worksheet, p: Placed, top: int, title: str, styles: Styles) -> None:
    """A table's title, header band and column headers from row ``top``: where the table
    starts, and again above its rows on each later page it runs on to."""
    table = p.table
    # The title wraps within its table's width: overflowing, a title beside another table
    # would widen the print range past the page.
    _write_across(ws, p, top, title, styles(bold=True, font_size=11, valign="bottom", text_wrap=True))
    if p.band_row is not None:
        # Wrapped, and sized by sizes.heights: a band wider than its columns is cut at the merge.
        band_style = styles(bold=True, align="center", valign="bottom", text_wrap=True, bottom=1)
        for band, c0, c1 in p.bands:
            if c1 > c0:
                ws.merge_range(top + 1, c0, top + 1, c1, "", band_style)
            ws.write_string(top + 1, c0, band, band_style)
    header_row = top + p.head_rows - 1
    ws.write_string(header_row, p.first_col, table.scale, styles(bold=True, valign="bottom", bottom=1))
    for label, c0, c1 in sizes.headers(p):
        # Headers sit over their figures: numbers are right-aligned, text left, symbols centred.
        column = p.shown[c0 - p.first_col - 1]
        align = "left" if column.unit == "text" else "right"
        if column.unit == "text" and _is_symbol_column(table, column):
            align = "center"
        header = styles(bold=True, text_wrap=True, align=align, valign="bottom", bottom=1)
        if c1 > c0:
            ws.merge_range(header_row, c0, header_row, c1, "", header)
        ws.write_string(header_row, c0, label, header)


def _write_across(ws: Worksheet, p: Placed, r: int, text: str, style: Format) -> None:
    """A line under a table, merged across its width and wrapped, so it never widens the page."""
    if p.last_col > p.first_col:
        ws.merge_range(r, p.first_col, r, p.last_col, "", style)
    ws.write_string(r, p.first_col, text, style)


def _write_table(ws: Worksheet, p: Placed, styles: Styles) -> None:
    _write_head(ws, p, p.title_row, p.table.title, styles)
    for top in p.continuation_title_rows:
        _write_head(ws, p, top, p.continued_title, styles)
    table = p.table
    # Where each shown column's value is in a row: found once, not per cell (a Column
    # compares field by field, ~7 µs a cell over a pack's 20,000 cells).
    at = [table.columns.index(column) for column in p.shown]
    for offset, row in enumerate(table.rows):
        r = p.data_row(offset)
        label_style = styles(bold=True, top=1, text_wrap=True) if row.total else styles(text_wrap=True, **_indent(row))
        if table.link_labels:
            target = row.label.replace("'", "''")  # a quote inside a quoted sheet name is doubled
            ws.write_url(r, p.first_col, f"internal:'{target}'!A1", styles(font_color="blue", underline=1), string=row.label)
        else:
            ws.write_string(r, p.first_col, row.label, label_style)
        for i, column in enumerate(p.shown):
            _write_cell(ws, r, p.first_col + 1 + i, table, row, column, row.values[at[i]], styles)
    wrapped = styles(text_wrap=True)
    for offset, (row, text) in enumerate(p.below_lines):
        _write_across(ws, p, p.first_below_row + offset, f"{row.label}: {text}", wrapped)
    note_style = styles(italic=True, text_wrap=True)
    for offset, note in enumerate(table.notes):
        _write_across(ws, p, p.first_note_row + offset, note, note_style)


def _column_px(width: float) -> float:
    """Pixels a column of this width (characters of the default 11-point font) takes at the
    widest of the renderers: LibreOffice gives each character 7.43 pixels (Carlito's digit)
    where Excel gives 7, plus the 0.71 of padding xlsxwriter adds to every width."""
    return (width + 0.71) * 7.5


def print_scale(widths: dict[int, float], charts_px: int) -> int:
    """The largest whole-percent scale at which the sheet prints one page wide (at most 100).

    A fixed scale rather than Excel's fit-to-width, because fit-to-width ignores the page
    breaks that keep a block on one page; 3 % is kept spare for renderers' rounding. The
    print range runs to the end of the column a chart ends in, so that column counts whole."""
    content, col = 0.0, 0
    while col <= max(widths, default=0) or content < charts_px * 1.08:  # columns may render narrower
        content += _column_px(widths.get(col, 8.43))
        col += 1
    return min(100, int(PAGE_WIDTH_PX * 0.97 * 100 / content))


def _print_setup(ws: Worksheet, placed: tuple[Placed, ...], close_label: str, scale: int, drawn: int) -> None:
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.set_print_scale(scale)
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    ws.hide_gridlines(2)
    ws.set_footer(f"&L&9Board pack {close_label.replace('&', '&&')}&R&9Page &P of &N")
    if placed:
        first = placed[0]
        ws.freeze_panes(first.first_row, first.first_col + 1)
        ws.repeat_rows(HEADING_ROW, _repeated(placed, drawn))


def _repeated(placed: tuple[Placed, ...], drawn: int) -> int:
    """One table and no chart: its headers print on every page (Excel's print titles, one
    range a sheet). Otherwise only the sheet's heading does, since the first table's headers
    would sit over what follows; a long table then repeats its head in the sheet (layout.py)."""
    return placed[0].header_row if len(placed) == 1 and not drawn else HEADING_ROW


def _row_heights(placed: tuple[Placed, ...], widths: dict[int, float]) -> dict[int, float]:
    """The rows given a height: every other row keeps the default (sizes.ROW_HEIGHT)."""
    return {**sizes.heights(placed, widths), HEADING_ROW: 20}


def _pages(
    placed: tuple[Placed, ...], widths: dict[int, float], scale: int, charted: int, printed: bool, drawn_here: set[str],
) -> Pages:
    """Where the sheet's pages break, and which tables run on over pages below their repeated
    head: only on a printed sheet whose print titles are just its heading, and never a table
    a chart on this sheet draws from (its ranges would take in the repeated head)."""
    heights = _row_heights(placed, widths)

    def height(r: int) -> float:
        return heights.get(r, sizes.ROW_HEIGHT)

    repeat_to = _repeated(placed, charted) if placed else HEADING_ROW
    page = PAGE_HEIGHT_PT * 100 / scale - (sum(height(r) for r in range(HEADING_ROW, repeat_to + 1)) if placed else 0)

    def runs_on(i: int) -> bool:
        return printed and repeat_to == HEADING_ROW and placed[i].table.key not in drawn_here

    at = bottom(placed) + 2
    found = blocks(placed, runs_on) + [Block(at + i * charts.ROWS, at + (i + 1) * charts.ROWS - 1) for i in range(charted)]
    return paginate(found, placed, height, page, lambda p: sizes.continued_head(p, widths))


def write_sheet(
    wb: Workbook, sheet: Sheet, styles: Styles, close_label: str,
    chart_data: dict[str, tuple[str, Placed]] | None = None, draw: bool = True,
) -> Worksheet:
    """Writes a sheet; a table whose key is in ``chart_data`` is not laid out here, and its
    chart draws from where it was put instead (the Chart data sheet). ``draw=False``: no
    charts, and a sheet never printed (the Chart data sheet, whose charts drew from
    ``place`` of it), so no table runs on below a repeated head."""
    moved = chart_data or {}
    ws = wb.add_worksheet(sheet.name)
    laid = Sheet(sheet.name, sheet.heading, tuple(t for t in sheet.tables if t.key not in moved))
    placed = place(laid)
    widths = sizes.widths(placed)  # columns do not move when a head is repeated: measured once
    for col, width in sorted(widths.items()):
        ws.set_column(col, col, width)
    charted = [t for t in sheet.tables if draw and t.key in charts.CHARTS and t.rows]
    scale = print_scale(widths, charts.WIDTH_PX if charted else 0)
    pages = _pages(placed, widths, scale, len(charted), draw, {t.key for t in charted if t.key not in moved})
    placed = place(laid, pages.continued)
    ws.write_string(HEADING_ROW, 0, sheet.heading, styles(bold=True, font_size=12))
    for p in placed:
        _write_table(ws, p, styles)
    for row, height in sorted(_row_heights(placed, widths).items()):
        ws.set_row(row, height)
    here = {p.table.key: (sheet.name, p) for p in placed}
    drawn = [moved.get(t.key) or here[t.key] for t in charted]
    _print_setup(ws, placed, close_label, scale, len(drawn))
    charts.add_charts(wb, ws, drawn, bottom(placed) + 2)
    if pages.breaks:
        ws.set_h_pagebreaks(list(pages.breaks))
    return ws


def chart_data_sheet(sheets: tuple[Sheet, ...], heading: str) -> Sheet:
    """Every chart's data table, in the order of the sheets, on one sheet of its own."""
    found = [t for s in sheets for t in s.tables if t.key in CHART_DATA_TABLES and t.rows]
    return Sheet(CHART_DATA, heading, tuple(_in_outcome_order(t) for t in found))


def _in_outcome_order(table: Table) -> Table:
    """The scenario range's bars worst to best, whatever order its table lists the cases in."""
    if table.key != "scenario_range":
        return table
    outturn = [c.code for c in table.columns].index("outturn")
    return dataclasses.replace(table, rows=tuple(sorted(table.rows, key=lambda r: r.values[outturn])))


def write_sheets(wb: Workbook, sheets: tuple[Sheet, ...], styles: Styles, close_label: str, heading: str) -> None:
    """The board pack's sheets, then the hidden Chart data sheet their charts draw from."""
    data = chart_data_sheet(sheets, heading)
    chart_data = {p.table.key: (CHART_DATA, p) for p in place(data)}
    for sheet in sheets:
        write_sheet(wb, sheet, styles, close_label, chart_data)
    if data.tables:
        ws = write_sheet(wb, data, styles, close_label, draw=False)
        ws.hide()  # not printed: a board member reads the charts; the figures are in the CSV too

def workbook_bytes(pack: PackInputs, sheets: tuple[Sheet, ...]) -> bytes:
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, OPTIONS)
    r = pack.results
    wb.set_properties(
        {
            "title": f"{r.system_name} board pack {pack.close_label}",
            "subject": "Financial position and forecast",
            "author": "finmodel",
            "comments": f"finmodel {pack.model_version}; close made at {pack.made_at}",
            "created": made_at_datetime(pack.made_at),
        }
    )
    styles = Styles(wb)
    write_sheets(wb, sheets, styles, pack.close_label, f"{r.system_name}: chart data, {pack.close_label}")
    wb.close()
    return buffer.getvalue()
