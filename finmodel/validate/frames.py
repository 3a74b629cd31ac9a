"""Checked tables -> the typed frames of ``close_inputs``: pure, and built only when the
checks found no error, so a frame never has to guard against a faulty cell."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import numpy as np
import pandas as pd

from finmodel.close_inputs import FRAME_COLUMNS
from finmodel.contract import RECURRENCES, WORKBOOKS
from finmodel.validate.checks.org_types import phc_commissioner
from finmodel.validate.context import Context
from finmodel.validate.masks import blank, column, filled, measures
from finmodel.validate.table import Table

Builder = Callable[[Table, Context], pd.DataFrame]
RECURRENT = RECURRENCES[0]
COUNT_COLUMNS = frozenset(c.name for w in WORKBOOKS for s in w.sheets for c in s.columns if c.kind == "count")


def ledger(name: str, default_driver: str = "other") -> Builder:
    """A ledger sheet's frame: the measures by the close conventions, the driver filled."""

    def build(table: Table, ctx: Context) -> pd.DataFrame:
        computed = measures(table, ctx.period)
        if "driver" in FRAME_COLUMNS[name]:
            computed["driver"] = filled(table, "driver", default_driver)
        if table.has("recurrence"):  # a blank is the default, so the ledger never sees ""
            computed["recurrence"] = filled(table, "recurrence", RECURRENT)
        if name == "phc_budget":
            computed["org"] = phc_commissioner(table, ctx)
        return build_frame(name, table, computed)

    return build


def cip_schemes(table: Table, ctx: Context) -> pd.DataFrame:
    computed = {"recurrent": column(table, "recurrent") == "yes", "impacts_org": column(table, "impacts_org")}
    return build_frame("cip_schemes", table, computed)


def phc_packages(table: Table, ctx: Context) -> pd.DataFrame:
    """icb_share 1 where blank; end_date None where the package is open."""
    share = column(table, "icb_share", None).copy()
    share[~table.ok("icb_share")] = Decimal(1)
    end = column(table, "end_date", None)
    computed = {"org": phc_commissioner(table, ctx), "icb_share": share, "end_date": np.where(table.ok("end_date"), end, None)}
    return build_frame("phc_packages", table, computed)


def capital(table: Table, ctx: Context) -> pd.DataFrame:
    """Full-year plan and forecast; a blank forecast is the plan, as for the ledger."""
    plan, forecast = column(table, "plan", 0), column(table, "forecast", 0)
    computed = {"plan": plan, "forecast": np.where(blank(table, "forecast"), plan, forecast), "actual_ytd": column(table, "actual_ytd", 0)}
    return build_frame("capital", table, computed)


def risks(table: Table, ctx: Context) -> pd.DataFrame:
    """Likelihood as a percentage (a word already mapped by system.yaml)."""
    computed = {"likelihood_pct": column(table, "likelihood", None), "status": column(table, "status")}
    return build_frame("risks", table, computed, drop=("likelihood",))


def pooled_contributions(table: Table, ctx: Context) -> pd.DataFrame:
    """month 0 where the contribution is the fund's full year (no month given)."""
    month = np.where(table.ok("month"), table.values["month"], 0) if table.has("month") else np.zeros(len(table), dtype="int64")
    return build_frame("pooled_contributions", table, {"month": month.astype("int64")})


def plain(name: str) -> Builder:
    """A sheet's frame as read: its guaranteed columns (a blank month is 0)."""

    def build(table: Table, ctx: Context) -> pd.DataFrame:
        return build_frame(name, table, {})

    return build


def build_frame(name: str, table: Table, computed: dict[str, np.ndarray], drop: tuple[str, ...] = ()) -> pd.DataFrame:
    """The frame's guaranteed columns in order, then every other column of the sheet."""
    guaranteed = FRAME_COLUMNS[name]
    data: dict[str, object] = {}
    for key in guaranteed:
        data[key] = computed[key] if key in computed else _stored(table, key)
    for key in table.columns:
        if key not in guaranteed and key not in drop:
            data[key] = computed.get(key, _stored(table, key))
    return pd.DataFrame(data, index=pd.RangeIndex(len(table)))


def _stored(table: Table, name: str) -> object:
    """A column as the frame holds it: a count is a nullable integer (blank = not given)."""
    if name in COUNT_COLUMNS:
        if not table.has(name):
            return pd.array([None] * len(table), dtype="Int64")
        return pd.arrays.IntegerArray(table.values[name].astype("int64"), table.blank[name] | table.bad[name])
    return column(table, name, "")
