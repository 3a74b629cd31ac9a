"""agency.xlsx must reconcile to pay.xlsx's agency rows, per organisation and month, to £1.

Plan is compared for every month, actual for the months closed, forecast for the months
after. Rows that already have a cell-level error are left out, together with every
(organisation, month) they touch, so a typo is reported once and not again as a mismatch;
if such a row cannot be placed (its org or month is itself faulty) nothing is compared.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from finmodel.calendar import Period
from finmodel.contract import MONEY_COLUMNS
from finmodel.money import format_pounds
from finmodel.validate.check import check
from finmodel.validate.context import Context
from finmodel.validate.log import FindingLog
from finmodel.validate.masks import column, measures
from finmodel.validate.table import Table

TOLERANCE_PENCE = 100  # "to £1": rounding in a feeder system is not a fault
_KEYS = ["org", "month"]


def _lines(table: Table, period: Period) -> pd.DataFrame:
    """org, month, pay_type and the measures of each row, as the frames will hold them."""
    lines = {"org": column(table, "org"), "month": column(table, "month"), "pay_type": column(table, "pay_type")}
    return pd.DataFrame({**lines, **measures(table, period)}, index=pd.RangeIndex(len(table)))


def _totals(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.groupby(_KEYS, sort=True)[list(MONEY_COLUMNS)].sum()


def _touched(frame: pd.DataFrame, table: Table, relevant: np.ndarray) -> set[tuple[str, int]] | None:
    """(org, month) keys of relevant rows with errors; None when such a row cannot be placed."""
    bad = table.row_error & relevant
    if not bad.any():
        return set()
    if not (table.ok("org")[bad].all() and table.ok("month")[bad].all()):
        return None
    return set(zip(frame["org"][bad].tolist(), frame["month"][bad].tolist()))


@check
def agency_reconciles(agency_table: Table, ctx: Context, log: FindingLog) -> None:
    """agency.xlsx against pay.xlsx's agency rows, per organisation and month, to £1."""
    pay_table, period = ctx.table("pay.xlsx", "pay"), ctx.period
    if period is None or pay_table is None or not (pay_table.complete and agency_table.complete):
        return  # a sheet whose columns are in doubt is not compared
    pay, agency = _lines(pay_table, period), _lines(agency_table, period)
    # A pay row whose pay_type is itself faulty might be an agency row.
    maybe_agency = (pay["pay_type"] == "agency").to_numpy() | ~pay_table.ok("pay_type")
    pay_touched = _touched(pay, pay_table, maybe_agency)
    agency_touched = _touched(agency, agency_table, np.ones(len(agency), dtype=bool))
    if pay_touched is None or agency_touched is None:
        return  # an unplaceable row would make every comparison for its org doubtful
    pay_agency = pay[(pay["pay_type"] == "agency").to_numpy() & ~pay_table.row_error]
    detail, booked = _totals(agency[~agency_table.row_error]), _totals(pay_agency)
    keys = detail.index.union(booked.index)  # an org-month on one side only is compared with 0
    detail, booked = detail.reindex(keys, fill_value=0), booked.reindex(keys, fill_value=0)
    skip = pay_touched | agency_touched
    # Plain integers, row by row in the keys' order: .at copies the MultiIndex on every call,
    # which was most of this check at 40 providers (12 months x 3 measures x 41 organisations).
    detail_rows = detail[list(MONEY_COLUMNS)].to_numpy(dtype="int64").tolist()
    booked_rows = booked[list(MONEY_COLUMNS)].to_numpy(dtype="int64").tolist()
    for (org, month), detail_row, booked_row in zip(keys, detail_rows, booked_rows):  # a few hundred
        if (org, month) in skip:
            continue
        for measure, detail_total, pay_total in zip(MONEY_COLUMNS, detail_row, booked_row):
            if _compared(measure, int(month), period) and abs(detail_total - pay_total) > TOLERANCE_PENCE:
                log.add_cell(
                    agency_table.where, None, measure, "agency_not_reconciled",
                    f"{org} M{month}: {format_pounds(detail_total)}",
                    f"the {measure} of pay.xlsx's agency rows for {org} M{month}, {format_pounds(pay_total)} (to within £1)",
                )


def _compared(measure: str, month: int, period: Period) -> bool:
    if measure == "actual":
        return month <= period.month
    if measure == "forecast":
        return month > period.month
    return True
