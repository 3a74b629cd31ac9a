"""Agency staff spend against plan and NHS England's cap.

Headline figures come from the pay lines with pay_type ``agency`` (what the position
holds); agency.xlsx gives the breakdown by staff group and framework, and reconciles to
those lines (validation makes sure), so the two never tell different stories.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import pandas as pd

from finmodel.money import divide_round
from finmodel.results.forecast import Series, forecast_run_rate
from finmodel.results.lines import monthly, monthly_measures
from finmodel.system_config import Organisation, SystemConfig


@dataclass(frozen=True)
class AgencyOrg:
    org: str
    month: int  # the close month M
    cap: int | None  # annual cap; None where system.yaml says `none`
    year_planned_pay: int
    ytd_planned_pay: int
    year_plan: int
    ytd_plan: int
    ytd_actual: int
    submitted_fot: int
    run_rate_fot: int
    monthly_plan: tuple[int, ...]
    monthly_spend: tuple[int, ...]  # actual for months 1..M, submitted forecast after
    # Bank staff, the other half of temporary staffing, beside agency in provider summaries.
    bank_ytd_plan: int = 0
    bank_ytd_actual: int = 0

    @property
    def bank_variance_to_plan(self) -> int:
        return self.bank_ytd_plan - self.bank_ytd_actual

    @property
    def ytd_cap(self) -> int | None:
        """The cap phased evenly over the year, to the close month."""
        return None if self.cap is None else divide_round(self.cap * self.month, 12)

    @property
    def monthly_cap(self) -> int | None:
        return None if self.cap is None else divide_round(self.cap, 12)

    @property
    def variance_to_plan(self) -> int:
        return self.ytd_plan - self.ytd_actual  # expenditure: under plan is favourable

    @property
    def variance_to_cap(self) -> int | None:
        cap = self.ytd_cap
        return None if cap is None else cap - self.ytd_actual

    @property
    def share_of_planned_pay(self) -> Decimal | None:
        """YTD agency actual / YTD planned pay."""
        if self.ytd_planned_pay == 0:
            return None
        return Decimal(self.ytd_actual) / Decimal(self.ytd_planned_pay)

    @property
    def average_per_month(self) -> int:
        return divide_round(self.ytd_actual, self.month) if self.month else 0


@dataclass(frozen=True)
class AgencyDetail:
    """agency.xlsx by organisation, staff group and framework."""

    org: str
    staff_group: str
    framework: str
    ytd_plan: int
    ytd_actual: int
    monthly_spend: tuple[int, ...]  # actual for months 1..M, submitted forecast after

    @property
    def submitted_fot(self) -> int:
        return sum(self.monthly_spend)


def annual_cap(org: Organisation, year_planned_pay: int, cap_pct: Decimal) -> int | None:
    if org.agency_cap == "none":
        return None
    if isinstance(org.agency_cap, int):
        return org.agency_cap
    value = Fraction(cap_pct) * year_planned_pay / 100
    return divide_round(value.numerator, value.denominator)


def compute_agency(ledger: pd.DataFrame, agency: pd.DataFrame, system: SystemConfig, month: int) -> tuple[AgencyOrg, ...]:
    pay = ledger[ledger["source"] == "pay"]
    agency_pay = pay[pay["pay_type"] == "agency"]
    bank_pay = pay[(pay["pay_type"] == "bank") & (pay["month"] <= month)]
    bank_plan = bank_pay.groupby("org")["plan"].sum().to_dict()
    bank_actual = bank_pay.groupby("org")["actual"].sum().to_dict()
    pay_plan = monthly(pay, "plan", ("org",))
    series = monthly_measures(agency_pay, ("plan", "actual", "forecast"), ("org",))
    plan, actual, forecast = series["plan"], series["actual"], series["forecast"]
    zeros = (0,) * 12
    rows = []
    for org in system.providers:
        key = (org.code,)
        s = Series(month, plan.get(key, zeros), actual.get(key, zeros), forecast.get(key, zeros))
        planned_pay = pay_plan.get(key, zeros)
        rows.append(
            AgencyOrg(
                org=org.code,
                month=month,
                cap=annual_cap(org, sum(planned_pay), system.parameters.agency_cap_pct),
                year_planned_pay=sum(planned_pay),
                ytd_planned_pay=sum(planned_pay[:month]),
                year_plan=sum(s.plan),
                ytd_plan=sum(s.plan[:month]),
                ytd_actual=s.ytd_actual,
                submitted_fot=s.ytd_actual + sum(s.forecast[month:]),
                run_rate_fot=s.ytd_actual + forecast_run_rate(s, system.parameters.run_rate_months),
                monthly_plan=s.plan,
                monthly_spend=s.actual[:month] + s.forecast[month:],
                bank_ytd_plan=int(bank_plan.get(org.code, 0)),
                bank_ytd_actual=int(bank_actual.get(org.code, 0)),
            )
        )
    return tuple(rows)


def compute_agency_detail(agency: pd.DataFrame, month: int) -> tuple[AgencyDetail, ...]:
    keys = ("org", "staff_group", "framework")
    series = monthly_measures(agency, ("plan", "actual", "forecast"), keys)
    plan, actual, forecast = series["plan"], series["actual"], series["forecast"]
    zeros = (0,) * 12
    return tuple(
        AgencyDetail(
            org=key[0], staff_group=key[1], framework=key[2],
            ytd_plan=sum(plan.get(key, zeros)[:month]),
            ytd_actual=sum(actual.get(key, zeros)[:month]),
            monthly_spend=actual.get(key, zeros)[:month] + forecast.get(key, zeros)[month:],
        )
        for key in sorted(plan.keys() | actual.keys() | forecast.keys())
    )
