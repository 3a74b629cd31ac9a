"""Efficiency (CIP/QIPP) delivery, from the scheme tracker.

Efficiency already sits inside the pay and non-pay actuals; the tracker explains it and
is never added to the position again.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import pandas as pd

from finmodel.money import divide_round
from finmodel.results.lines import sum_by, ytd_measures
from finmodel.system_config import SystemConfig

ICB_IMPACTING = "ICB_IMPACTING"  # the row of ICB schemes whose saving lands in a provider


@dataclass(frozen=True)
class CipScheme:
    scheme_id: str
    org: str
    impacts_org: str
    scheme: str
    category: str
    recurrent: bool
    rating: str
    year_plan: int
    ytd_plan: int
    ytd_actual: int
    forecast: int  # submitted, for the months after the close
    remaining_plan: int
    risk_adjusted_fot: int  # YTD actual + remaining plan x the rating's delivery probability


@dataclass(frozen=True)
class CipSummary:
    row: str  # organisation code, or ICB_IMPACTING
    year_plan: int = 0
    ytd_plan: int = 0
    ytd_actual: int = 0
    recurrent_ytd_plan: int = 0
    recurrent_ytd_actual: int = 0
    submitted_fot: int = 0
    risk_adjusted_fot: int = 0

    @property
    def ytd_variance(self) -> int:
        return self.ytd_actual - self.ytd_plan

    @property
    def recurrent_ytd_variance(self) -> int:
        return self.recurrent_ytd_actual - self.recurrent_ytd_plan

    @property
    def recurrent_share(self) -> Decimal | None:
        """Recurrent YTD actual / total YTD actual (None when nothing is delivered yet)."""
        if self.ytd_actual == 0:
            return None
        return Decimal(self.recurrent_ytd_actual) / Decimal(self.ytd_actual)


def risk_adjusted(ytd_actual: int, remaining_plan: int, probability_pct: Decimal) -> int:
    """YTD actual + remaining plan x probability, rounded once per scheme."""
    share = Fraction(probability_pct) / 100
    value = share * remaining_plan
    return ytd_actual + divide_round(value.numerator, value.denominator)


def compute_schemes(
    schemes: pd.DataFrame, delivery: pd.DataFrame, system: SystemConfig, month: int,
    probability: dict[str, Decimal] | None = None,
) -> tuple[CipScheme, ...]:
    """Every scheme with its delivery; ``probability`` overrides system.yaml's per rating."""
    frame = ytd_measures(delivery, month).assign(
        remaining_plan=lambda f: f["plan"].where(f["month"] > month, 0).astype("int64")
    )
    sums = sum_by(frame, ("scheme_id",), ("plan", "ytd_plan", "actual", "forecast", "remaining_plan"))
    out = []
    ordered = schemes.sort_values(["org", "scheme_id"], kind="mergesort")
    for s in ordered.itertuples(index=False):
        d = sums.get((s.scheme_id,), dict.fromkeys(("plan", "ytd_plan", "actual", "forecast", "remaining_plan"), 0))
        pct = (probability or {}).get(s.rating, system.parameters.cip_probability(s.rating))
        out.append(
            CipScheme(
                scheme_id=s.scheme_id, org=s.org, impacts_org=s.impacts_org or "", scheme=s.scheme,
                category=s.category, recurrent=bool(s.recurrent), rating=s.rating,
                year_plan=d["plan"], ytd_plan=d["ytd_plan"], ytd_actual=d["actual"], forecast=d["forecast"],
                remaining_plan=d["remaining_plan"],
                risk_adjusted_fot=risk_adjusted(d["actual"], d["remaining_plan"], pct),
            )
        )
    return tuple(out)


def _summary(row: str, schemes: list[CipScheme]) -> CipSummary:
    recurrent = [s for s in schemes if s.recurrent]
    return CipSummary(
        row=row,
        year_plan=sum(s.year_plan for s in schemes),
        ytd_plan=sum(s.ytd_plan for s in schemes),
        ytd_actual=sum(s.ytd_actual for s in schemes),
        recurrent_ytd_plan=sum(s.ytd_plan for s in recurrent),
        recurrent_ytd_actual=sum(s.ytd_actual for s in recurrent),
        submitted_fot=sum(s.ytd_actual + s.forecast for s in schemes),
        risk_adjusted_fot=sum(s.risk_adjusted_fot for s in schemes),
    )


def summarise_cip(schemes: tuple[CipScheme, ...], system: SystemConfig) -> tuple[CipSummary, ...]:
    """One row per organisation, then the ICB schemes that land in providers.

    Those ICB schemes count in the ICB's own row (the ICB owns them) and so once in the
    system total; their own row is a memo line that no total adds again.
    """
    rows = [_summary(o.code, [s for s in schemes if s.org == o.code]) for o in system.organisations]
    icbs = {o.code for o in system.icbs}
    rows.append(_summary(ICB_IMPACTING, [s for s in schemes if s.org in icbs and s.impacts_org]))
    return tuple(rows)
