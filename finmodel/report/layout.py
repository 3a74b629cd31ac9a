"""Where each table of a sheet goes, and where its pages break: pure geometry, shared by
the writer and the charts.

A sheet starts with its heading; tables follow one under another (a table marked
``beside`` sits to the right of the one before it), each as: title, header band (when any
column has one), column headers, rows, then one line per row for a column printed below
the table (long notes), the table's notes, then a blank row.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property

from finmodel.report.table import Column, Row, Sheet, Table

HEADING_ROW = 0
FIRST_TABLE_ROW = 2
GAP_COLUMNS = 1  # empty columns between side-by-side tables


@dataclass(frozen=True)
class Placed:
    table: Table
    title_row: int
    first_col: int  # the label column

    @cached_property
    def shown(self) -> tuple[Column, ...]:
        """The columns laid out as columns; a ``below`` column is printed under the table."""
        return tuple(c for c in self.table.columns if not c.below)

    @cached_property
    def below_lines(self) -> tuple[tuple[Row, str], ...]:
        """(row, text) of every non-empty value of a ``below`` column, in row order."""
        indexes = [i for i, c in enumerate(self.table.columns) if c.below]
        return tuple((r, str(r.values[i])) for r in self.table.rows for i in indexes if r.values[i])

    @property
    def has_band(self) -> bool:
        return any(c.band for c in self.shown)

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
    def last_data_row(self) -> int:
        return self.first_row + len(self.table.rows) - 1

    @property
    def first_below_row(self) -> int:
        return self.last_data_row + 1

    @property
    def first_note_row(self) -> int:
        return self.first_below_row + len(self.below_lines)

    @property
    def last_row(self) -> int:
        """The last row the table uses, notes included."""
        return self.first_note_row + len(self.table.notes) - 1

    @property
    def last_col(self) -> int:
        return self.first_col + len(self.shown)

    def col(self, code: str) -> int:
        return self.first_col + 1 + [c.code for c in self.shown].index(code)

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


def blocks(placed: tuple[Placed, ...]) -> list[tuple[int, int]]:
    """(first row, last row) of each block a page must not split: a table with the tables
    beside it (a provider's summary), title to last note."""
    spans: dict[int, int] = {}
    for p in placed:
        spans[p.title_row] = max(spans.get(p.title_row, p.last_row), p.last_row)
    return sorted(spans.items())


def page_breaks(spans: Sequence[tuple[int, int]], height: Callable[[int], float], page: float) -> list[int]:
    """Rows to start a new page at, so no block straddles two pages when it fits on one.

    ``height(row)`` is a row's height in points and ``page`` the points a page holds below
    the rows repeated on every page. Worked out at 100 % scale: printed smaller, a page
    holds more, so a block that fits here fits there too."""
    breaks: list[int] = []
    used, last = 0.0, None
    for first, end in spans:
        gap = sum(height(r) for r in range(last + 1, first)) if last is not None else 0.0
        size = sum(height(r) for r in range(first, end + 1))
        if used and used + gap + size > page:
            breaks.append(first)
            used = size % page if size > page else size
        else:
            used += gap + size
        last = end
    return breaks
