"""Rules across the rows of a sheet: the close month, duplicates, unusual amounts, frames.

Every rule is a numpy mask over the table; findings are built only for the rows it flags.
A rule skips cells that already have a cell-level error, so one typo gives one finding.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from finmodel.calendar import Period
from finmodel.close_inputs import FRAME_COLUMNS
from finmodel.contract import WORKBOOKS
from finmodel.findings import Severity
from finmodel.money import format_pounds
from finmodel.validate.log import FindingLog
from finmodel.validate.table import Table

OVER_PLAN_FACTOR = 3
OVER_PLAN_FROM_PENCE = 100_000 * 100  # only lines planned over £100k: small lines swing by nature
COUNT_COLUMNS = frozenset(c.name for w in WORKBOOKS for s in w.sheets for c in s.columns if c.kind == "count")


def column(table: Table, name: str, default: object = "") -> np.ndarray:
    """The column's values, or ``default`` on every row when the sheet lacks the column."""
    if table.has(name):
        return table.values[name]
    if isinstance(default, int):
        return np.full(len(table), default, dtype="int64")
    return np.full(len(table), default, dtype=object)


def member(values: np.ndarray, allowed: Iterable[object]) -> np.ndarray:
    """values in allowed, by hashing (np.isin sorts object arrays: slow on a million rows)."""
    return pd.Series(values, dtype=object, copy=False).isin(sorted(allowed)).to_numpy()


def filled(table: Table, name: str, default: str) -> np.ndarray:
    """A coded column with blanks given the contract's default (driver 'other', say)."""
    values = column(table, name, default).copy()
    if table.has(name):
        values[table.blank[name]] = default
    return values


def month_rules(table: Table, period: Period | None, log: FindingLog) -> None:
    """Actuals up to the close month and only then; forecasts only after it."""
    if period is None or not len(table):
        return
    month = table.values.get("month")
    if month is None:
        return
    known = table.ok("month")
    closed = known & (month <= period.month)
    after = known & (month > period.month)
    m = period.month
    # A cell with its own fault (a #REF!, say) is not reported again as missing.
    no_actual = table.blank["actual"] & ~table.bad["actual"] if table.has("actual") else np.ones(len(table), dtype=bool)
    _flag(table, log, "actual", "actual_missing", closed & no_actual, f"an actual for every month up to the close month M{m} (write 0 for none)")
    _flag(table, log, "actual", "actual_after_close", after & table.ok("actual"), f"no actual after the close month M{m} (leave it blank)")
    _flag(table, log, "forecast", "forecast_before_close", closed & table.ok("forecast"), f"no forecast up to the close month M{m} (leave it blank)")


def flag(
    table: Table, log: FindingLog, name: str, kind: str, mask: np.ndarray, expected: str | list[str],
    severity: Severity = "error", values: np.ndarray | None = None,
) -> None:
    """Findings for the flagged rows of a column, showing each cell's value (or ``values``)."""
    shown = values if values is not None else column(table, name)
    log.cells(table.where, name, kind, table.rows[mask], shown[mask][: log.cap], expected, severity)


def _flag(table: Table, log: FindingLog, name: str, kind: str, mask: np.ndarray, expected: str, severity: Severity = "error") -> None:
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
    forecast_blank = table.blank["forecast"] if table.has("forecast") else np.ones(len(table), dtype=bool)
    return {
        "plan": plan,
        "actual": np.where(after, 0, actual),
        "forecast": np.where(after, np.where(forecast_blank, plan, forecast), 0),
    }


def negative_amounts(table: Table, names: tuple[str, ...], log: FindingLog) -> None:
    for name in names:
        if table.has(name):
            negative = table.ok(name) & (table.values[name] < 0)
            _flag(table, log, name, "negative_amount", negative, "a positive amount (a credit is allowed: check the sign)", "warning")


