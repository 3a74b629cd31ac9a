"""The close month divides a ledger line: actuals up to it and only then, forecasts after."""

from __future__ import annotations

import numpy as np

from finmodel.validate.check import check
from finmodel.validate.context import Context
from finmodel.validate.log import FindingLog
from finmodel.validate.masks import flag_amounts
from finmodel.validate.table import Table


@check
def close_month(table: Table, ctx: Context, log: FindingLog) -> None:
    """Actuals up to the close month and only then; forecasts only after it."""
    period = ctx.period
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
    flag_amounts(table, log, "actual", "actual_missing", closed & no_actual, f"an actual for every month up to the close month M{m} (write 0 for none)")
    flag_amounts(table, log, "actual", "actual_after_close", after & table.ok("actual"), f"no actual after the close month M{m} (leave it blank)")
    flag_amounts(table, log, "forecast", "forecast_before_close", closed & table.ok("forecast"), f"no forecast up to the close month M{m} (leave it blank)")
