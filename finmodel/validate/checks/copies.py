"""Copy-paste faults: a row pasted twice, an id used twice."""

from __future__ import annotations

import numpy as np
import pandas as pd

from finmodel.validate.check import Check, check
from finmodel.validate.context import Context
from finmodel.validate.log import FindingLog
from finmodel.validate.table import Table


@check
def duplicate_rows(table: Table, ctx: Context, log: FindingLog) -> None:
    """Copies of an earlier row (a copy-paste fault): every cell the same as read.

    Cells are compared parsed ("M1" and 1 are the same month) but a blank is not the same
    as a written 0 or a written plan, so only rows typed or pasted identically match.
    """
    if len(table) < 2:
        return
    # A text column by its codes (equal codes, equal text): hashing small integers, not strings.
    cells = {n: table.codes[n][0] if n in table.codes else table.values[n] for n in table.columns}
    read = pd.DataFrame({**cells, **{f"{n} blank": table.blank[n] for n in table.columns}}, index=pd.RangeIndex(len(table)))
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


def duplicate_ids(name: str) -> Check:
    """An id used on more than one row: every use after the first is reported."""

    @check
    def duplicates(table: Table, ctx: Context, log: FindingLog) -> None:
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

    return duplicates
