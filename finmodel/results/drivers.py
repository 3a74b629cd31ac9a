"""Drivers of variance: each organisation's YTD variance split by the rows' driver tags.

Every ledger row carries exactly one driver ("other" where the input gave none), so the
drivers add up exactly to the organisation's total variance: "other" is the residual by
construction, not a balancing figure.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from finmodel.contract import DRIVERS
from finmodel.results.lines import ytd_measures
from finmodel.system_config import SystemConfig


@dataclass(frozen=True)
class OrgDrivers:
    org: str
    industrial_action_cost: int = 0
    industrial_action_funding: int = 0
    inflation: int = 0
    agency_escalation: int = 0
    efficiency: int = 0
    vacancies: int = 0
    phc: int = 0
    erf: int = 0
    other: int = 0
    cip_tracker_variance: int = 0  # YTD variance of the CIP tracker, to set beside `efficiency`

    @property
    def total(self) -> int:
        return sum(getattr(self, d) for d in DRIVERS)

    @property
    def total_excl_erf(self) -> int:
        return self.total - self.erf

    @property
    def efficiency_vs_cip_tracker(self) -> int:
        """Efficiency driver - CIP tracker variance: timing or delivery booked elsewhere."""
        return self.efficiency - self.cip_tracker_variance


def compute_drivers(
    ledger: pd.DataFrame, system: SystemConfig, month: int, cip_variance: dict[str, int]
) -> tuple[OrgDrivers, ...]:
    frame = ytd_measures(ledger, month)
    variance = (frame["actual"] - frame["ytd_plan"]) * frame["sign"]
    sums = variance.groupby([frame["org"], frame["driver"]], sort=True).sum()
    by_org: dict[str, dict[str, int]] = {}
    for (org, driver), value in zip(sums.index, sums.to_numpy(dtype="int64").tolist()):
        by_org.setdefault(org, {})[driver] = value
    return tuple(
        OrgDrivers(org=o.code, cip_tracker_variance=cip_variance.get(o.code, 0), **by_org.get(o.code, {}))
        for o in system.organisations
    )
