"""PHC package costs summed over the package list: the vectorised sums against package_cost.

package_cost is the readable definition (one package, one window, in Fractions); the close
uses numpy day counts and one integer division per package. They must agree to the penny,
package by package rounding included, for any dates, shares and uplift.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from finmodel.calendar import FinancialYear
from finmodel.results.phc import _package_sums, _round, package_cost
from finmodel.system_config import PhcParameters, PriceUplift

FY = FinancialYear.parse("2023/24")  # 1 April 2023 to 31 March 2024, a leap February


def _frame(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["package_id", "org", "service", "weekly_cost", "start_date", "end_date", "icb_share"])
    frame["weekly_cost"] = frame["weekly_cost"].astype("int64")
    frame["start_date"] = frame["start_date"].astype(object)
    frame["end_date"] = frame["end_date"].astype(object).where(frame["end_date"].notna(), None)
    return frame


def _reference(packages: pd.DataFrame, month: int, params: PhcParameters):
    """The sums one package at a time, as the close computed them before vectorising."""
    uplift = 1 + Fraction(params.price_uplift.pct) / 100
    uplift_from = FY.month_start(params.price_uplift.from_month)
    close_end = FY.month_end(month)
    to_date: dict = {}
    rest: dict = {}
    live: dict = {}
    for p in packages.itertuples(index=False):
        key = (p.org, p.service)
        cost = lambda a, b: _round(package_cost(p.weekly_cost, p.icb_share, p.start_date, p.end_date, a, b, uplift_from, uplift))  # noqa: E731
        to_date[key] = to_date.get(key, 0) + cost(FY.first_day, close_end)
        if month < 12:
            rest[key] = rest.get(key, 0) + cost(close_end + dt.timedelta(days=1), FY.last_day)
        if p.start_date <= close_end and (p.end_date is None or p.end_date >= close_end):
            live[key] = live.get(key, 0) + 1
    return to_date, rest, live


def test_a_package_across_the_uplift_by_hand():
    # £700 a week = £100 a day, half paid by the ICB: £50 a day. Uplift 10 % from M7 (1 October).
    # Live 21 September to 5 October: 10 days before the uplift at £50, 5 after at £55.
    packages = _frame([{"package_id": "P1", "org": "ICB", "service": "adult_chc", "weekly_cost": 70_000,
                        "start_date": dt.date(2023, 9, 21), "end_date": dt.date(2023, 10, 5), "icb_share": Decimal("0.5")}])
    params = PhcParameters(price_uplift=PriceUplift(pct=Decimal(10), from_month=7))
    to_date, rest, live = _package_sums(packages, FY, 9, params)  # closed at M9 (December)
    assert to_date == {("ICB", "adult_chc"): 10 * 5_000 + 5 * 5_500}  # £775.00
    assert rest == {("ICB", "adult_chc"): 0} and live == {}
    # Closed at M6 (30 September): 10 days to date; 5 days at the uplifted rate still to come.
    to_date, rest, live = _package_sums(packages, FY, 6, params)
    assert to_date == {("ICB", "adult_chc"): 50_000} and rest == {("ICB", "adult_chc"): 27_500}
    assert live == {("ICB", "adult_chc"): 1}


def test_each_package_is_rounded_before_the_sum():
    # £1 a week is 100/7 = 14.2857 pence a day: one day rounds to 14p, so three one-day
    # packages are 42p, where rounding the sum (300/7 = 42.86) would give 43p.
    one_day = {"org": "ICB", "service": "fnc", "weekly_cost": 100, "start_date": dt.date(2023, 4, 3),
               "end_date": dt.date(2023, 4, 3), "icb_share": Decimal(1)}
    packages = _frame([dict(one_day, package_id=f"P{i}") for i in range(3)])
    to_date, _, _ = _package_sums(packages, FY, 1, PhcParameters())
    assert to_date == {("ICB", "fnc"): 42}


_DATES = st.dates(dt.date(2022, 1, 1), dt.date(2025, 6, 30))
_PACKAGE = st.fixed_dictionaries({
    "org": st.sampled_from(["ICB", "ICB2"]),
    "service": st.sampled_from(["adult_chc", "fnc", "phb"]),
    "weekly_cost": st.one_of(st.integers(0, 5_000_000), st.integers(-10_000, 10_000), st.just(10**14)),
    "start_date": _DATES,
    "days": st.one_of(st.none(), st.integers(0, 900)),
    "icb_share": st.sampled_from([Decimal(0), Decimal(1), Decimal("0.5"), Decimal("0.333"), Decimal("0.125"), Decimal("0.0001")]),
})


@settings(max_examples=150, deadline=None)
@given(
    st.lists(_PACKAGE, max_size=25),
    st.integers(1, 12),
    st.sampled_from([Decimal(0), Decimal("2.5"), Decimal("3.1"), Decimal(-100), Decimal("0.001")]),
    st.integers(1, 12),
)
def test_the_vectorised_sums_equal_package_cost_package_by_package(rows, month, pct, from_month):
    packages = _frame([
        {**{k: v for k, v in r.items() if k != "days"}, "package_id": f"P{i}",
         "end_date": None if r["days"] is None else r["start_date"] + dt.timedelta(days=r["days"])}
        for i, r in enumerate(rows)
    ])
    params = PhcParameters(price_uplift=PriceUplift(pct=pct, from_month=from_month))
    assert _package_sums(packages, FY, month, params) == _reference(packages, month, params)
