"""Risks and mitigations: the register at full value, as boards report it.

Net (mitigated) impact = potential risk - mitigations; risk-adjusted FOT = FOT - net impact;
further mitigations required = what must still be found for the risk-adjusted FOT to meet
the agreed target (never negative). The likelihood-weighted view is the scenarios' "likely".
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from finmodel.contract import RISK_CATEGORIES
from finmodel.results.position import OrgPosition


@dataclass(frozen=True)
class RiskItem:
    id: str
    org: str
    type: str  # risk | mitigation
    category: str
    description: str
    value: int  # full-year effect on FOT, positive
    likelihood_pct: Decimal
    status: str  # mitigations: identified | in_progress | delivered


@dataclass(frozen=True)
class RiskSummary:
    row: str  # organisation code or category code
    potential_risk: int = 0
    mitigations: int = 0
    fot: int = 0  # submitted FOT surplus (organisation rows only)
    target: int = 0

    @property
    def net_impact(self) -> int:
        return self.potential_risk - self.mitigations

    @property
    def risk_adjusted_fot(self) -> int:
        return self.fot - self.net_impact

    @property
    def further_mitigations_required(self) -> int:
        return further_required(self.risk_adjusted_fot, self.target)


def further_required(outturn: int, target: int) -> int:
    """How much more must be found for an outturn to meet its target (0 when it already does)."""
    return max(target - outturn, 0)


def register_items(register: pd.DataFrame) -> tuple[RiskItem, ...]:
    ordered = register.sort_values(["org", "id"], kind="mergesort")
    return tuple(
        RiskItem(r.id, r.org, r.type, r.category, r.description, int(r.value), Decimal(r.likelihood_pct), r.status)
        for r in ordered.itertuples(index=False)
    )


def summarise_by_org(items: tuple[RiskItem, ...], positions: tuple[OrgPosition, ...]) -> tuple[RiskSummary, ...]:
    return tuple(
        RiskSummary(
            row=p.org,
            potential_risk=sum(i.value for i in items if i.org == p.org and i.type == "risk"),
            mitigations=sum(i.value for i in items if i.org == p.org and i.type == "mitigation"),
            fot=p.surplus.fot,
            target=p.target,
        )
        for p in positions
    )


def summarise_by_category(items: tuple[RiskItem, ...]) -> tuple[RiskSummary, ...]:
    return tuple(
        RiskSummary(
            row=c,
            potential_risk=sum(i.value for i in items if i.category == c and i.type == "risk"),
            mitigations=sum(i.value for i in items if i.category == c and i.type == "mitigation"),
        )
        for c in RISK_CATEGORIES
    )
