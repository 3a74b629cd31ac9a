"""The board pack's tables as values: what every sheet and every tidy CSV is written from.

A table's cells are exact: pence (int) for money, ``Decimal`` fractions for percentages,
int for counts, str for text. Two kinds of empty cell, decided when the table is built:
``None`` means *not applicable* (a provider with no agency cap, a ratio with nothing to
divide) and is shown as a dash; ``""`` is a cell left empty on purpose (a month with no
actual yet in a chart's data, a gross total that would double count) and is shown as
nothing. A ``Coded`` text cell shows its label on the sheet and keeps its code in the CSV
(an organisation, a category, a status), so the board reads words and BI tools keep codes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from decimal import Decimal
from typing import Literal

from finmodel.results.board import ICS, PROVIDERS, TOTAL  # the row codes of totals (docs/tables.md)

Unit = Literal["gbp", "pct", "count", "text"]
Scale = Literal["£m", "£000", ""]


@dataclass(frozen=True)
class Coded:
    code: str  # what the CSV holds
    label: str  # what the sheet shows

    def __str__(self) -> str:
        return self.label


Value = int | Decimal | str | Coded | None

__all__ = ["ICS", "PROVIDERS", "TOTAL", "Coded", "Column", "Row", "Scale", "Sheet", "Table", "Unit", "Value", "scale_words", "snake_case"]


@dataclass(frozen=True)
class Column:
    code: str  # stable snake_case, e.g. ytd_income_plan
    label: str  # header as shown
    unit: Unit = "gbp"
    band: str = ""  # header band above the label, e.g. "Year to date"
    forecast: bool = False  # a month not yet closed (charts draw it lighter than actuals)
    below: bool = False  # long text printed under the table, one line per row, not as a column


@dataclass(frozen=True)
class Row:
    code: str  # organisation code, group name, line/service/category code, PROVIDERS, ICS, TOTAL
    label: str
    values: tuple[Value, ...]  # one per column
    total: bool = False  # bold with a top border
    unit: Unit | None = None  # overrides the unit of the table's non-text columns (a % row among £m rows)
    adverse: tuple[str, ...] = ()  # codes of columns flagged adverse (e.g. % recurrent below target)
    indent: int = 0  # a part shown under its whole (a segment under its organisation): its label is indented

    def value(self, column: str, columns: tuple[Column, ...]) -> Value:
        return self.values[[c.code for c in columns].index(column)]


@dataclass(frozen=True)
class Table:
    key: str  # stable identifier (docs/tables.md; charts find their data by it)
    title: str  # as shown, with its unit: the CSV's `table` column
    scale: Scale  # how money cells are shown
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    notes: tuple[str, ...] = ()  # shown under the table
    beside: bool = False  # laid out to the right of the previous table (a provider's block)
    link_labels: bool = False  # each row label is a link to the sheet it names (Contents)

    def __post_init__(self) -> None:
        width = len(self.columns)
        codes = [c.code for c in self.columns]
        if len(set(codes)) != width:
            raise ValueError(f"table {self.key!r}: column codes repeat: {codes}")
        for row in self.rows:
            if len(row.values) != width:
                raise ValueError(f"table {self.key!r}: row {row.code!r} has {len(row.values)} values for {width} columns")
            unknown = set(row.adverse) - {c.code for c in self.columns}
            if unknown:
                raise ValueError(f"table {self.key!r}: row {row.code!r} flags unknown columns {sorted(unknown)}")

    def row(self, code: str) -> Row:
        return next(r for r in self.rows if r.code == code)

    @cached_property
    def symbol_columns(self) -> frozenset[str]:
        """Codes of columns whose every value is at most one character (movement symbols).

        Worked out once per table: asking per cell made writing a long table quadratic."""
        return frozenset(
            c.code for i, c in enumerate(self.columns) if all(len(str(r.values[i] or "")) <= 1 for r in self.rows)
        )

    def cell(self, row: str, column: str) -> Value:
        return self.row(row).value(column, self.columns)

    def unit_of(self, row: Row, column: Column) -> Unit:
        if column.unit == "text" or row.unit is None:
            return column.unit
        return row.unit


@dataclass(frozen=True)
class Sheet:
    name: str  # as in board-pack.md, at most 31 characters (Excel's limit)
    heading: str
    tables: tuple[Table, ...]

    @property
    def csv_name(self) -> str:
        return snake_case(self.name)


def snake_case(name: str) -> str:
    """Sheet name -> CSV file stem: ``System I&E`` -> ``system_ie``."""
    words = re.sub(r"[^a-z0-9]+", " ", name.lower().replace("&", "")).split()
    return "_".join(words)


def scale_words(scale: Scale) -> str:
    return f" ({scale})" if scale else ""
