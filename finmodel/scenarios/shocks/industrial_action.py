"""Industrial action after the close: its cost less any national funding."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import Field

from finmodel.findings import Finding
from finmodel.money import pounds_label
from finmodel.scenarios.context import CloseContext
from finmodel.scenarios.fields import Amount, Month, OrgCode, Strict
from finmodel.scenarios.shocks.base import Located, Shock
from finmodel.scenarios.summary import BridgeItem

KEY = "industrial_action"


class IndustrialAction(Strict):
    org: OrgCode
    month: Month
    cost: Amount
    funding: Amount = 0
    description: str = Field("", max_length=200)


def check(rules: Sequence[Located[IndustrialAction]], close: CloseContext) -> list[Finding]:
    """A month already closed is refused: its cost is in the actuals."""
    found: list[Finding] = []
    for where, rule in rules:
        found += close.org(f"{where}.org", rule.org)
        if rule.month <= close.month:
            found.append(close.fault(f"{where}.month", "month_closed", rule.month,
                                     f"a month after the close (M{close.month}): the cost of M1..M{close.month} is already in the actuals"))
    return found


def effect(rule: IndustrialAction, close: CloseContext) -> list[BridgeItem]:
    label = rule.description or f"Industrial action M{rule.month}: cost {pounds_label(rule.cost)}, funding {pounds_label(rule.funding)}"
    return [BridgeItem(rule.org, KEY, label, rule.funding - rule.cost)]


SHOCK = Shock(KEY, "Industrial action", IndustrialAction, check, effect)