def over_plan(table: Table, period: Period | None, log: FindingLog) -> None:
    """An actual more than three times its plan, on a line planned over £100k (units typed wrong)."""
    if period is None or not (table.has("actual") and table.has("month")):
        return
    actual, plan = table.values["actual"], column(table, "plan", 0)
    mask = table.ok("actual") & ~table.bad.get("plan", np.zeros(len(table), dtype=bool))
    mask &= (table.values["month"] <= period.month) & (actual > OVER_PLAN_FACTOR * plan) & (plan > OVER_PLAN_FROM_PENCE)
    shown = [format_pounds(int(a)) for a in actual[mask][: log.cap]]
    expected = [f"at most 3 times the plan of {format_pounds(int(p))} (check the units and the coding)" for p in plan[mask][: log.cap]]
    log.cells(table.where, "actual", "actual_over_3x_plan", table.rows[mask], shown, expected, "warning")


def build_frame(name: str, table: Table, computed: dict[str, np.ndarray], drop: tuple[str, ...] = ()) -> pd.DataFrame:
    """The frame's guaranteed columns in order, then every other column of the sheet."""
    guaranteed = FRAME_COLUMNS[name]
    data: dict[str, object] = {}
    for key in guaranteed:
        data[key] = computed[key] if key in computed else _stored(table, key)
    for key in table.columns:
        if key not in guaranteed and key not in drop:
            data[key] = computed.get(key, _stored(table, key))
    return pd.DataFrame(data, index=pd.RangeIndex(len(table)))


def _stored(table: Table, name: str) -> object:
    """A column as the frame holds it: a count is a nullable integer (blank = not given)."""
    if name in COUNT_COLUMNS:
        if not table.has(name):
            return pd.array([None] * len(table), dtype="Int64")
        return pd.arrays.IntegerArray(table.values[name].astype("int64"), table.blank[name] | table.bad[name])
    return column(table, name, "")


def duplicate_rows(table: Table, log: FindingLog) -> None:
    """Copies of an earlier row (a copy-paste fault): every cell the same as read.

    Cells are compared parsed ("M1" and 1 are the same month) but a blank is not the same
    as a written 0 or a written plan, so only rows typed or pasted identically match.
    """
    if len(table) < 2:
        return
    read = pd.DataFrame(
        {**{f"{n}": table.values[n] for n in table.columns}, **{f"{n} blank": table.blank[n] for n in table.columns}},
        index=pd.RangeIndex(len(table)),
    )
    hashes = pd.util.hash_pandas_object(read, index=False).to_numpy()
    candidates = ~table.row_error & pd.Series(hashes).duplicated(keep=False).to_numpy()
    if not candidates.any():
        return
    subset = read[candidates]
    group = subset.groupby(list(subset.columns), sort=False, dropna=False).ngroup().to_numpy()
    rows = table.rows[candidates]
    first_of: dict[int, int] = {}
    for key, row in zip(group.tolist(), rows.tolist()):
        first_of.setdefault(key, row)
    copies = np.flatnonzero(subset.duplicated(keep="first").to_numpy())
    shown = [f"a copy of row {first_of[g]}" for g in group[copies][: log.cap].tolist()]
    log.cells(table.where, "", "duplicate_row", rows[copies], shown, "each row once (delete the copy, or add detail that tells them apart)")


def duplicate_ids(table: Table, name: str, log: FindingLog) -> None:
    """An id used on more than one row: every use after the first is reported."""
    if not table.has(name):
        return
    ok = table.ok(name)
    ids = pd.Series(table.values[name][ok])
    repeated = ids.duplicated(keep="first").to_numpy()
    if not repeated.any():
        return
    rows = table.rows[ok]
    first: dict[object, int] = {}
    for value, row in zip(ids.tolist(), rows.tolist()):  # id sheets are registers: hundreds of rows
        first.setdefault(value, row)
    values = ids[repeated].tolist()[: log.cap]
    expected = [f"a unique {name} (first used on row {first[v]})" for v in values]
    log.cells(table.where, name, "duplicate_id", rows[repeated], values, expected)
