"""The board pack's printed pages as a board member reads them, page by page.

- every page on which a table's rows are printed shows that table's column headers (and its
  header band) above them, however many tables or charts its sheet holds: read from the PDF
  LibreOffice prints (``pdftotext -layout``), the tables' row labels from the tidy CSVs;
- every header merged across columns (a band over its columns, a figure's header over its
  movement symbol) wraps within its cells, and its row is tall enough for its lines at the
  widths the workbook gives its columns: text wider than merged cells is cut, not wrapped.

For the example ICS's pack (the demo's M10 close) and a system of six providers with long
names, as tests/test_report_print.py prints them; skipped as it is skipped. And, without
printing, a long table written after a short one: its rows and figures in order, each once,
a copy of its head at every page break within it.
"""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from openpyxl.utils import column_index_from_string

from finmodel.report import Column, Row, Sheet, Table, sizes, write_board_pack
from finmodel.report.table import snake_case
from finmodel.report.workbook import OPTIONS, Styles, write_sheet
from tests import report_fixture
from tests.report_fixture import close_to, find_title, money
from tests.test_report_print import PDFTOTEXT, _to_pdf
from tests.test_report_print import pytestmark as needs_print  # its skip rule: LibreOffice, or CI

DEFAULT_WIDTH, DEFAULT_HEIGHT = 8.43, 15.0  # a column, a row, the workbook leaves as they are
XLSX_PADDING = 5 / 7  # xlsxwriter stores a width with 5 pixels of padding added
TOKEN = re.compile(r"[^\s\-/]+")  # words, split where a renderer may wrap them too (Risk-/adjusted)


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory, example_demo) -> dict[str, tuple[Path, Path, Path]]:
    """{name: (workbook, its tables folder, its PDF)} for the example's pack and a six-provider pack."""
    root = tmp_path_factory.mktemp("pages")
    _, demo = example_demo  # the run's one demo: its M10 pack is only read
    m10 = next(p for p in demo.board_packs if p.parent.name == "M10")
    example = root / "example.xlsx"
    shutil.copy(m10, example)
    write_board_pack(report_fixture.six_provider_pack(), root / "six")
    six = root / "six.xlsx"
    shutil.copy(root / "six" / "board-pack.xlsx", six)
    pdfs = _to_pdf([example, six], root / "pdf")
    return {"example": (example, m10.parent / "tables", pdfs["example"]), "six": (six, root / "six" / "tables", pdfs["six"])}


