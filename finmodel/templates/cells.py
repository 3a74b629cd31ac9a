"""A carried row's cells, written as what they are, never as what Excel might guess.

Values arrive in the validated frames' terms (close_inputs.py): money in pence, a month
as 1..12, dates as dates, fractions and likelihoods as Decimals. They are written as
pounds (pence / 100: at most two decimals, exact to the penny since xlsxwriter writes
16 significant digits and amounts are under a trillion pounds), months as the drop-down's
M01..M12, dates as real Excel dates, and text always as a string: a cell that begins with
= + - @ is written as text, never a formula.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from decimal import Decimal

import pandas as pd
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from finmodel.calendar import month_label

CellWriter = Callable[[Worksheet, int, int, object, "Format | None"], None]


def is_blank(value: object) -> bool:
    """No cell at all: None, a missing count (pd.NA), NaN or empty text."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and value == ""


def pounds(pence: object) -> float:
    return int(pence) / 100  # type: ignore[call-overload]


def _money(ws: Worksheet, row: int, col: int, value: object, fmt: Format | None) -> None:
    ws.write_number(row, col, pounds(value), fmt)


def _month(ws: Worksheet, row: int, col: int, value: object, fmt: Format | None) -> None:
    ws.write_string(row, col, month_label(int(value)), fmt)  # type: ignore[call-overload]


def _date(ws: Worksheet, row: int, col: int, value: object, fmt: Format | None) -> None:
    day = value.date() if isinstance(value, (dt.datetime, pd.Timestamp)) else value
    ws.write_datetime(row, col, dt.datetime.combine(day, dt.time()), fmt)  # type: ignore[arg-type]


def _number(ws: Worksheet, row: int, col: int, value: object, fmt: Format | None) -> None:
    ws.write_number(row, col, float(value) if isinstance(value, Decimal) else value, fmt)


def _likelihood(ws: Worksheet, row: int, col: int, value: object, fmt: Format | None) -> None:
    if isinstance(value, str):
        ws.write_string(row, col, value, fmt)
    elif 0 < value < 1:  # type: ignore[operator]
        # A number cell under 1 reads as "did you mean a fraction?"; "0.5%" says 0.5 %.
        ws.write_string(row, col, f"{value}%", fmt)
    else:
        ws.write_number(row, col, float(value), fmt)  # type: ignore[arg-type]


def _text(ws: Worksheet, row: int, col: int, value: object, fmt: Format | None) -> None:
    ws.write_string(row, col, str(value), fmt)


_WRITERS: dict[str, CellWriter] = {
    "money": _money, "month": _month, "date": _date, "fraction": _number, "count": _number, "likelihood": _likelihood,
}


def cell_writer(kind: str) -> CellWriter:
    """How a column of this contract kind is written; text for every other kind and extras."""
    return _WRITERS.get(kind, _text)
