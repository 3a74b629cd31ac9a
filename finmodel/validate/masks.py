"""What every check and frame builder uses: a table's columns as numpy arrays, masks over
them, and the findings for the rows a mask flags.

Every rule is a numpy mask over the table; findings are built only for the rows it flags.
A rule skips cells that already have a cell-level error, so one typo gives one finding.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from finmodel.calendar import Period
from finmodel.findings import Severity
from finmodel.money import format_pounds
from finmodel.validate.log import FindingLog
from finmodel.validate.table import Table


def column(table: Table, name: str, default: object = "") -> np.ndarray:
    """The column's values, or ``default`` on every row when the sheet lacks the column."""
    if table.has(name):
        return table.values[name]
    if isinstance(default, int):
        return np.full(len(table), default, dtype="int64")
    return np.full(len(table), default, dtype=object)


def blank(table: Table, name: str) -> np.ndarray:
    """Cells left empty; every row when the sheet lacks the column."""
    return table.blank[name] if table.has(name) else np.ones(len(table), dtype=bool)


def member(values: np.ndarray, allowed: Iterable[object]) -> np.ndarray:
    """values in allowed, by hashing (np.isin sorts object arrays: slow on a million rows)."""
    return pd.Series(values, dtype=object, copy=False).isin(sorted(allowed)).to_numpy()


def filled(table: Table, name: str, default: str) -> np.ndarray:
    """A coded column with blanks given the contract's default (driver 'other', say)."""
    values = column(table, name, default).copy()
    if table.has(name):
        values[table.blank[name]] = default
    return values


def flag(
    table: Table, log: FindingLog, name: str, kind: str, mask: np.ndarray, expected: str | list[str],
    severity: Severity = "error", values: np.ndarray | None = None,
) -> None:
    """Findings for the flagged rows of a column, showing each cell's value (or ``values``)."""
    shown = values if values is not None else column(table, name)
    log.cells(table.where, name, kind, table.rows[mask], shown[mask][: log.cap], expected, severity)


def flag_amounts(
    table: Table, log: FindingLog, name: str, kind: str, mask: np.ndarray, expected: str, severity: Severity = "error"
) -> None:
    """Findings on an amount column, showing each amount in pounds (or nothing when blank)."""
    rows = table.rows[mask]
    if table.has(name):
        values, blank = table.values[name][mask][: log.cap], table.blank[name][mask][: log.cap]
        shown = ["" if b else format_pounds(int(v)) for v, b in zip(values.tolist(), blank.tolist())]
    else:
        shown = [""] * min(len(rows), log.cap)
    log.cells(table.where, name, kind, rows, shown, expected, severity)


def measures(table: Table, period: Period | None) -> dict[str, np.ndarray]:
    """plan, actual and forecast as the close conventions define them (close_inputs.py)."""
    plan = column(table, "plan", 0)
    actual = column(table, "actual", 0)
    forecast = column(table, "forecast", 0)
    if period is None:
        return {"plan": plan, "actual": actual, "forecast": forecast}
    month = column(table, "month", 0)
    after = month > period.month
    return {
        "plan": plan,
        "actual": np.where(after, 0, actual),
        "forecast": np.where(after, np.where(blank(table, "forecast"), plan, forecast), 0),
    }
