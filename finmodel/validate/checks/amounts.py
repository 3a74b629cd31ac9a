"""Amounts that are allowed but unusual: credits, actuals far above plan, costly packages."""

from __future__ import annotations

import numpy as np

from finmodel.money import format_pounds
from finmodel.validate.check import Check, check
from finmodel.validate.context import Context
from finmodel.validate.log import FindingLog
from finmodel.validate.masks import column, flag, flag_amounts
from finmodel.validate.table import Table

OVER_PLAN_FACTOR = 3
OVER_PLAN_FROM_PENCE = 100_000 * 100  # only lines planned over £100k: small lines swing by nature
HIGH_WEEKLY_COST_PENCE = 25_000 * 100  # a package above this is usually a typo (annual for weekly)


def negative_amounts(*names: str) -> Check:
    """A credit in any of the named amount columns: allowed, and reported so it is checked."""

    @check
    def negative(table: Table, ctx: Context, log: FindingLog) -> None:
        for name in names:
            if table.has(name):
                below = table.ok(name) & (table.values[name] < 0)
                flag_amounts(table, log, name, "negative_amount", below, "a positive amount (a credit is allowed: check the sign)", "warning")

    return negative


@check
def over_plan(table: Table, ctx: Context, log: FindingLog) -> None:
    """An actual more than three times its plan, on a line planned over £100k (units typed wrong)."""
    if ctx.period is None or not (table.has("actual") and table.has("month")):
        return
    actual, plan = table.values["actual"], column(table, "plan", 0)
    mask = table.ok("actual") & ~table.bad.get("plan", np.zeros(len(table), dtype=bool))
    mask &= (table.values["month"] <= ctx.period.month) & (actual > OVER_PLAN_FACTOR * plan) & (plan > OVER_PLAN_FROM_PENCE)
    shown = [format_pounds(int(a)) for a in actual[mask][: log.cap]]
    expected = [f"at most 3 times the plan of {format_pounds(int(p))} (check the units and the coding)" for p in plan[mask][: log.cap]]
    log.cells(table.where, "actual", "actual_over_3x_plan", table.rows[mask], shown, expected, "warning")


@check
def weekly_cost(table: Table, ctx: Context, log: FindingLog) -> None:
    """A PHC package over £25,000 a week is usually an annual or monthly figure."""
    weekly = column(table, "weekly_cost", 0)
    high = table.ok("weekly_cost") & (weekly > HIGH_WEEKLY_COST_PENCE)
    shown = np.array([format_pounds(int(w)) for w in weekly], dtype=object) if high.any() else None
    expected = "a weekly cost up to £25,000 (is this an annual or monthly figure?)"
    flag(table, log, "weekly_cost", "weekly_cost_over_25k", high, expected, "warning", shown)
