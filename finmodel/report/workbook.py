"""The board pack workbook (xlsxwriter): lays the tables out; decides no figure.

Safety and reproducibility are set here once: no string is ever turned into a formula, a
URL or a number (input text beginning with =, +, - or @ stays text), and the workbook's
properties carry the close's time, so the same close always gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import textwrap

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from finmodel.report import charts
from finmodel.report.formats import number_format, sheet_value
from finmodel.report.layout import HEADING_ROW, Placed, bottom, place
from finmodel.report.pack import PackInputs
from finmodel.report.table import Column, Row, Sheet, Table

OPTIONS = {
    "in_memory": True,  # zip entries get xlsxwriter's fixed 1980 timestamp, never the file system's
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}
ADVERSE_RED = "#C00000"
_WIDTH = {"gbp": 11, "pct": 9, "count": 9}
_LABEL_WIDTH = (14, 46)
_TEXT_WIDTH = (3, 60)
_LINE_HEIGHT = 12  # points a line of 9-point text needs
_CHARS_PER_WIDTH = 1.25  # 9-point Arial characters per unit of Excel column width (default font 11 point)


class Styles:
    """xlsxwriter formats, made once per combination of properties."""

    def __init__(self, workbook: Workbook) -> None:
        self._workbook = workbook
        self._made: dict[tuple, Format] = {}

    def __call__(self, **props: object) -> Format:
        key = tuple(sorted(props.items()))
        if key not in self._made:
            self._made[key] = self._workbook.add_format({"font_name": "Arial", "font_size": 9, "valign": "top", **props})
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


def _write_cell(ws: Worksheet, r: int, c: int, table: Table, row: Row, index: int, styles: Styles) -> None:
    column, value = table.columns[index], row.values[index]
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


def _write_headers(ws: Worksheet, p: Placed, styles: Styles) -> None:
    table = p.table
    ws.write_string(p.title_row, p.first_col, table.title, styles(bold=True, font_size=10))
    if p.band_row is not None:
        band_style = styles(bold=True, align="center", bottom=1)
        spans: list[tuple[str, int, int]] = []
        for i, column in enumerate(table.columns):
            if spans and spans[-1][0] == column.band:
                spans[-1] = (column.band, spans[-1][1], i)
            else:
                spans.append((column.band, i, i))
        for band, first, last in spans:
            c0, c1 = p.first_col + 1 + first, p.first_col + 1 + last
            if not band:
                continue
            if c1 > c0:
                ws.merge_range(p.band_row, c0, p.band_row, c1, "", band_style)
            ws.write_string(p.band_row, c0, band, band_style)
    ws.write_string(p.header_row, p.first_col, table.scale, styles(bold=True, valign="bottom", bottom=1))
    for i, column in enumerate(table.columns):
        # Headers sit over their figures: numbers are right-aligned, text left, symbols centred.
        align = "left" if column.unit == "text" else "right"
        if column.unit == "text" and _is_symbol_column(table, column):
            align = "center"
        header = styles(bold=True, text_wrap=True, align=align, valign="bottom", bottom=1)
        ws.write_string(p.header_row, p.first_col + 1 + i, column.label, header)


def _write_table(ws: Worksheet, p: Placed, styles: Styles) -> None:
    _write_headers(ws, p, styles)
    table = p.table
    for offset, row in enumerate(table.rows):
        r = p.first_row + offset
        label_style = styles(bold=True, top=1) if row.total else styles()
        if table.link_labels:
            target = row.label.replace("'", "''")  # a quote inside a quoted sheet name is doubled
            ws.write_url(r, p.first_col, f"internal:'{target}'!A1", styles(font_color="blue", underline=1), string=row.label)
        else:
            ws.write_string(r, p.first_col, row.label, label_style)
        for i in range(len(table.columns)):
            _write_cell(ws, r, p.first_col + 1 + i, table, row, i, styles)
    note_style = styles(italic=True, font_size=8)
    for offset, note in enumerate(table.notes):
        ws.write_string(p.first_row + len(table.rows) + offset, p.first_col, note, note_style)


def _widths(placed: tuple[Placed, ...]) -> dict[int, float]:
    widths: dict[int, float] = {}

    def need(col: int, width: float) -> None:
        widths[col] = max(widths.get(col, 0), width)

    for p in placed:
        labels = [len(r.label) for r in p.table.rows] or [0]
        need(p.first_col, min(max(max(labels) + 2, _LABEL_WIDTH[0]), _LABEL_WIDTH[1]))
        for i, column in enumerate(p.table.columns):
            if column.unit == "text":
                longest = max([len(str(r.values[i] or "")) for r in p.table.rows] + [len(column.label)])
                need(p.first_col + 1 + i, min(max(longest + 2, _TEXT_WIDTH[0]), _TEXT_WIDTH[1]))
            else:
                need(p.first_col + 1 + i, _WIDTH[column.unit])
    return widths


def _lines(text: str, width: float, bold: bool = False) -> int:
    """Lines a text wraps to at word boundaries in a column of this width (bold is wider)."""
    capacity = max(int(width * (_CHARS_PER_WIDTH - (0.2 if bold else 0))) - 1, 1)
    return max(len(textwrap.wrap(text, capacity)), 1)


def _heights(placed: tuple[Placed, ...], widths: dict[int, float]) -> dict[int, float]:
    """Row heights that fit wrapped text: headers (at least two lines) and rows with long
    text (neither Excel nor LibreOffice grows a row for wrapped text a program wrote)."""
    heights: dict[int, float] = {}

    def need(row: int, lines: int) -> None:
        heights[row] = max(heights.get(row, 0), lines * _LINE_HEIGHT)

    for p in placed:
        columns = [(p.first_col + 1 + i, c) for i, c in enumerate(p.table.columns)]
        need(p.header_row, max([2] + [_lines(c.label, widths[col], bold=True) for col, c in columns]))
        for offset, row in enumerate(p.table.rows):
            texts = [_lines(v, widths[col]) for (col, c), v in zip(columns, row.values) if c.unit == "text" and isinstance(v, str) and v]
            if max(texts, default=1) > 1:
                need(p.first_row + offset, max(texts))
    return heights


def _print_setup(ws: Worksheet, placed: tuple[Placed, ...], close_label: str) -> None:
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)  # one page wide, as many pages tall as it takes
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
    ws.hide_gridlines(2)
    ws.set_footer(f"&L&8Board pack {close_label.replace('&', '&&')}&R&8Page &P of &N")
    if placed:
        first = placed[0]
        ws.freeze_panes(first.first_row, first.first_col + 1)
        # One table: its headers print on every page. Several: only the sheet's heading does,
        # since the first table's headers would sit over the tables and charts that follow.
        ws.repeat_rows(HEADING_ROW, first.header_row if len(placed) == 1 else HEADING_ROW)


def write_sheet(wb: Workbook, sheet: Sheet, styles: Styles, close_label: str) -> None:
    ws = wb.add_worksheet(sheet.name)
    placed = place(sheet)
    ws.write_string(HEADING_ROW, 0, sheet.heading, styles(bold=True, font_size=12))
    for p in placed:
        _write_table(ws, p, styles)
    widths = _widths(placed)
    for col, width in sorted(widths.items()):
        ws.set_column(col, col, width)
    for row, height in sorted(_heights(placed, widths).items()):
        ws.set_row(row, height)
    _print_setup(ws, placed, close_label)
    at = bottom(placed) + 2
    if charts.add_charts(wb, ws, sheet.name, placed, at):
        ws.set_h_pagebreaks([at])  # a chart starts a page rather than straddling two


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
    for sheet in sheets:
        write_sheet(wb, sheet, styles, pack.close_label)
    wb.close()
    return buffer.getvalue()
