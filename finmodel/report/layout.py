"""Where each table of a sheet goes: pure geometry, shared by the writer and the charts.

A sheet starts with its heading; tables follow one under another (a table marked
``beside`` sits to the right of the one before it), each as: title, header band (when any
column has one), column headers, rows, notes, then a blank row.
"""

from __future__ import annotations

from dataclasses import dataclass

from finmodel.report.table import Sheet, Table

HEADING_ROW = 0
FIRST_TABLE_ROW = 2
GAP_COLUMNS = 1  # empty columns between side-by-side tables


@dataclass(frozen=True)
class Placed:
    table: Table
    title_row: int
    first_col: int  # the label column

    @property
    def has_band(self) -> bool:
        return any(c.band for c in self.table.columns)

    @property
    def band_row(self) -> int | None:
        return self.title_row + 1 if self.has_band else None

    @property
    def header_row(self) -> int:
        return self.title_row + (2 if self.has_band else 1)

    @property
    def first_row(self) -> int:
        return self.header_row + 1

    @property
    def last_row(self) -> int:
        """The last row the table uses, notes included."""
        return self.first_row + len(self.table.rows) + len(self.table.notes) - 1

    @property
    def last_col(self) -> int:
        return self.first_col + len(self.table.columns)

    def col(self, code: str) -> int:
        return self.first_col + 1 + [c.code for c in self.table.columns].index(code)

    def row(self, code: str) -> int:
        return self.first_row + [r.code for r in self.table.rows].index(code)


def place(sheet: Sheet) -> tuple[Placed, ...]:
    placed: list[Placed] = []
    top = FIRST_TABLE_ROW  # where the next block of tables starts
    block_bottom = top - 2
    for table in sheet.tables:
        if table.beside and placed:
            before = placed[-1]
            p = Placed(table, before.title_row, before.last_col + 1 + GAP_COLUMNS)
        else:
            top = block_bottom + 2
            p = Placed(table, top, 0)
        placed.append(p)
        block_bottom = max(block_bottom, p.last_row)
    return tuple(placed)


def bottom(placed: tuple[Placed, ...]) -> int:
    return max((p.last_row for p in placed), default=FIRST_TABLE_ROW)
