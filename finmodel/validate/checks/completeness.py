"""A forgotten file or line is never read as zero (inputs.md, "Completeness").

- Every provider has income, pay and nonpay rows; every ICB has its allocation (income) and
  service-line rows (nonpay). Which service lines an ICB commissions is not in system.yaml,
  so a wholly deleted service line cannot be told from one the ICB does not buy. So a header-only workbook is an error
  wherever an organisation of system.yaml must fill it.
- Every line (an organisation's rows with the same codes, cost centre and subjective) has a
  row for each month of the year: a plan for every month, so an actual for every closed one.

A row with its own fault in the org, month or a line column is left out, and so is every
line it could belong to: one typo gives one finding.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from finmodel.contract import is_provider
from finmodel.validate.check import Check, check
from finmodel.validate.context import Context
from finmodel.validate.log import FindingLog
from finmodel.validate.masks import column, member
from finmodel.validate.table import Table

# What tells one line from another: never the month, the amounts, the driver or the description.
LINE_COLUMNS = ("org", "category", "staff_group", "pay_type", "kind", "service", "cost_centre", "subjective", "counterparty", "recurrence")
MONTHS = range(1, 13)


def provider_rows(what: str) -> Check:
    """Every provider of system.yaml has rows on this sheet (``what``: 'income', 'pay', ...)."""

    @check
    def providers_have_rows(table: Table, ctx: Context, log: FindingLog) -> None:
        if ctx.system is None or not _orgs_known(table):
            return
        present = set(column(table, "org").tolist())
        for org in ctx.system.organisations:
            if is_provider(org.type) and org.code not in present:
                found = f"no {what} rows for {org.code}"
                expected = f"{what} rows for every provider, {org.code} ({org.type}) included (a missing line is never read as zero)"
                log.add_cell(table.where, None, "org", "missing_lines", found, expected)

    return providers_have_rows


def icb_rows(categories: tuple[str, ...], what: str, each: bool = True) -> Check:
    """Every ICB has rows of each of ``categories`` on this sheet (of one of them: ``each=False``)."""

    @check
    def icb_has_rows(table: Table, ctx: Context, log: FindingLog) -> None:
        if ctx.system is None or not _orgs_known(table) or table.bad["category"].any():
            return
        org, category = column(table, "org"), column(table, "category")
        for icb in ctx.system.icbs:
            booked = set(category[org == icb.code].tolist())
            if each:
                missing = [c for c in categories if c not in booked]
            else:
                missing = [] if booked & set(categories) else ["service line"]
            for name in missing:
                expected = f"{what} for every ICB, {icb.code} included (a missing line is never read as zero)"
                log.add_cell(table.where, None, "category", "missing_lines", f"no {name} rows for {icb.code}", expected)

    return icb_has_rows


def _orgs_known(table: Table) -> bool:
    """Whose rows are here is known: a faulty org cell could be anyone's (and is reported)."""
    return table.complete and table.has("org") and not table.bad["org"].any()


@check
def every_month(table: Table, ctx: Context, log: FindingLog) -> None:
    """Each line has a row for every month M1..M12."""
    if not table.complete or not len(table) or not table.has("month"):
        return
    keys = [name for name in LINE_COLUMNS if table.has(name)]
    faulty = np.zeros(len(table), dtype=bool)
    for name in (*keys, "month"):
        faulty |= table.bad[name]
    lines = pd.DataFrame({name: column(table, name) for name in keys})
    line = lines.groupby(keys, sort=False, dropna=False).ngroup().to_numpy()
    # A line touched by a faulty cell is left out, and so is its org's every line when the
    # faulty cell is one of the line's own (the row could belong to any of them).
    doubtful = np.zeros(line.max() + 1, dtype=bool)
    doubtful[line[faulty]] = True
    if faulty.any() and "org" in keys:
        doubtful[line[member(column(table, "org"), set(column(table, "org")[faulty].tolist()))]] = True
    month = column(table, "month", 0)
    valid = ~faulty & (month >= 1) & (month <= 12)
    pairs = pd.DataFrame({"line": line[valid], "month": month[valid]}).drop_duplicates()
    counts = np.bincount(pairs["line"].to_numpy(), minlength=len(doubtful))
    short = np.flatnonzero((counts < len(MONTHS)) & (counts > 0) & ~doubtful)
    if not len(short):
        return
    first_index = pd.Series(np.arange(len(table))).groupby(line).min().to_numpy()
    months_of = pairs[pairs["line"].isin(short[: log.cap])].groupby("line")["month"].agg(lambda m: set(m.tolist()))
    for number in short[: log.cap].tolist():
        first = int(first_index[number])
        label = " / ".join(str(v) for v in lines.iloc[first].tolist() if str(v) != "")
        missing = ", ".join(f"M{m}" for m in MONTHS if m not in months_of[number])
        expected = "a row for every month M1..M12 of each line (write a plan of 0 rather than delete the row)"
        log.add_cell(table.where, int(table.rows[first]), "month", "missing_month", f"{label}: no row for {missing}", expected, limit=200)
    if len(short) > log.cap:  # counted, not built: the log summarises them
        log.cells(table.where, "month", "missing_month", table.rows[first_index[short[log.cap :]]], [], "")
