"""The ledger workbooks (income, pay, nonpay, agency, the PHC budget, CIP delivery) -> frames.

Each shares the month rules and the plan/actual/forecast conventions; income, nonpay and
the PHC budget add rules on which organisation may book what.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from finmodel.close_inputs import FRAME_COLUMNS
from finmodel.contract import CONTINUING_CARE, ICB_INCOME_CATEGORIES, ICB_SERVICE_LINES, PROVIDER_INCOME_CATEGORIES
from finmodel.validate.context import Context
from finmodel.validate.log import FindingLog
from finmodel.validate.rules import (
    build_frame, column, duplicate_rows, filled, flag, measures, member, month_rules, negative_amounts, over_plan,
)
from finmodel.validate.table import Table

MEASURES = ("plan", "actual", "forecast")


def ledger_frame(
    table: Table, name: str, ctx: Context, log: FindingLog, default_driver: str = "other", org: np.ndarray | None = None
) -> pd.DataFrame:
    """A ledger sheet's frame: month rules checked, measures filled, copies found."""
    month_rules(table, ctx.period, log)
    negative_amounts(table, MEASURES, log)
    over_plan(table, ctx.period, log)
    computed = measures(table, ctx.period)
    if "driver" in FRAME_COLUMNS[name]:
        computed["driver"] = filled(table, "driver", default_driver)
    if org is not None:
        computed["org"] = org
    frame = build_frame(name, table, computed)
    duplicate_rows(table, log)
    return frame


def _is_icb(table: Table, ctx: Context) -> np.ndarray:
    return member(column(table, "org"), sorted(ctx.icb_codes))


def income_rules(table: Table, ctx: Context, log: FindingLog) -> None:
    """The ICB books only its allocation; a provider never does."""
    if ctx.system is None or not len(table):
        return
    category = column(table, "category")
    known = table.ok("org") & table.ok("category")
    is_icb = _is_icb(table, ctx)
    icb_wrong = known & is_icb & ~member(category, ICB_INCOME_CATEGORIES)
    provider_wrong = known & ~is_icb & member(category, ICB_INCOME_CATEGORIES)
    flag(table, log, "category", "org_type_mismatch", icb_wrong, "the ICB's income category 'allocation' (this org is the ICB)")
    providers = ", ".join(PROVIDER_INCOME_CATEGORIES)
    flag(table, log, "category", "org_type_mismatch", provider_wrong, f"a provider's income category: {providers} (allocation is the ICB's)")


def _code_form(values: np.ndarray) -> np.ndarray:
    return np.array([str(v).lower().replace(" ", "_").replace("-", "_") for v in values], dtype=object)


def nonpay_rules(table: Table, ctx: Context, log: FindingLog) -> None:
    """The ICB's category is a service line, and never continuing care (that is phc.xlsx)."""
    if ctx.system is None or not len(table):
        return
    icb_rows = table.ok("org") & table.ok("category") & _is_icb(table, ctx)
    if not icb_rows.any():
        return
    category = column(table, "category")
    index = np.flatnonzero(icb_rows)
    # Only the ICB's rows are looked at one by one; they are a few hundred at most.
    form = _code_form(category[index])
    care = np.zeros(len(table), dtype=bool)
    care[index[form == CONTINUING_CARE]] = True
    wrong = icb_rows & ~care & ~member(category, ICB_SERVICE_LINES)
    expected = "continuing care only in phc.xlsx (its budget sheet), not in the ICB's nonpay"
    flag(table, log, "category", "continuing_care_in_nonpay", care, expected)
    flag(table, log, "category", "org_type_mismatch", wrong, f"an ICB service line: {', '.join(ICB_SERVICE_LINES)}")


def phc_org(table: Table, ctx: Context, log: FindingLog) -> np.ndarray:
    """The commissioner of each PHC row: the org column, or the one ICB where it is absent."""
    icbs = [o.code for o in ctx.system.icbs] if ctx.system else []
    n = len(table)
    if not table.has("org"):
        if len(icbs) == 1 or ctx.system is None:
            return np.full(n, icbs[0] if icbs else "", dtype=object)
        if n:
            found = f"{len(icbs)} ICBs in system.yaml" if icbs else "no ICB in system.yaml"
            expected = "an 'org' column naming the ICB on each row (needed when there is not exactly one ICB)"
            log.add_cell(table.where, table.header_row, "org", "missing_column", found, expected)
        return np.full(n, "", dtype=object)
    org = table.values["org"].copy()
    blank = table.blank["org"]
    if len(icbs) == 1:
        org[blank] = icbs[0]
    else:
        flag(table, log, "org", "missing_value", blank, "the ICB this row belongs to (system.yaml has several)")
    not_icb = table.ok("org") & ~member(org, icbs)
    flag(table, log, "org", "org_type_mismatch", not_icb, f"an ICB: {', '.join(icbs) or 'none in system.yaml'} (PHC is the ICB's)")
    return org
