"""Rules of the registers: CIP delivery against its schemes, PHC package dates, risk status."""

from __future__ import annotations

import numpy as np

from finmodel.validate.check import check
from finmodel.validate.context import Context
from finmodel.validate.log import FindingLog
from finmodel.validate.masks import blank, column, flag, member
from finmodel.validate.table import Table


@check
def known_schemes(table: Table, ctx: Context, log: FindingLog) -> None:
    """Delivery rows must name a scheme of the schemes sheet."""
    schemes = ctx.table("cip.xlsx", "schemes")
    if schemes is None or not (table.has("scheme_id") and schemes.has("scheme_id")):
        return
    known = schemes.values["scheme_id"][~schemes.blank["scheme_id"]]
    unknown = table.ok("scheme_id") & ~member(table.values["scheme_id"], known)
    flag(table, log, "scheme_id", "unknown_scheme", unknown, "a scheme_id listed on the schemes sheet")


@check
def package_dates(table: Table, ctx: Context, log: FindingLog) -> None:
    """A package cannot end before it starts."""
    start, end = column(table, "start_date", None), column(table, "end_date", None)
    dated = table.ok("start_date") & table.ok("end_date")
    before = np.zeros(len(table), dtype=bool)
    before[dated] = [e < s for s, e in zip(start[dated], end[dated])]  # a register: thousands of rows
    expected = [f"an end date on or after the start date {s:%d/%m/%Y}" for s in start[before][: log.cap]]
    flag(table, log, "end_date", "ends_before_starts", before, expected)


@check
def mitigation_status(table: Table, ctx: Context, log: FindingLog) -> None:
    """Every mitigation says how far it has got."""
    unstated = table.ok("type") & (column(table, "type") == "mitigation") & blank(table, "status")
    flag(table, log, "status", "missing_value", unstated, "a mitigation's status: identified, in_progress or delivered")


@check
def package_starts(table: Table, ctx: Context, log: FindingLog) -> None:
    """A package starting after the year, or costing £0 a week, adds nothing this year: is it meant?"""
    if ctx.year is not None and table.has("start_date"):
        start = column(table, "start_date", None)
        last = ctx.year.last_day
        later = table.ok("start_date") & np.array([s is not None and s > last for s in start.tolist()], dtype=bool)
        expected = f"a start date up to {last:%d/%m/%Y}, the end of {ctx.year.label} (a package starting later costs nothing this year)"
        flag(table, log, "start_date", "starts_after_year", later, expected, "warning")
    if table.has("weekly_cost"):
        free = table.ok("weekly_cost") & (table.values["weekly_cost"] == 0)
        shown = np.full(len(table), "£0.00", dtype=object)
        flag(table, log, "weekly_cost", "zero_weekly_cost", free, "a weekly cost above £0 (is the cost missing?)", "warning", shown)
