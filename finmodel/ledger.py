"""Typed input frames -> one long ledger of income and expenditure.

Each row is one input line for one month: organisation, month, source workbook, line group
(the board's rows: income, pay, non-pay, non-operating for providers; allocation and the
service lines for the ICB, continuing care coming from phc.xlsx), detail, driver, and the
measures plan, actual and submitted forecast in pence. ``sign`` turns an amount into its
effect on surplus: +1 for income, -1 for expenditure, so a variance in surplus terms is
always ``sign * (actual - plan)`` and never depends on which side of the account it is.

agency.xlsx is not in the ledger: it is detail of the pay lines (its own reconciliation
makes sure of that), and adding it would count agency twice.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from finmodel.close_inputs import CloseInputs
from finmodel.contract import CONTINUING_CARE

LEDGER_COLUMNS = (
    "org",
    "month",
    "source",
    "line_group",
    "line",
    "driver",
    "staff_group",
    "pay_type",
    "kind",
    "cost_centre",
    "subjective",
    "description",
    "sign",
    "plan",
    "actual",
    "forecast",
)
MEASURES = ("plan", "actual", "forecast")
INCOME_GROUPS = ("income", "allocation")


def _detail(frame: pd.DataFrame, column: str) -> pd.Series:
    if column in frame.columns:
        return frame[column].astype("string").fillna("").astype(object)
    return pd.Series([""] * len(frame), index=frame.index, dtype=object)


def _rows(frame: pd.DataFrame, source: str, line_group: pd.Series | str, line: pd.Series, sign: int) -> pd.DataFrame:
    n = len(frame)
    out = {
        "org": frame["org"].astype(object).to_numpy(),
        "month": frame["month"].to_numpy(dtype="int64"),
        "source": np.full(n, source, dtype=object),
        "line_group": np.full(n, line_group, dtype=object) if isinstance(line_group, str) else line_group.to_numpy(dtype=object),
        "line": line.astype(object).to_numpy(),
        "driver": frame["driver"].astype(object).to_numpy(),
        "staff_group": _detail(frame, "staff_group").to_numpy(),
        "pay_type": _detail(frame, "pay_type").to_numpy(),
        "kind": _detail(frame, "kind").to_numpy(),
        "cost_centre": _detail(frame, "cost_centre").to_numpy(),
        "subjective": _detail(frame, "subjective").to_numpy(),
        "description": _detail(frame, "description").to_numpy(),
        "sign": np.full(n, sign, dtype="int64"),
    }
    for measure in MEASURES:
        out[measure] = frame[measure].to_numpy(dtype="int64")
    return pd.DataFrame(out, columns=list(LEDGER_COLUMNS))


def build_ledger(inputs: CloseInputs) -> pd.DataFrame:
    """One long frame of every income and expenditure line, in a canonical row order.

    The order is a sort on every column, so the ledger (and everything built from it) is
    the same whatever order the workbooks listed their rows in.
    """
    icbs = {o.code for o in inputs.system.icbs}

    income = inputs.income
    is_icb = income["org"].isin(icbs)
    income_group = pd.Series(np.where(is_icb, "allocation", "income"), index=income.index)

    pay = inputs.pay
    # An ICB's own staff are its running costs (the board's "ICB running costs" line).
    pay_group = pd.Series(np.where(pay["org"].isin(icbs), "running_costs", "pay"), index=pay.index)

    nonpay = inputs.nonpay
    provider_group = np.where(nonpay["kind"] == "non_operating", "non_operating", "non_pay")
    nonpay_group = pd.Series(np.where(nonpay["org"].isin(icbs), nonpay["category"], provider_group), index=nonpay.index)

    phc = inputs.phc_budget
    parts = [
        _rows(income, "income", income_group, income["category"], +1),
        _rows(pay, "pay", pay_group, pay["pay_type"], -1),
        _rows(nonpay, "nonpay", nonpay_group, nonpay["category"], -1),
        _rows(phc, "phc", CONTINUING_CARE, phc["service"], -1),
    ]
    ledger = pd.concat([p for p in parts if len(p)], ignore_index=True) if any(len(p) for p in parts) else parts[0]
    return canonical_order(ledger)


def canonical_order(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows sorted on every column (stable, total), index reset."""
    if frame.empty:
        return frame.reset_index(drop=True)
    return frame.sort_values(list(frame.columns), kind="mergesort", ignore_index=True)
