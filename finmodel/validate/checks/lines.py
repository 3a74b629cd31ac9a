"""Every planned line has a row for every month of the year (inputs.md, "Completeness").

A deleted month of one line (one month's income row gone) would otherwise close valid with
that month read as zero. A *line* is the organisation and the columns that say what is
booked (``category``; ``staff_group`` and ``pay_type``; ...) and, where the sheet has one,
the ``cost_centre``. The driver, subjective, description and extra columns are detail: one
line may be split over several rows of a month by them, and a month needs only one.

A line must have a row for every month 1..12 when any of its rows has a plan: a planned
line is phased over the whole year (0 where nothing is planned). A line with no plan at all
(an unplanned one-off, booked in the month it happened) is read as it is. Within a month,
every row needs its actual up to the close month (``months.close_month``), so a line with
a row for every month has an actual for every closed month.

Run only on a sheet with no other error (a faulty month or line cell could be the missing
one, and one typo gives one finding).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from finmodel.calendar import MONTHS
from finmodel.validate.check import Check, check
from finmodel.validate.checks.org_types import phc_commissioner
from finmodel.validate.context import Context
from finmodel.validate.log import FindingLog
from finmodel.validate.masks import column
from finmodel.validate.table import Table

DETAIL_KEY = "cost_centre"  # the one detail column that is part of a line where present


def line_months(*line_columns: str) -> Check:
    """Each planned line of ``line_columns`` (+ cost centre) has a row for every month."""

    @check
    def every_month(table: Table, ctx: Context, log: FindingLog) -> None:
        if not (table.complete and len(table) and table.has("month")):
            return
        keys = [c for c in (*line_columns, DETAIL_KEY) if table.has(c)]
        line, first = _line_numbers(table, keys)
        present = np.zeros((len(first), len(MONTHS)), dtype=bool)
        present[line, table.values["month"] - 1] = True
        planned = np.zeros(len(first), dtype=bool)
        planned[line[column(table, "plan", 0) != 0]] = True
        gaps = planned & ~present.all(axis=1)
        if not gaps.any():
            return
        closed = f"M{ctx.period.month}" if ctx.period else "the close month"
        expected = (
            f"a row for every month M1..M12 of each planned line: its plan, and its actual up to {closed} "
            "(write 0 where there is none; a missing month is never read as zero)"
        )
        labels = _labels(table, ctx, keys, line_columns)
        for number in np.flatnonzero(gaps).tolist():
            missing = [m for m in MONTHS if not present[number, m - 1]]
            found = f"{labels(int(first[number]))}: no {'row' if len(missing) == 1 else 'rows'} for {_months(missing)}"
            log.add_cell(table.where, None, "month", "missing_months", found, expected, limit=200)

    return every_month


def _line_numbers(table: Table, keys: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(line number of each row, index of each line's first row), by hashing the key columns."""
    codes = pd.DataFrame({k: pd.factorize(table.values[k])[0] for k in keys}, index=pd.RangeIndex(len(table)))
    line = codes.groupby(keys, sort=False).ngroup().to_numpy()
    first = np.full(int(line.max()) + 1, len(line), dtype=np.int64)
    np.minimum.at(first, line, np.arange(len(line)))
    return line, first


def _labels(table: Table, ctx: Context, keys: list[str], line_columns: tuple[str, ...]):  # type: ignore[no-untyped-def]
    """Row index -> the line as a finance user names it: 'ACUTE1 Nursing agency (cost centre 101)'."""
    owner = _owner(table, ctx)

    def label(index: int) -> str:
        parts = [str(table.values[k][index]) for k in keys if k != DETAIL_KEY and table.ok(k)[index]]
        if owner is not None and owner[index]:
            parts.insert(0, str(owner[index]))
        text = " ".join(parts)
        if DETAIL_KEY in keys and table.ok(DETAIL_KEY)[index]:
            text += f" (cost centre {table.values[DETAIL_KEY][index]})"
        return text

    return label


def _owner(table: Table, ctx: Context) -> np.ndarray | None:
    """The organisation of rows whose sheet names it elsewhere: PHC's commissioner, a scheme's org."""
    if table.sheet == "budget" and not table.has("org"):
        return phc_commissioner(table, ctx)
    schemes = ctx.table("cip.xlsx", "schemes")
    if table.sheet == "delivery" and schemes is not None and schemes.has("org") and schemes.has("scheme_id"):
        org_of = dict(zip(schemes.values["scheme_id"].tolist(), schemes.values["org"].tolist()))
        return np.array([org_of.get(s, "") for s in column(table, "scheme_id").tolist()], dtype=object)
    return None


def _months(months: list[int]) -> str:
    """[3, 4, 5, 9] -> 'M3-M5, M9': runs shown as ranges."""
    runs: list[list[int]] = []
    for month in months:
        if runs and month == runs[-1][-1] + 1:
            runs[-1].append(month)
        else:
            runs.append([month])
    return ", ".join(f"M{r[0]}-M{r[-1]}" if len(r) > 2 else ", ".join(f"M{m}" for m in r) for r in runs)
