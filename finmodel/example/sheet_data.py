"""Sheets as columns of values, and writing them as workbooks with xlsxwriter.

Generators build whole columns with numpy; this module is the only one that touches files.
Money is held in pence and written as pounds (pence / 100, at most two decimals), dates
as real Excel dates, blanks as no cell at all. The workbook's properties carry a fixed
time, so the same tables always give the same bytes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Sequence

import numpy as np
import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

# mixed: text and numbers in one column (a risk's likelihood is a word or a percentage)
CellKind = Literal["text", "int", "money", "number", "date", "mixed"]

# A fixed creation time: xlsxwriter would otherwise stamp the wall clock into docProps.
WORKBOOK_TIME = dt.datetime(2024, 1, 31)
_EXCEL_EPOCH = np.datetime64("1899-12-30", "D")
_WIDTHS = {"text": 26, "int": 8, "money": 15, "number": 10, "date": 12, "mixed": 14}
_LARGE = 20_000  # rows above which a sheet is streamed (constant_memory) rather than held


@dataclass(frozen=True)
class Column:
    name: str
    kind: CellKind
    values: np.ndarray  # text, mixed: object arrays (None = blank); money: int64 pence; date: datetime64[D]
    blank: np.ndarray | None = None  # True where the cell is left empty

    def cells(self) -> list[object]:
        """The column as Python values to write, None where the cell stays empty."""
        if self.kind == "money":
            values: list[object] = (self.values / 100).tolist()
        elif self.kind == "date":
            # Excel's serial day number: a real date cell once given a date format.
            values = (self.values.astype("datetime64[D]") - _EXCEL_EPOCH).astype(np.int64).tolist()
        else:
            values = self.values.tolist()
        if self.blank is not None:
            for index in np.flatnonzero(self.blank).tolist():
                values[index] = None
        return values


@dataclass(frozen=True)
class SheetData:
    sheet: str
    columns: tuple[Column, ...]

    @property
    def rows(self) -> int:
        return len(self.columns[0].values) if self.columns else 0


def write_workbook(path: Path, tables: Sequence[SheetData]) -> None:
    """One workbook, one sheet per table, header in row 1, numbers as numbers."""
    large = any(t.rows > _LARGE for t in tables)
    workbook = xlsxwriter.Workbook(
        str(path),
        {"constant_memory": large, "strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False},
    )
    workbook.set_properties({"title": path.stem, "author": "finmodel example", "created": WORKBOOK_TIME})
    formats = {
        "money": workbook.add_format({"num_format": "#,##0.00"}),
        "date": workbook.add_format({"num_format": "dd/mm/yyyy"}),
        "number": workbook.add_format({"num_format": "0.00"}),
        "header": workbook.add_format({"bold": True}),
    }
    for table in tables:
        _write_sheet(workbook.add_worksheet(table.sheet), table, formats)
    workbook.close()


def _write_sheet(sheet: Worksheet, table: SheetData, formats: dict[str, Format]) -> None:
    sheet.freeze_panes(1, 0)
    for index, column in enumerate(table.columns):
        sheet.set_column(index, index, _WIDTHS[column.kind])
        sheet.write_string(0, index, column.name, formats["header"])
    writers = []
    for index, column in enumerate(table.columns):
        write = {"text": sheet.write_string, "mixed": sheet.write}.get(column.kind, sheet.write_number)
        writers.append((index, column.cells(), write, formats.get(column.kind)))
    # Row by row, as constant_memory mode requires.
    for row in range(table.rows):
        excel_row = row + 1
        for index, cells, write, cell_format in writers:
            value = cells[row]
            if value is not None:
                write(excel_row, index, value, cell_format)
