"""Tidy tables for BI tools: one CSV row per table cell, exact values (docs/tables.md).

Columns: table (its title), row (a stable code), label (as shown), column (a stable code),
unit (gbp, pct, count, text), value (pounds to the penny, fractions, counts, text) and
table_key (the table's stable key: a title carries the close month and changes every
month, a key never does, so a BI report filters on the key). table_key comes last so the
columns before it keep their places for readers that take them by position.

Text that came from an input (a scheme's name, a risk's description, a code) and begins
with =, +, -, @, tab or CR is written with a leading ' so a spreadsheet opening the CSV
shows it as text instead of running it (csv_text.py); numbers are never touched.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from finmodel.csv_text import safe_text
from finmodel.report.formats import csv_value
from finmodel.report.table import Table

HEADER = ("table", "row", "label", "column", "unit", "value", "table_key")


def table_rows(tables: Iterable[Table]) -> Iterator[tuple[str, ...]]:
    """The header, then one row per cell of each table, row by row."""
    yield HEADER
    for table in tables:
        for row in table.rows:
            for column, value in zip(table.columns, row.values):
                unit = table.unit_of(row, column)
                cell = csv_value(value, unit)
                yield (table.title, safe_text(row.code), safe_text(row.label), column.code, unit,
                       safe_text(cell) if isinstance(value, str) else cell, table.key)


def csv_text(tables: Iterable[Table]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(table_rows(tables))
    return buffer.getvalue()
