"""Where each table of a sheet goes, and where its pages break: pure geometry, shared by
the writer and the charts.

A sheet starts with its heading; tables follow one under another (a table marked
``beside`` sits to the right of the one before it), each as: title, header band (when any
column has one), column headers, rows, then one line per row for a column printed below
the table (long notes), the table's notes, then a blank row.

A table longer than a page, alone in its block, runs on over pages: where a page breaks
within its rows, a copy of its title (marked continued), header band and column headers is
written into the sheet above the rows that go on, so every printed page names its columns.
Excel allows one print-titles range a sheet, which cannot serve a sheet of several tables.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

from finmodel.report.table import Column, Row, Sheet, Table

HEADING_ROW = 0
FIRST_TABLE_ROW = 2
GAP_COLUMNS = 1  # empty columns between side-by-side tables
CONTINUED = "{title}, continued"  # the title over a table's headers repeated on a later page


@dataclass(frozen=True)
class Placed:
    """A table's place on its sheet. ``continued``: offsets (into its rows) of the rows a new
    page starts at, each below a copy of the table's head (title, band, headers); the rows
    from there on sit that many sheet rows lower. A chart never draws from a continued table."""

    table: Table
    title_row: int
    first_col: int  # the label column
    continued: tuple[int, ...] = ()

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

    @cached_property
    def bands(self) -> tuple[tuple[str, int, int], ...]:
        """(band, first sheet column, last sheet column) of each run of columns under one band."""
        spans: list[tuple[str, int, int]] = []
        for i, column in enumerate(self.shown):
            c = self.first_col + 1 + i
            if spans and spans[-1][0] == column.band:
                spans[-1] = (column.band, spans[-1][1], c)
            else:
                spans.append((column.band, c, c))
        return tuple(s for s in spans if s[0])

    @property
    def band_row(self) -> int | None:
        return self.title_row + 1 if self.has_band else None

    @property
    def header_row(self) -> int:
        return self.title_row + (2 if self.has_band else 1)

    @property
    def head_rows(self) -> int:
        """Rows of the head: title, band (when any), column headers."""
        return self.header_row - self.title_row + 1

    @property
    def first_row(self) -> int:
        return self.header_row + 1

    def data_row(self, offset: int) -> int:
        """The sheet row of the table's row at ``offset``, below every head repeated before it."""
        return self.first_row + offset + self.head_rows * bisect_right(self.continued, offset)

    @property
    def continuation_title_rows(self) -> tuple[int, ...]:
        return tuple(self.data_row(offset) - self.head_rows for offset in self.continued)

    @property
    def continued_title(self) -> str:
        return CONTINUED.format(title=self.table.title)

    @property
    def last_data_row(self) -> int:
        return self.data_row(len(self.table.rows) - 1) if self.table.rows else self.first_row - 1

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
        return self.data_row([r.code for r in self.table.rows].index(code))


def place(sheet: Sheet, continued: Mapping[int, tuple[int, ...]] | None = None) -> tuple[Placed, ...]:
    """``continued``: by the index of a table in the sheet, the offsets of its rows that start
    a page below its repeated head (``paginate`` works them out)."""
    runs_on = continued or {}
    placed: list[Placed] = []
    top = FIRST_TABLE_ROW  # where the next block of tables starts
    block_bottom = top - 2
    for i, table in enumerate(sheet.tables):
        if table.beside and placed:
            before = placed[-1]
            p = Placed(table, before.title_row, before.last_col + 1 + GAP_COLUMNS, runs_on.get(i, ()))
        else:
            top = block_bottom + 2
            p = Placed(table, top, 0, runs_on.get(i, ()))
        placed.append(p)
        block_bottom = max(block_bottom, p.last_row)
    return tuple(placed)


def bottom(placed: tuple[Placed, ...]) -> int:
    return max((p.last_row for p in placed), default=FIRST_TABLE_ROW)


@dataclass(frozen=True)
class Block:
    """Rows a page must not split when they fit on one. ``table``: the index of a table alone
    in the block that may run on over pages below its repeated head; None for any other
    block (tables side by side, a chart), which a renderer breaks where it must."""

    first: int
    last: int
    table: int | None = None


def blocks(placed: tuple[Placed, ...], runs_on: Callable[[int], bool] = lambda i: False) -> list[Block]:
    """Each block a page must not split: a table with the tables beside it (a provider's
    summary), title to last note. ``runs_on(i)``: whether table i, when alone, may run on."""
    spans: dict[int, list[int]] = {}
    for i, p in enumerate(placed):
        spans.setdefault(p.title_row, []).append(i)
    found = []
    for first, members in sorted(spans.items()):
        last = max(placed[i].last_row for i in members)
        alone = members[0] if len(members) == 1 and runs_on(members[0]) else None
        found.append(Block(first, last, alone))
    return found


@dataclass(frozen=True)
class Pages:
    breaks: tuple[int, ...]  # rows a new page starts at, in the sheet as written (repeated heads included)
    continued: dict[int, tuple[int, ...]]  # for ``place``: by table index, the offsets of the rows that start a page


def paginate(
    found: Sequence[Block], placed: tuple[Placed, ...], height: Callable[[int], float], page: float,
    head: Callable[[Placed], float],
) -> Pages:
    """Where pages break, so no block straddles two pages when it fits on one, and a table
    longer than a page goes on over as many as it needs, each below a copy of its head.

    ``placed`` and ``found`` are the sheet laid out without repeated heads, ``height(row)``
    a row's height there in points, ``head(p)`` the points a repeated head of p takes and
    ``page`` the points a page holds below the rows repeated on every page. Worked out at
    100 % scale: printed smaller, a page holds more, so what fits here fits there too. The
    breaks are rows of the sheet once the heads are written, which pushes later rows down."""
    breaks: list[int] = []
    continued: dict[int, tuple[int, ...]] = {}
    used, last, pushed = 0.0, None, 0
    for block in found:
        gap = sum(height(r) for r in range(last + 1, block.first)) if last is not None else 0.0
        size = sum(height(r) for r in range(block.first, block.last + 1))
        if used and used + gap + size > page:
            breaks.append(block.first + pushed)
            used, gap = 0.0, 0.0
        if block.table is not None and used + gap + size > page:
            p = placed[block.table]
            offsets, used = _run_on(p, height, page, head(p), used + gap)
            breaks += [p.first_row + o + pushed + p.head_rows * n for n, o in enumerate(offsets)]
            pushed += p.head_rows * len(offsets)
            if offsets:
                continued[block.table] = offsets
        else:
            used += gap + size
            used = used % page if used > page else used  # a renderer broke it somewhere
        last = block.last
    return Pages(tuple(breaks), continued)


def _run_on(p: Placed, height: Callable[[int], float], page: float, head: float, used: float) -> tuple[tuple[int, ...], float]:
    """A long table from ``used`` points down its first page: (offsets of the rows that start
    a page below a repeated head, points used on its last page). Each page keeps at least
    one row, and the last row keeps the lines under the table (notes name no column, and
    would read as nobody's alone on a page)."""
    used += sum(height(r) for r in range(p.title_row, p.first_row))
    offsets: list[int] = []
    for offset in range(len(p.table.rows)):
        r = p.first_row + offset
        last = p.last_row if offset == len(p.table.rows) - 1 else r
        size = sum(height(x) for x in range(r, last + 1))
        if offset > (offsets[-1] if offsets else 0) and used + size > page:
            offsets.append(offset)
            used = head
        used += size
    return tuple(offsets), used
