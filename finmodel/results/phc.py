"""Personal health commissioning: the budget by service and a package-based forecast.

The budget sheet gives plan, actual and the ICB's own forecast. The package list gives an
independent forecast: the committed cost of live packages to 31 March, day by day (a
package stops on its end date; the ICB pays its share), plus expected new packages, less
QIPP savings still to come.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd

from finmodel.calendar import FinancialYear
from finmodel.contract import PHC_SERVICES
from finmodel.money import divide_round
from finmodel.results.lines import sum_by, ytd_measures
from finmodel.system_config import PhcParameters, SystemConfig

DAYS_PER_YEAR_EQUIVALENT = 365  # equivalent annual cost = weekly x 365/7 (domain brief)


@dataclass(frozen=True)
class PhcService:
    org: str
    service: str
    year_plan: int
    ytd_plan: int
    ytd_actual: int
    forecast: int  # submitted, months after the close
    prior_year_outturn: int | None
    package_cost_to_date: int  # what the live package list implies for months 1..M
    package_forecast: int  # committed cost of packages from the month after the close to 31 March
    growth_forecast: int  # expected new packages to year end
    qipp: int  # savings still to come
    live_packages: int  # at the end of the close month

    @property
    def fot(self) -> int:
        return self.ytd_actual + self.forecast

    @property
    def overspend(self) -> int:
        return self.fot - self.year_plan

    @property
    def growth_on_prior_year(self) -> int | None:
        return None if self.prior_year_outturn is None else self.fot - self.prior_year_outturn

    @property
    def package_fot(self) -> int:
        """Model FOT: YTD actual + committed packages + growth - QIPP."""
        return self.ytd_actual + self.package_forecast + self.growth_forecast - self.qipp

    @property
    def budget_vs_packages(self) -> int:
        """Budget actual to date - package-implied cost to date (accruals, late notifications)."""
        return self.ytd_actual - self.package_cost_to_date


@dataclass(frozen=True)
class HighCostBand:
    label: str  # e.g. "£7,550 to £9,499"
    lower: int  # weekly pence, inclusive
    upper: int | None  # weekly pence, exclusive; None = no upper edge
    packages: int
    equivalent_annual_cost: int


def _overlap_days(start: dt.date, end: dt.date | None, first: dt.date, last: dt.date) -> int:
    lo = max(start, first)
    hi = last if end is None else min(end, last)
    return max((hi - lo).days + 1, 0)


def package_cost(
    weekly: int, share: Decimal, start: dt.date, end: dt.date | None,
    first: dt.date, last: dt.date, uplift_from: dt.date, uplift: Fraction,
) -> Fraction:
    """Exact cost of a package between two dates: weekly/7 a day, the uplift from its date on."""
    before = _overlap_days(start, end, first, min(last, uplift_from - dt.timedelta(days=1)))
    after = _overlap_days(start, end, max(first, uplift_from), last)
    daily = Fraction(weekly, 7) * Fraction(share)
    return daily * before + daily * uplift * after


def _round(value: Fraction) -> int:
    return divide_round(value.numerator, value.denominator)


def _days(start: np.ndarray, end: np.ndarray, first: dt.date, last: dt.date) -> np.ndarray:
    """Days of each package (start..end, NaT = open) inside first..last, both inclusive."""
    lo = np.maximum(start, np.datetime64(first, "D"))
    hi = np.minimum(np.where(np.isnat(end), np.datetime64(last, "D"), end), np.datetime64(last, "D"))
    return np.maximum((hi - lo).astype("int64") + 1, 0)


def _package_sums(packages: pd.DataFrame, fy: FinancialYear, month: int, params: PhcParameters):
    """Each package's cost to date and to 31 March, rounded per package as package_cost would
    be, summed by (org, service); and the live packages at the close.

    The day counts come from numpy date arithmetic and the cost is one exact integer
    division per package: weekly x share x (days before the uplift + days after x uplift) / 7,
    with the share and the uplift as integer ratios. That is package_cost's arithmetic without
    a Fraction per package (40,000 of them took a second at 20,000 packages).
    """
    uplift = 1 + Fraction(params.price_uplift.pct) / 100
    uplift_from = fy.month_start(params.price_uplift.from_month)
    close_end = fy.month_end(month)
    keys = list(zip(packages["org"].tolist(), packages["service"].tolist()))
    start = np.array(packages["start_date"].tolist(), dtype="datetime64[D]")
    end = np.array(packages["end_date"].tolist(), dtype="datetime64[D]")  # None -> NaT
    shares = {v: Fraction(v) for v in set(packages["icb_share"].tolist())}
    share_num = np.array([shares[v].numerator for v in packages["icb_share"].tolist()], dtype=object)
    share_den = np.array([shares[v].denominator for v in packages["icb_share"].tolist()], dtype=object)
    # Python ints (object arrays) keep every product exact: a weekly cost near the £1 trillion
    # validation limit times a share's numerator and an uplift would overflow int64.
    weekly = packages["weekly_cost"].to_numpy(dtype="int64").astype(object)

    def cost(first: dt.date, last: dt.date) -> np.ndarray:
        before = _days(start, end, first, min(last, uplift_from - dt.timedelta(days=1))).astype(object)
        after = _days(start, end, max(first, uplift_from), last).astype(object)
        numerator = weekly * share_num * (before * uplift.denominator + after * uplift.numerator)
        denominator = 7 * share_den * uplift.denominator
        return np.array([divide_round(n, d) for n, d in zip(numerator.tolist(), denominator.tolist())], dtype=object)

    live = (start <= np.datetime64(close_end, "D")) & (np.isnat(end) | (end >= np.datetime64(close_end, "D")))
    to_date = _sum_by_key(keys, cost(fy.first_day, close_end))
    rest = _sum_by_key(keys, cost(close_end + dt.timedelta(days=1), fy.last_day)) if month < 12 else {}
    live_counts = {k: v for k, v in _sum_by_key(keys, live.astype(object)).items() if v}
    return to_date, rest, live_counts


def _sum_by_key(keys: list[tuple[str, str]], values: np.ndarray) -> dict[tuple[str, str], int]:
    sums: dict[tuple[str, str], int] = {}
    for key, value in zip(keys, values.tolist()):
        sums[key] = sums.get(key, 0) + int(value)
    return sums


def growth_cost(new_per_month: Decimal, average_weekly: int, fy: FinancialYear, month: int) -> int:
    """New packages starting on the 1st of each month after the close, each running to 31 March."""
    total = Fraction(0)
    for m in range(month + 1, 13):
        days = (fy.last_day - fy.month_start(m)).days + 1
        total += Fraction(new_per_month) * Fraction(average_weekly, 7) * days
    return _round(total)


def compute_phc(budget: pd.DataFrame, packages: pd.DataFrame, system: SystemConfig, month: int) -> tuple[PhcService, ...]:
    fy = system.financial_year
    params = system.parameters.phc
    sums = sum_by(ytd_measures(budget, month), ("org", "service"), ("plan", "ytd_plan", "actual", "forecast"))
    to_date, rest, live = _package_sums(packages, fy, month, params)
    zero = dict.fromkeys(("plan", "ytd_plan", "actual", "forecast"), 0)
    # Growth, QIPP and prior-year figures are system.yaml's, for the (first) ICB.
    first_icb = system.icbs[0].code if system.icbs else ""
    orgs = sorted({k[0] for k in sums} | {k[0] for k in to_date} | ({first_icb} if first_icb else set()))
    rows = []
    for org in orgs:
        for service in PHC_SERVICES:
            key = (org, service)
            s = sums.get(key, zero)
            mine = org == first_icb
            growth = params.growth.get(service) if mine else None
            rows.append(
                PhcService(
                    org=org, service=service,
                    year_plan=s["plan"], ytd_plan=s["ytd_plan"], ytd_actual=s["actual"], forecast=s["forecast"],
                    prior_year_outturn=params.prior_year_outturn.get(service) if mine else None,
                    package_cost_to_date=to_date.get(key, 0),
                    package_forecast=rest.get(key, 0),
                    growth_forecast=growth_cost(growth.new_per_month, growth.average_weekly, fy, month) if growth else 0,
                    qipp=params.qipp.get(service, 0) if mine else 0,
                    live_packages=live.get(key, 0),
                )
            )
    return tuple(rows)


def _band_label(lower: int, upper: int | None) -> str:
    if upper is None:
        return f"£{lower // 100:,} and above"
    return f"£{lower // 100:,} to £{(upper - 100) // 100:,}"


def compute_high_cost(packages: pd.DataFrame, system: SystemConfig, month: int) -> tuple[HighCostBand, ...]:
    """Packages live at the end of the close month at or above the weekly threshold, by band."""
    params = system.parameters.phc
    close_end = system.financial_year.month_end(month)
    edges = [params.high_cost_weekly, *[b for b in params.bands if b > params.high_cost_weekly]]
    bands = list(zip(edges, [*edges[1:], None]))
    counts = [0] * len(bands)
    weekly_sums = [0] * len(bands)
    for p in packages.itertuples(index=False):
        if p.weekly_cost < params.high_cost_weekly or p.start_date > close_end:
            continue
        if p.end_date is not None and p.end_date < close_end:
            continue
        for i, (lower, upper) in enumerate(bands):
            if p.weekly_cost >= lower and (upper is None or p.weekly_cost < upper):
                counts[i] += 1
                weekly_sums[i] += p.weekly_cost
    return tuple(
        HighCostBand(_band_label(lo, hi), lo, hi, n, divide_round(w * DAYS_PER_YEAR_EQUIVALENT, 7))
        for (lo, hi), n, w in zip(bands, counts, weekly_sums)
    )
