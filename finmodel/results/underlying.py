"""The underlying position and the exit run rate (domain.md, "Underlying position").

A forecast outturn met with one-off measures passes the problem to next year, so the board
sees the bridge FOT -> underlying position -> exit run rate, per organisation:

- one-off items are the ledger rows whose ``recurrence`` is ``non_recurrent`` and the CIP
  schemes whose ``recurrent`` flag is ``no``. A scheme's saving is already inside pay and
  non-pay, so it is taken out once, from the tracker, at its submitted FOT (YTD actual +
  submitted forecast, the basis of the FOT itself), in the books of the organisation it
  lands in (``impacts_org``, else its own). A non_recurrent ledger row tagged ``efficiency``
  is a CIP saving's row: counted as recurrent (validation warns), so nothing is taken twice;
- a pooled budget risk share (results/pooled.py) is a one-off cost (a gain share a negative
  one): it settles this year's variance of a pool under this year's agreement, and sits in
  month 12 as one figure for the year, which an M12-based run rate x 12 would multiply;
- underlying = FOT - one-off income + one-off costs - non-recurrent CIP, in surplus terms;
- the exit run rate is the recurrent position of a month at the year's end x 12, by
  ``parameters.exit_run_rate``: ``last_quarter``, the monthly average of the last full
  quarter closed (Q1 = M1-M3 ... Q4 = M10-M12; at M1 and M2, before any quarter has closed,
  the months closed so far), or ``m12_forecast``, month 12 as forecast (actual at M12).
  Each figure is rounded once, half away from zero: exit = sum x 12 / months, monthly
  average = sum / months (a full quarter's exit is the sum x 4, exact).

Pure: frames and results in, frozen records out. Totals (providers, ICS, groups) are the
field-wise sums of the organisations' records (results/board.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from finmodel.money import divide_round
from finmodel.results.lines import monthly, sum_by
from finmodel.results.pooled import POOLED_LINE
from finmodel.results.position import OrgPosition
from finmodel.system_config import SystemConfig

NON_RECURRENT = "non_recurrent"
EFFICIENCY = "efficiency"  # the driver of a CIP saving's ledger rows
_ZEROS = (0,) * 12


@dataclass(frozen=True)
class UnderlyingPosition:
    """One organisation's bridge; every amount in pence, in surplus terms unless said."""

    org: str
    fot: int = 0  # the submitted FOT surplus/(deficit), as the position reports it
    one_off_income: int = 0  # non-recurrent income in the FOT (positive = income)
    one_off_costs: int = 0  # non-recurrent expenditure in the FOT (positive = cost)
    non_recurrent_cip: int = 0  # non-recurrent CIP savings in the FOT (positive = saving)
    recurrent_month: int = 0  # the recurrent monthly position the exit run rate is made from
    exit_run_rate: int = 0  # recurrent_month's basis x 12, rounded once

    @property
    def one_off_effect(self) -> int:
        """What one-off items add to the FOT: income and savings in, costs out."""
        return self.one_off_income - self.one_off_costs + self.non_recurrent_cip

    @property
    def underlying(self) -> int:
        """FOT without its one-off items: income and savings taken out, costs added back."""
        return self.fot - self.one_off_effect

    @property
    def exit_vs_underlying(self) -> int:
        """Exit run rate - underlying position: the year-end run rate against the year's."""
        return self.exit_run_rate - self.underlying


@dataclass(frozen=True)
class Underlying:
    rule: str  # parameters.exit_run_rate
    first_month: int  # the months the exit run rate is made from, first..last
    last_month: int
    rows: tuple[UnderlyingPosition, ...]  # in system.yaml order

    @property
    def months(self) -> int:
        return self.last_month - self.first_month + 1


def exit_months(rule: str, month: int) -> tuple[int, int]:
    """(first, last) month of the exit run rate's basis at a close in ``month``."""
    if rule == "m12_forecast":
        return 12, 12
    quarter = month // 3  # the last full quarter closed: M3 closes Q1, M6 Q2, M9 Q3, M12 Q4
    return (3 * quarter - 2, 3 * quarter) if quarter else (1, month)


def _one_offs(ledger: pd.DataFrame) -> pd.DataFrame:
    """Ledger rows taken out: non_recurrent, except a CIP saving's (driver efficiency)."""
    if "recurrence" not in ledger.columns:  # a ledger made before rows had one: all recurrent
        ledger = ledger.iloc[:0].assign(recurrence="")
    rows = (ledger["recurrence"] == NON_RECURRENT) & (ledger["driver"] != EFFICIENCY)
    one_off = ledger.loc[rows.to_numpy(), ["org", "month", "sign", "actual", "forecast"]]
    outturn = one_off["actual"] + one_off["forecast"]
    return one_off.assign(outturn=outturn, surplus=outturn * one_off["sign"])


def _cip_by_month(schemes: pd.DataFrame, delivery: pd.DataFrame) -> dict[tuple, tuple[int, ...]]:
    """Non-recurrent schemes' delivery by landing organisation and month (actual + forecast)."""
    if schemes.empty or delivery.empty:
        return {}
    one_off = schemes.loc[~schemes["recurrent"].astype(bool).to_numpy()]
    lands = np.where(one_off["impacts_org"].fillna("").astype(str) != "", one_off["impacts_org"], one_off["org"])
    lands_in = pd.Series(lands, index=one_off["scheme_id"].to_numpy())
    mine = delivery.loc[delivery["scheme_id"].isin(lands_in.index).to_numpy()]
    saved = mine.assign(org=lands_in.reindex(mine["scheme_id"].to_numpy()).to_numpy(), saved=mine["actual"] + mine["forecast"])
    return monthly(saved, "saved", ("org",))


def compute_underlying(
    positions: tuple[OrgPosition, ...], ledger: pd.DataFrame, schemes: pd.DataFrame, delivery: pd.DataFrame,
    system: SystemConfig, month: int,
) -> Underlying:
    rule = system.parameters.exit_run_rate
    first, last = exit_months(rule, month)
    one_off = _one_offs(ledger)
    by_sign = sum_by(one_off, ("org", "sign"), ("outturn",))
    one_off_monthly = monthly(one_off, "surplus", ("org",))
    cip_monthly = _cip_by_month(schemes, delivery)
    rows = []
    for p in positions:
        saved, ledger_months = cip_monthly.get((p.org,), _ZEROS), one_off_monthly.get((p.org,), _ZEROS)
        pooled = p.line(POOLED_LINE)
        share_cost = pooled.forecast if pooled is not None else 0  # expenditure: + is a cost
        ledger_months = (*ledger_months[:11], ledger_months[11] - share_cost)
        recurrent = [
            p.monthly_actual[m] + p.monthly_forecast[m] - ledger_months[m] - saved[m] for m in range(first - 1, last)
        ]
        n = last - first + 1
        rows.append(
            UnderlyingPosition(
                org=p.org,
                fot=p.surplus.fot,
                one_off_income=by_sign.get((p.org, 1), {"outturn": 0})["outturn"],
                one_off_costs=by_sign.get((p.org, -1), {"outturn": 0})["outturn"] + share_cost,
                non_recurrent_cip=sum(saved),
                recurrent_month=divide_round(sum(recurrent), n),
                exit_run_rate=divide_round(sum(recurrent) * 12, n),
            )
        )
    return Underlying(rule, first, last, tuple(rows))
