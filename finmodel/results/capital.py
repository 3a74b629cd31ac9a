"""Capital: CDEL excluding IFRS 16, IFRS 16 leases against the system's allocation, and other
(nationally funded) capital. Variances are plan - forecast: an underspend is positive."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from finmodel.contract import CAPITAL_PROGRAMMES
from finmodel.results.lines import sum_by
from finmodel.system_config import SystemConfig


@dataclass(frozen=True)
class CapitalOrg:
    org: str
    cdel_plan: int = 0
    cdel_forecast: int = 0
    ifrs16_plan: int = 0
    ifrs16_forecast: int = 0
    other_plan: int = 0
    other_forecast: int = 0

    def variance(self, programme: str) -> int:
        return getattr(self, f"{programme}_plan") - getattr(self, f"{programme}_forecast")


def compute_capital(capital: pd.DataFrame, system: SystemConfig) -> tuple[CapitalOrg, ...]:
    sums = sum_by(capital, ("org", "programme"), ("plan", "forecast"))
    rows = []
    for org in system.organisations:
        if not org.is_provider and not any(k[0] == org.code for k in sums):
            continue
        values: dict[str, int] = {}
        for programme in CAPITAL_PROGRAMMES:
            s = sums.get((org.code, programme), {"plan": 0, "forecast": 0})
            values[f"{programme}_plan"] = s["plan"]
            values[f"{programme}_forecast"] = s["forecast"]
        rows.append(CapitalOrg(org=org.code, **values))
    return tuple(rows)
