"""Total and subtotal rows: a row that adds up rows above it would count them twice.

A row labelled total or subtotal is found as its cells are read (``table``). This finds
the unlabelled ones: a row whose plan, actual and forecast are each the sum of the rows
directly above it of the same organisation, month and line (``contract.LINE_COLUMNS``) --
the block a finance user subtotals. By chance alone this is rare, and it is made rarer by
what is required:

- at least two rows summed, two of them not zero: a row equal to the one row above it is a
  repeated figure (or a copy: ``duplicate_row``), and 100 + 0 = 100 is no total;
- all three amounts equal at once, the row itself not all zero;
- the same organisation, month and line throughout, in consecutive rows;
- no cost centre on the row (or none on the sheet): a genuine third cost centre whose
  figures happen to equal the other two together has its own cost centre.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from finmodel.contract import LINE_COLUMNS, MONEY_COLUMNS
from finmodel.validate.check import check
from finmodel.validate.context import Context
from finmodel.validate.log import FindingLog
from finmodel.validate.masks import blank, column
from finmodel.validate.table import TOTAL_ROW_EXPECTED, Table

_SUMS = [f"sum_{m}" for m in MONEY_COLUMNS]


@check
def sum_rows(table: Table, ctx: Context, log: FindingLog) -> None:
    """Rows whose amounts are the sum of two or more rows directly above of the same line and month."""
    keys = [*LINE_COLUMNS.get(table.where, ()), "month"]
    if len(table) < 3 or not all(table.has(k) for k in keys):
        return
    amounts = np.stack([column(table, m, 0) for m in MONEY_COLUMNS], axis=1)
    fine = ~table.row_error
    candidates = fine & blank(table, "cost_centre") & amounts.any(axis=1)
    if not candidates.any():
        return  # every row has its cost centre (most exports): no row can be a subtotal
    block = _blocks(table, keys, fine)
    position = np.arange(len(table)) - np.searchsorted(block, block)  # rows above in the block
    candidates &= position >= 2
    if not candidates.any():
        return
    before = np.vstack([np.zeros((1, 3), dtype=np.int64), np.cumsum(amounts, axis=0)])[:-1]  # sum of rows above
    nonzero_before = np.concatenate([[0], np.cumsum(amounts.any(axis=1))])[:-1]
    wanted = np.isin(block, np.unique(block[candidates]))
    starts = pd.DataFrame({"block": block[wanted], **dict(zip(_SUMS, before[wanted].T)), "start": np.flatnonzero(wanted)})
    starts = starts.drop_duplicates(["block", *_SUMS], keep="first")
    index = np.flatnonzero(candidates)
    targets = pd.DataFrame({"block": block[index], **dict(zip(_SUMS, (before[index] - amounts[index]).T)), "row": index})
    found = targets.merge(starts, on=["block", *_SUMS], how="inner")
    found = found[(found["start"] <= found["row"] - 2) & (nonzero_before[found["row"]] - nonzero_before[found["start"]] >= 2)]
    found = found.sort_values("row")
    rows, first, last = table.rows[found["row"]], table.rows[found["start"]], table.rows[found["row"] - 1]
    shown = [f"the sum of rows {a} {'and' if b == a + 1 else 'to'} {b}" for a, b in zip(first[: log.cap].tolist(), last[: log.cap].tolist())]
    log.cells(table.where, "", "total_row", rows, shown, TOTAL_ROW_EXPECTED)


def _blocks(table: Table, keys: list[str], fine: np.ndarray) -> np.ndarray:
    """A number per run of consecutive error-free rows of the same line and month (non-decreasing)."""
    same = fine[1:] & fine[:-1]
    for key in keys:
        values = table.values[key]
        same &= values[1:] == values[:-1]
    return np.concatenate([[0], np.cumsum(~same)])
