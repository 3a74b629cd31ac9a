"""Industrial action after the close: its cost less any national funding.

A file gives the money for the month either as totals (``cost``, ``funding``) or as
strike days at a cost and a funding per day, as trusts and NHS England usually quote it;
never both, so a figure is stated once.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

from pydantic import Field, model_validator

from finmodel.findings import Finding
from finmodel.money import divide_round, pounds_label
from finmodel.scenarios.context import CloseContext
from finmodel.scenarios.fields import Amount, Month, OrgCode, Strict
from finmodel.scenarios.shocks.base import Located, Shock
from finmodel.scenarios.summary import BridgeItem

KEY = "industrial_action"
_TOTALS, _PER_DAY = ("cost", "funding"), ("days", "cost_per_day", "funding_per_day")


class IndustrialAction(Strict):
    org: OrgCode
    month: Month
    cost: Amount | None = Field(None, description="the month's cost, £; or give days and cost_per_day")
    funding: Amount | None = Field(None, description="national funding, £ (default 0)")
    days: Decimal | None = Field(None, gt=0, le=31, decimal_places=2, description="strike days in the month (half days allowed)")
    cost_per_day: Amount | None = Field(None, description="£ a day, with days")
    funding_per_day: Amount | None = Field(None, description="£ a day, with days (default 0)")
    description: str = Field("", max_length=200)

    @model_validator(mode="after")
    def _totals_or_days(self) -> IndustrialAction:
        totals = [k for k in _TOTALS if getattr(self, k) is not None]
        per_day = [k for k in _PER_DAY if getattr(self, k) is not None]
        if totals and per_day:
            raise ValueError(f"either cost and funding or days with cost_per_day and funding_per_day, not both "
                             f"(found {', '.join(totals + per_day)})")
        if per_day and (self.days is None or self.cost_per_day is None):
            raise ValueError("days and cost_per_day together (funding_per_day is optional)")
        if not per_day and self.cost is None:
            raise ValueError("cost (with funding), or days with cost_per_day")
        return self

    @property
    def total_cost(self) -> int:
        return self.cost if self.cost is not None else _times(self.days, self.cost_per_day)

    @property
    def total_funding(self) -> int:
        if self.days is None:
            return self.funding or 0
        return _times(self.days, self.funding_per_day)


def _times(days: Decimal | None, per_day: int | None) -> int:
    """days x £ a day in pence, rounded once (half away from zero)."""
    value = Fraction(days or 0) * (per_day or 0)
    return divide_round(value.numerator, value.denominator)


def check(rules: Sequence[Located[IndustrialAction]], close: CloseContext) -> list[Finding]:
    """A month already closed is refused: its cost is in the actuals."""
    found: list[Finding] = []
    for where, rule in rules:
        found += close.org(f"{where}.org", rule.org)
        if rule.month <= close.month:
            found.append(close.fault(f"{where}.month", "month_closed", rule.month,
                                     f"a month after the close (M{close.month}): the cost of M1..M{close.month} is already in the actuals"))
    return found


def _label(rule: IndustrialAction) -> str:
    if rule.description:
        return rule.description
    if rule.days is None:
        return f"Industrial action M{rule.month}: cost {pounds_label(rule.total_cost)}, funding {pounds_label(rule.total_funding)}"
    return (f"Industrial action M{rule.month}: {rule.days.normalize():f} days at {pounds_label(rule.cost_per_day or 0)} a day, "
            f"funding {pounds_label(rule.funding_per_day or 0)} a day")


def effect(rule: IndustrialAction, close: CloseContext) -> list[BridgeItem]:
    return [BridgeItem(rule.org, KEY, _label(rule), rule.total_funding - rule.total_cost)]


SHOCK = Shock(KEY, "Industrial action", IndustrialAction, check, effect)
