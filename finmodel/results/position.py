"""The income and expenditure position: YTD, full-year plan and forecast outturn.

Per organisation and line group, from the ledger. FOT here is the *submitted* forecast
outturn (what organisations report nationally); model forecasts live in forecast.py.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from finmodel.results.lines import Line, monthly_measures, sum_by, ytd_measures
from finmodel.system_config import ICB_LINE_GROUPS, PROVIDER_LINE_GROUPS, SystemConfig

_SUMMED = ("ytd_plan", "actual", "plan", "forecast")


@dataclass(frozen=True)
class OrgPosition:
    org: str
    income: Line  # sign +1
    expenditure: Line  # sign -1
    lines: tuple[tuple[str, Line], ...]  # by line group, in board order
    target: int  # agreed full-year surplus/(deficit) in force at the close
    original_target: int  # as first agreed, before any in-year revision
    # Surplus by month, for the run-rate chart and to spot re-phased plans between closes.
    monthly_plan: tuple[int, ...]
    monthly_actual: tuple[int, ...]
    monthly_forecast: tuple[int, ...]

    @property
    def surplus(self) -> Line:
        """Surplus/(deficit) = income - expenditure, all lines including non-operating."""
        return self.income + self.expenditure.as_surplus()

    @property
    def gap_to_target(self) -> int:
        """FOT - agreed target: negative means the organisation is forecast to miss it."""
        return self.surplus.fot - self.target

    def line(self, line_group: str) -> Line | None:
        return dict(self.lines).get(line_group)


def line_groups_for(org_type: str) -> tuple[str, ...]:
    return ICB_LINE_GROUPS if org_type == "icb" else PROVIDER_LINE_GROUPS


def _line(sums: dict[str, int] | None, sign: int) -> Line:
    if sums is None:
        return Line(sign)
    return Line(sign, sums["ytd_plan"], sums["actual"], sums["plan"], sums["forecast"])


def compute_positions(ledger: pd.DataFrame, system: SystemConfig, month: int) -> tuple[OrgPosition, ...]:
    frame = ytd_measures(ledger, month)
    by_group = sum_by(frame, ("org", "line_group", "sign"), _SUMMED)
    surplus = frame.assign(**{m: frame[m] * frame["sign"] for m in ("plan", "actual", "forecast")})
    by_month = monthly_measures(surplus, ("plan", "actual", "forecast"), ("org",))
    plan_by_month, actual_by_month, forecast_by_month = by_month["plan"], by_month["actual"], by_month["forecast"]
    zeros = (0,) * 12

    positions = []
    for org in system.organisations:
        lines = []
        income, expenditure = Line(+1), Line(-1)
        for group in line_groups_for(org.type):
            sign = +1 if group in ("income", "allocation") else -1
            line = _line(by_group.get((org.code, group, sign)), sign)
            lines.append((group, line))
            if sign > 0:
                income = income + line
            else:
                expenditure = expenditure + line
        original = system.targets[org.code]
        positions.append(
            OrgPosition(
                org=org.code,
                income=income,
                expenditure=expenditure,
                lines=tuple(lines),
                target=system.target(org.code, month),
                original_target=original,
                monthly_plan=plan_by_month.get((org.code,), zeros),
                monthly_actual=actual_by_month.get((org.code,), zeros),
                monthly_forecast=forecast_by_month.get((org.code,), zeros),
            )
        )
    return tuple(positions)