def _page_lines(pdf: Path) -> list[list[str]]:
    assert PDFTOTEXT is not None
    text = subprocess.run([PDFTOTEXT, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [[line for line in page.splitlines() if line.strip()] for page in text.split("\f")]


def _csv_tables(folder: Path, sheet: str) -> dict[str, list[str]]:
    """{title: its row labels in order} of a sheet's tidy CSV."""
    found: dict[str, dict[str, str]] = {}
    with (folder / f"{snake_case(sheet)}.csv").open(encoding="utf-8", newline="") as f:
        for cell in csv.DictReader(f):
            found.setdefault(cell["table"], {}).setdefault(cell["row"], cell["label"])
    return {title: list(rows.values()) for title, rows in found.items()}


def _head_texts(ws, title: str, labels: list[str]) -> list[str]:
    """The band and column headers of a table on its sheet: every text between its title and
    its first row, but the scale in the label column."""
    r, c = find_title(ws, title)
    first = next(row for row in range(r + 1, ws.max_row + 1) if ws.cell(row, c).value == labels[0])
    return [str(cell.value) for row in ws.iter_rows(min_row=r + 1, max_row=first - 1, min_col=c + 1) for cell in row if cell.value]


def _starts(text: str) -> tuple[str, ...]:
    return tuple(text.split()[:3])


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _first_row_line(lines: list[str], starts: set[tuple[str, ...]]) -> int | None:
    """The index of the first line whose label-column text begins as one of the row labels:
    text from the left edge, as the sheet's heading is (a chart's legend is further in)."""
    for i, line in enumerate(lines):
        if _indent(line) <= _indent(lines[0]) and _starts(re.split(r"\s{2,}", line.strip())[0]) in starts:
            return i
    return None


def _tables_on_pages(book: Path, tables_folder: Path, pdf: Path):
    """(sheet, title, head texts, pages its rows are printed on, {page: lines above its first row there})."""
    wb = openpyxl.load_workbook(book)
    visible = [ws for ws in wb if ws.sheet_state == "visible"]
    pages = _page_lines(pdf)
    by_sheet = {ws.title: [p for p in pages if p and p[0].strip().startswith(ws["A1"].value)] for ws in visible}
    for ws in visible:
        tables = {t: rows for t, rows in _csv_tables(tables_folder, ws.title).items() if rows and _laid_out(ws, t)}
        for title, labels in tables.items():
            # Rows told apart by their first three words from every other table's rows and titles on the sheet.
            others = {_starts(x) for t, rows in tables.items() if t != title for x in [t, *rows]}
            starts = {_starts(label) for label in labels if len(label.split()) >= 3} - others
            found = {}
            for n, lines in enumerate(by_sheet[ws.title]):
                at = _first_row_line(lines, starts)
                if at is not None:
                    found[n] = lines[:at]
            yield ws.title, title, _head_texts(ws, title, labels), found


def _laid_out(ws, title: str) -> bool:
    try:
        find_title(ws, title)
    except AssertionError:  # a chart's data, laid out on the hidden Chart data sheet
        return False
    return True


@needs_print
@pytest.mark.parametrize("name", ["example", "six"])
def test_every_page_of_a_table_shows_its_column_headers(printed, name):
    """On every page a table's rows are printed on, its headers and band are printed above them."""
    book, tables_folder, pdf = printed[name]
    run_on = set()
    for sheet, title, heads, pages in _tables_on_pages(book, tables_folder, pdf):
        wanted = {w for text in heads for w in TOKEN.findall(text)}
        for n, above in pages.items():
            missing = wanted - {w for line in above for w in TOKEN.findall(line)}
            assert not missing, (sheet, title, f"page {n + 1} of the sheet", sorted(missing))
        if len(pages) > 1:
            run_on.add(sheet)
    if name == "example":  # long tables on sheets of several tables: the cases this guards
        assert {"Efficiency", "Risks"} <= run_on, run_on


def _widths(ws) -> dict[int, float]:
    """Column widths as the writer set them (characters), by column number."""
    found = {}
    for key, dim in ws.column_dimensions.items():
        if dim.width:
            first, last = dim.min or column_index_from_string(key), dim.max or column_index_from_string(key)
            for col in range(first, last + 1):
                found[col] = dim.width - XLSX_PADDING
    return found


def _merged_headers(ws):
    """(range, text, its row's height, its width) of each bold 10-point text merged across cells on one row."""
    widths = _widths(ws)
    for merged in ws.merged_cells.ranges:
        cell = ws.cell(merged.min_row, merged.min_col)
        if merged.min_row != merged.max_row or not cell.value or not cell.font.b or cell.font.sz != sizes.FONT_SIZE:
            continue  # titles are 11 point, notes not bold
        width = sum(widths.get(c, DEFAULT_WIDTH) for c in range(merged.min_col, merged.max_col + 1))
        yield merged, cell, ws.row_dimensions[merged.min_row].height or DEFAULT_HEIGHT, width


@needs_print
@pytest.mark.parametrize("name", ["example", "six"])
def test_merged_headers_wrap_within_their_cells(printed, name):
    """Every header merged across columns (a band, a figure's header over its symbol) wraps,
    its longest word fits its columns, and its row holds all its lines."""
    book, _, _ = printed[name]
    wb = openpyxl.load_workbook(book)
    checked = []
    for ws in wb:
        for merged, cell, height, width in _merged_headers(ws):
            where = (ws.title, str(merged), cell.value)
            assert cell.alignment.wrap_text, where
            broken = [w for w in cell.value.replace("-", "- ").split() if sizes.lines(w, width, bold=True) > 1]
            assert not broken, (*where, broken, width)
            needed = sizes.lines(cell.value, width, bold=True) * sizes.LINE_HEIGHT + 2
            assert height >= needed, (*where, height, needed)
            checked.append((ws.title, str(merged)))
    if name == "example":  # the two a reviewer found cut, among the rest
        assert {("PHC", "D19:E19"), ("Scenarios", "K4:L4")} <= set(checked), checked


def _long_sheet() -> Sheet:
    """A short table, then a banded one of 150 rows (three pages or more), figures in pence."""
    columns = (Column("name", "Scheme name", "text"), Column("plan", "Plan", band="Year to date"),
               Column("actual", "Actual", band="Year to date"), Column("fot", "Forecast outturn"))
    rows = tuple(Row(f"S{i:03d}", f"Scheme {i}", (f"Name {i}", 123_456_789 * i, -98_765 * i, i)) for i in range(150))
    short = Table("short", "A short table (£000)", "£000", (Column("plan", "Plan"),), (Row("A", "A", (100_000,)),))
    return Sheet("Long", "A sheet: long", (short, Table("long", "A long table (£000)", "£000", columns, rows, notes=("A note.",))))


def test_a_long_table_repeats_its_head_at_every_page_break_and_keeps_its_figures(tmp_path):
    sheet = _long_sheet()
    path = tmp_path / "long.xlsx"
    wb = xlsxwriter.Workbook(str(path), OPTIONS)
    write_sheet(wb, sheet, Styles(wb), "2023/24 M4")
    wb.close()
    ws = openpyxl.load_workbook(path)["Long"]
    table = sheet.tables[1]
    top, _ = find_title(ws, table.title)
    breaks = [b.id + 1 for b in ws.row_breaks.brk if b.id + 1 > top]  # the first row of each page, 1-based
    assert len(breaks) >= 2, breaks
    heads = [r for r in range(top + 1, ws.max_row + 1) if ws.cell(r, 1).value == f"{table.title}, continued"]
    assert heads == breaks  # each page the table runs on to starts with a copy of its head ...
    for r in heads:  # ... its band and its headers
        assert [ws.cell(r + 1, c).value for c in range(2, 6)] == [None, "Year to date", None, None]
        assert [ws.cell(r + 2, c).value for c in range(1, 6)] == ["£000", "Scheme name", "Plan", "Actual", "Forecast outturn"]
    laid = [r for r in range(top + 3, ws.max_row + 1) if r - 1 not in heads and r - 2 not in heads and r not in heads]
    for r, row in zip(laid, table.rows, strict=False):  # every row once, in order, every figure as the table's
        assert ws.cell(r, 1).value == row.label and ws.cell(r, 2).value == row.values[0]
        assert close_to(money(ws.cell(r, 3), "£000"), row.values[1], "£000")
        assert close_to(money(ws.cell(r, 4), "£000"), row.values[2], "£000")
    assert ws.cell(laid[len(table.rows)], 1).value == "A note."
    assert ws.freeze_panes == "B5"  # the first table's headers, as on every sheet
