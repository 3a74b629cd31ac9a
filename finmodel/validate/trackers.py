"""The registers (CIP schemes, PHC packages, capital, risks) -> frames, with their own rules."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd

from finmodel.money import format_pounds
from finmodel.validate.context import Context
from finmodel.validate.log import FindingLog
from finmodel.validate.rules import build_frame, column, duplicate_ids, duplicate_rows, flag, member, negative_amounts
from finmodel.validate.table import Table

HIGH_WEEKLY_COST_PENCE = 25_000 * 100  # a package above this is usually a typo (annual for weekly)


def cip_schemes_frame(table: Table, ctx: Context, log: FindingLog) -> pd.DataFrame:
    """Schemes with unique ids; impacts_org only where an ICB scheme's saving lands in a provider."""
    duplicate_ids(table, "scheme_id", log)
    org, impacts = column(table, "org"), column(table, "impacts_org")
    if ctx.system is not None and table.has("impacts_org"):
        given = table.ok("impacts_org")
        not_icb = given & table.ok("org") & ~member(org, ctx.icb_codes)
        flag(table, log, "impacts_org", "org_type_mismatch", not_icb, "impacts_org only on an ICB's scheme (leave it blank for a provider's own scheme)")
        not_provider = given & ~member(impacts, ctx.provider_codes)
        flag(table, log, "impacts_org", "org_type_mismatch", not_provider, "a provider, where the ICB scheme's saving lands")
    computed = {"recurrent": column(table, "recurrent") == "yes", "impacts_org": impacts}
    return build_frame("cip_schemes", table, computed)


def unknown_schemes(delivery: Table, schemes: Table, log: FindingLog) -> None:
    """Delivery rows must name a scheme of the schemes sheet."""
    if not (delivery.has("scheme_id") and schemes.has("scheme_id")):
        return
    known = schemes.values["scheme_id"][~schemes.blank["scheme_id"]]
    unknown = delivery.ok("scheme_id") & ~member(delivery.values["scheme_id"], known)
    flag(delivery, log, "scheme_id", "unknown_scheme", unknown, "a scheme_id listed on the schemes sheet")


def phc_packages_frame(table: Table, org: np.ndarray, log: FindingLog) -> pd.DataFrame:
    """Packages with unique ids, dates in order, icb_share 1 where blank."""
    duplicate_ids(table, "package_id", log)
    negative_amounts(table, ("weekly_cost",), log)
    start, end = column(table, "start_date", None), column(table, "end_date", None)
    dated = table.ok("start_date") & table.ok("end_date")
    before = np.zeros(len(table), dtype=bool)
    before[dated] = [e < s for s, e in zip(start[dated], end[dated])]  # a register: thousands of rows
    expected = [f"an end date on or after the start date {s:%d/%m/%Y}" for s in start[before][: log.cap]]
    flag(table, log, "end_date", "ends_before_starts", before, expected)
    weekly = column(table, "weekly_cost", 0)
    high = table.ok("weekly_cost") & (weekly > HIGH_WEEKLY_COST_PENCE)
    shown = np.array([format_pounds(int(w)) for w in weekly], dtype=object) if high.any() else None
    expected_cost = "a weekly cost up to £25,000 (is this an annual or monthly figure?)"
    flag(table, log, "weekly_cost", "weekly_cost_over_25k", high, expected_cost, "warning", shown)
    share = column(table, "icb_share", None).copy()
    share[~table.ok("icb_share")] = Decimal(1)
    computed = {"org": org, "icb_share": share, "end_date": np.where(table.ok("end_date"), end, None)}
    return build_frame("phc_packages", table, computed)


def capital_frame(table: Table, log: FindingLog) -> pd.DataFrame:
    """Full-year plan and forecast; a blank forecast is the plan, as for the ledger."""
    negative_amounts(table, ("plan", "forecast", "actual_ytd"), log)
    plan, forecast = column(table, "plan", 0), column(table, "forecast", 0)
    forecast_blank = table.blank["forecast"] if table.has("forecast") else np.ones(len(table), dtype=bool)
    computed = {"plan": plan, "forecast": np.where(forecast_blank, plan, forecast), "actual_ytd": column(table, "actual_ytd", 0)}
    frame = build_frame("capital", table, computed)
    duplicate_rows(table, log)
    return frame


def risks_frame(table: Table, log: FindingLog) -> pd.DataFrame:
    """The register: unique ids, a status on every mitigation, likelihood as a percentage."""
    duplicate_ids(table, "id", log)
    negative_amounts(table, ("value",), log)
    kind = column(table, "type")
    no_status = table.blank["status"] if table.has("status") else np.ones(len(table), dtype=bool)
    unstated = table.ok("type") & (kind == "mitigation") & no_status
    flag(table, log, "status", "missing_value", unstated, "a mitigation's status: identified, in_progress or delivered")
    computed = {"likelihood_pct": column(table, "likelihood", None), "status": column(table, "status")}
    return build_frame("risks", table, computed, drop=("likelihood",))
