"""How a table cell is shown: the number a sheet cell holds, its Excel number format, and
its exact text in the tidy CSV. The one place pence become £m or £000."""

from __future__ import annotations

from decimal import Decimal

from finmodel.money import EXCEL_FORMAT_MILLIONS, EXCEL_FORMAT_THOUSANDS, format_millions, pence_to_pounds
from finmodel.report.table import Coded, Scale, Unit, Value

# A dash means "does not apply" or an exact zero amount of money; a true zero percentage or
# count is a figure like any other and shows as one (a dash would read "not applicable").
EXCEL_FORMAT_PERCENT = "0.0%;(0.0%);0.0%"
EXCEL_FORMAT_COUNT = "#,##0;(#,##0);0"
NOT_APPLICABLE = "-"  # what a sheet shows for a None cell

_PENCE_PER = {"£m": 100 * 1_000_000, "£000": 100 * 1_000}


def number_format(unit: Unit, scale: Scale) -> str | None:
    if unit == "gbp":
        return EXCEL_FORMAT_THOUSANDS if scale == "£000" else EXCEL_FORMAT_MILLIONS
    if unit == "pct":
        return EXCEL_FORMAT_PERCENT
    if unit == "count":
        return EXCEL_FORMAT_COUNT
    return None


def sheet_value(value: Value, unit: Unit, scale: Scale) -> int | float | str | None:
    """The number (or text) a sheet cell holds: £m and £000 as floats for display (the exact
    amount is in the CSV), percentages as fractions. None -> the dash text; "" -> no cell."""
    if value is None:
        return NOT_APPLICABLE
    if isinstance(value, Coded):
        return value.label
    if isinstance(value, str):
        return value if value else None
    if unit == "gbp":
        if not isinstance(value, int):
            raise TypeError(f"money must be int pence, found {value!r}")
        return value / _PENCE_PER[scale or "£m"]
    if unit == "pct":
        return float(value)
    return int(value)


def csv_value(value: Value, unit: Unit) -> str:
    """Exact text: pounds to the penny, fractions as Decimals, counts as integers."""
    if value is None or value == "":
        return ""
    if isinstance(value, Coded):
        return value.code
    if isinstance(value, str):
        return value
    if unit == "gbp":
        return f"{pence_to_pounds(int(value)):.2f}"
    if unit == "pct":
        return str(Decimal(value))
    return str(int(value))


def millions_label(pence: int) -> str:
    """A chart's data label in £m as the tables show it: one decimal, adverse in brackets."""
    return format_millions(pence)
