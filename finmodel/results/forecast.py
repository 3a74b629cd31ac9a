"""Model forecasts and the forecast challenge.

Each method forecasts the months after the close from the evidence of one line group's
monthly series; the model FOT is YTD actual + that forecast. Set beside the submitted FOT,
the difference shows how optimistic an organisation's own forecast looks.

Every method is exact: sums in pence, one rounding (half away from zero) per line group.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import pandas as pd

from finmodel.contract import FORECAST_METHODS
from finmodel.money import divide_round
from finmodel.results.lines import monthly_measures
from finmodel.results.position import line_groups_for
from finmodel.system_config import SystemConfig


@dataclass(frozen=True)
class Series:
    """A line group's months: plan for all 12, actual for 1..M, submitted forecast after M."""

    month: int  # the close month M
    plan: tuple[int, ...]
    actual: tuple[int, ...]
    forecast: tuple[int, ...]

    @property
    def ytd_actual(self) -> int:
        return sum(self.actual[: self.month])

    @property
    def remaining_plan(self) -> int:
        return sum(self.plan[self.month :])


def _round(value: Fraction) -> int:
    return divide_round(value.numerator, value.denominator)


def forecast_submitted(s: Series) -> int:
    return sum(s.forecast[s.month :])


def forecast_plan(s: Series) -> int:
    """Remaining plan: the rest of the year delivers exactly to plan."""
    return s.remaining_plan


def forecast_run_rate(s: Series, months: int) -> int:
    """Mean of the last k actual months, carried forward to year end."""
    k = min(months, s.month)
    if k == 0:
        return s.remaining_plan
    recent = sum(s.actual[s.month - k : s.month])
    return divide_round(recent * (12 - s.month), k)


def forecast_trend(s: Series, months: int) -> int:
    """Least-squares straight line through the actual months, extended to March.

    With fewer than two actual months there is no trend to fit: the run rate stands in.
    """
    n = s.month
    if n < 2:
        return forecast_run_rate(s, months)
    ts = range(1, n + 1)
    mean_t = Fraction(sum(ts), n)
    mean_y = Fraction(sum(s.actual[:n]), n)
    sxx = sum((t - mean_t) ** 2 for t in ts)
    sxy = sum((t - mean_t) * (y - mean_y) for t, y in zip(ts, s.actual[:n]))
    slope = sxy / sxx
    intercept = mean_y - slope * mean_t
    return _round(sum((intercept + slope * t for t in range(n + 1, 13)), Fraction(0)))


def forecast_seasonal(s: Series) -> int:
    """The plan's phasing as the seasonal profile, scaled by YTD performance against plan.

    The contract carries no prior-year monthly actuals, so the plan (which finance teams
    phase from last year's pattern) is the profile: remaining plan x YTD actual / YTD plan.
    """
    ytd_plan = sum(s.plan[: s.month])
    if ytd_plan == 0:
        return s.remaining_plan
    return _round(Fraction(s.remaining_plan * s.ytd_actual, ytd_plan))


def model_forecast(s: Series, method: str, run_rate_months: int) -> int:
    """Forecast for months M+1..12 by the named method (pence)."""
    if method == "submitted":
        return forecast_submitted(s)
    if method == "plan":
        return forecast_plan(s)
    if method == "run_rate":
        return forecast_run_rate(s, run_rate_months)
    if method == "trend":
        return forecast_trend(s, run_rate_months)
    if method == "seasonal":
        return forecast_seasonal(s)
    raise ValueError(f"unknown forecast method {method!r}")


@dataclass(frozen=True)
class ChallengeRow:
    org: str
    line_group: str  # or "surplus" for the organisation's bottom line
    sign: int
    submitted_fot: int
    method_fots: tuple[tuple[str, int], ...]  # every method's FOT, in FORECAST_METHODS order
    method: str  # the method system.yaml chooses for this line group
    model_fot: int

    @property
    def difference(self) -> int:
        """Model FOT - submitted FOT in surplus terms: negative = the submission looks optimistic."""
        return self.sign * (self.model_fot - self.submitted_fot)


def series_by_line_group(ledger: pd.DataFrame, month: int) -> dict[tuple[str, str], Series]:
    keys = ("org", "line_group")
    series = monthly_measures(ledger, ("plan", "actual", "forecast"), keys)
    plans, actuals, forecasts = series["plan"], series["actual"], series["forecast"]
    zeros = (0,) * 12
    return {
        key: Series(month, plans.get(key, zeros), actuals.get(key, zeros), forecasts.get(key, zeros))
        for key in plans.keys() | actuals.keys() | forecasts.keys()
    }


def compute_challenge(
    ledger: pd.DataFrame, system: SystemConfig, month: int, methods: dict[str, str] | None = None
) -> tuple[ChallengeRow, ...]:
    """Per organisation and line group, then the organisation's surplus.

    ``methods`` overrides system.yaml's choice per line group (a scenario's forecast override).
    """
    params = system.parameters
    all_series = series_by_line_group(ledger, month)
    empty = Series(month, (0,) * 12, (0,) * 12, (0,) * 12)
    rows: list[ChallengeRow] = []
    for org in system.organisations:
        surplus_submitted = 0
        surplus_by_method = dict.fromkeys(FORECAST_METHODS, 0)
        surplus_model = 0
        for group in line_groups_for(org.type):
            s = all_series.get((org.code, group), empty)
            sign = +1 if group in ("income", "allocation") else -1
            fots = {m: s.ytd_actual + model_forecast(s, m, params.run_rate_months) for m in FORECAST_METHODS}
            chosen = (methods or {}).get(group) or params.forecast_method_for(group)
            submitted = s.ytd_actual + forecast_submitted(s)
            rows.append(ChallengeRow(org.code, group, sign, submitted, tuple(fots.items()), chosen, fots[chosen]))
            surplus_submitted += sign * submitted
            surplus_model += sign * fots[chosen]
            for m in FORECAST_METHODS:
                surplus_by_method[m] += sign * fots[m]
        rows.append(
            ChallengeRow(org.code, "surplus", 1, surplus_submitted, tuple(surplus_by_method.items()), "model", surplus_model)
        )
    return tuple(rows)
