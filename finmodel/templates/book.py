"""One input workbook of the contract, written with xlsxwriter: the template finance staff fill.

Every data sheet has the contract's columns under a bold frozen header row, a drop-down on
every coded column (so a typo is caught while typing, not at month end), and, when the
workbook is carried forward from the previous close, that close's rows. An `instructions`
sheet explains the rules. Validation reads only the contract's sheets, by name, so the
instructions sheet (and the hidden `lists` sheet a long drop-down may need) are never read.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping
from pathlib import Path

import pandas as pd
import xlsxwriter
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

from finmodel.contract import Column, Sheet, Workbook
from finmodel.schema_docs import KIND_WORDS
from finmodel.system_config import SystemConfig
from finmodel.templates.cells import cell_writer, is_blank
from finmodel.templates.drop_downs import PROMPT_LIMIT, DropDown, drop_down, fits_in_a_list
from finmodel.templates.instructions import INSTRUCTIONS, instruction_rows

TEMPLATE_ROWS = 10_000  # empty rows the drop-downs cover below the data (rows 2 .. 10,001 when empty)
CREATED = dt.datetime(2024, 1, 1)  # fixed, so templates are the same bytes every time
LISTS = "lists"

# Column formats: text columns are stored as text so a code such as 001 keeps its zeros
# and 1-2 is not turned into a date; the month column stays General so 7 stays a number.
NUMBER_FORMATS = {"money": "#,##0.00", "date": "dd/mm/yyyy", "count": "0", "text": "@", "id": "@", "code": "@", "org": "@", "party": "@"}


class TemplateBook:
    """One template workbook being written: its formats and the hidden sheet of long lists."""

    def __init__(self, target: Path | io.BytesIO, title: str, by: str = "finmodel init") -> None:
        in_memory = isinstance(target, io.BytesIO)
        options = {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False, "in_memory": in_memory}
        self.book = xlsxwriter.Workbook(target if in_memory else str(target), options)
        self.book.set_properties({"created": CREATED, "title": title, "comments": f"written by {by}"})
        self.header = self.book.add_format({"bold": True, "bottom": 1})
        self.bold = self.book.add_format({"bold": True})
        self.wrap = self.book.add_format({"text_wrap": True, "valign": "top"})
        self.formats = {kind: self.book.add_format({"num_format": f}) for kind, f in NUMBER_FORMATS.items()}
        self.long_lists: list[tuple[str, ...]] = []

    def list_source(self, choices: tuple[str, ...]) -> list[str] | str:
        if fits_in_a_list(choices):
            return list(choices)
        # Too long for a typed list: Excel takes the choices from cells instead.
        if choices not in self.long_lists:
            self.long_lists.append(choices)
        column = xl_col_to_name(self.long_lists.index(choices))
        return f"={LISTS}!${column}$1:${column}${len(choices)}"

    def close(self) -> None:
        if self.long_lists:
            ws = self.book.add_worksheet(LISTS)
            for index, choices in enumerate(self.long_lists):
                ws.write_column(0, index, choices)
            ws.hide()
        self.book.close()


def _width(column: Column, choices: tuple[str, ...]) -> int:
    longest = max([len(column.name), *(len(c) for c in choices)])
    return min(40, max(12, longest + 3))


def sheet_columns(sheet: Sheet, rows: pd.DataFrame | None) -> tuple[Column, ...]:
    """The header: the contract's columns in order, then any extra (text) column the rows carry."""
    names = {c.name for c in sheet.columns}
    extra = [] if rows is None else [Column(str(n), "text", False) for n in rows.columns if n not in names]
    return (*sheet.columns, *extra)


def _write_sheet(book: TemplateBook, sheet: Sheet, system: SystemConfig, rows: pd.DataFrame | None, named: bool) -> None:
    ws = book.book.add_worksheet(sheet.name)
    columns = sheet_columns(sheet, rows)
    last_row = (0 if rows is None else len(rows)) + TEMPLATE_ROWS
    for index, column in enumerate(columns):
        ws.write_string(0, index, column.name, book.header)
        choices = drop_down(sheet, column, system, named)
        ws.set_column(index, index, _width(column, choices.choices if choices else ()), book.formats.get(column.kind))
        if choices:
            ws.data_validation(1, index, last_row, index, _validation(book, column, choices))
        if rows is not None and column.name in rows.columns:
            _write_column(ws, index, column, rows[column.name].tolist(), book)
    ws.freeze_panes(1, 0)


def _validation(book: TemplateBook, column: Column, choices: DropDown) -> dict[str, object]:
    """The cells' data validation: the list, or (no list) the prompt alone, which refuses nothing."""
    prompt = {"input_title": column.name[:32], "input_message": (choices.prompt or KIND_WORDS[column.kind])[:PROMPT_LIMIT]}
    if not choices.choices:
        return {"validate": "any", **prompt}
    return {
        "validate": "list",
        "source": book.list_source(choices.choices),
        "error_type": choices.style,
        "error_title": column.name[:32],
        "error_message": choices.message[:PROMPT_LIMIT],
        **prompt,
    }


def _write_column(ws: Worksheet, index: int, column: Column, values: list[object], book: TemplateBook) -> None:
    write, fmt = cell_writer(column.kind), book.formats.get(column.kind)
    for row, value in enumerate(values, start=1):
        if not is_blank(value):
            write(ws, row, index, value, fmt)


def _write_instructions(book: TemplateBook, workbook: Workbook, system: SystemConfig, named: bool) -> None:
    ws: Worksheet = book.book.add_worksheet(INSTRUCTIONS)
    ws.set_tab_color("#808080")  # grey: not a data sheet
    ws.set_column(0, 0, 22)
    for index, width in enumerate((10, 40, 50, 50), start=1):
        ws.set_column(index, index, width, book.wrap)
    for row, (bold, cells) in enumerate(instruction_rows(workbook, system, named)):
        for col, text in enumerate(cells):
            if text:
                ws.write_string(row, col, text, book.bold if bold else None)


def _fill(book: TemplateBook, workbook: Workbook, system: SystemConfig, rows: Mapping[str, pd.DataFrame], named: bool = True) -> None:
    for sheet in workbook.sheets:
        _write_sheet(book, sheet, system, rows.get(sheet.name), named)
    _write_instructions(book, workbook, system, named)
    book.close()


def write_workbook_template(path: Path, workbook: Workbook, system: SystemConfig, named: bool = True) -> Path:
    """One empty workbook of the contract, drop-downs from `system`; overwrites `path`.

    `named` False (init's starter system): its placeholder organisation codes are left out.
    """
    _fill(TemplateBook(path, path.name), workbook, system, {}, named)
    return path


def workbook_bytes(
    workbook: Workbook, system: SystemConfig, rows: Mapping[str, pd.DataFrame] | None = None, by: str = "finmodel templates"
) -> bytes:
    """The workbook's bytes, drop-downs from `system`; `rows` (by sheet name) fill its sheets.

    A row frame's columns are the sheet's column names (extra columns follow the contract's,
    as text); its values are in the validated frames' terms (templates/cells.py).
    """
    buffer = io.BytesIO()
    _fill(TemplateBook(buffer, workbook.filename, by), workbook, system, rows or {})
    return buffer.getvalue()
