"""Agency rate card: agency spend after the close changes by a percentage, per provider."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field

from finmodel.findings import Finding
from finmodel.scenarios.context import CloseContext
from finmodel.scenarios.fields import Month, OrgCode, Strict, percent_label
from finmodel.scenarios.shocks.base import Located, Shock, first_open_month, month_closed_warning, share
from finmodel.scenarios.summary import BridgeItem

KEY = "agency_rate_card"


def _framework(value: Any) -> Any:
    # YAML 1.1 reads a bare on/off as true/false; finance staff should not need quotes.
    if isinstance(value, bool):
        return "on" if value else "off"
    return value


class AgencyRateCard(Strict):
    change_pct: Decimal = Field(ge=-100, le=1000, description="change in agency rates, e.g. -10 for a 10% cut")
    from_month: Month
    providers: tuple[OrgCode, ...] = Field((), description="empty = every provider")
    framework: Annotated[Literal["on", "off", "all"], BeforeValidator(_framework)] = "all"
    description: str = Field("", max_length=200)


def check(rules: Sequence[Located[AgencyRateCard]], close: CloseContext) -> list[Finding]:
    """Only providers have agency spend; a start at or before the close is a warning."""
    found: list[Finding] = []
    for where, rule in rules:
        for j, code in enumerate(rule.providers):
            found += close.org(f"{where}.providers.{j}", code, close.providers, "a provider")
        found += month_closed_warning(close, f"{where}.from_month", rule.from_month,
                                      f"it applies from M{close.month + 1}, months to M{close.month} are actuals")
    return found


def effect(rule: AgencyRateCard, close: CloseContext) -> list[BridgeItem]:
    """Agency spend after the close, from the month given, changes by the rate change.

    All frameworks: the provider's agency pay (what the position holds); on or off
    framework: agency.xlsx's detail for that framework, which reconciles to it.
    """
    results = close.results
    start = first_open_month(close, rule.from_month)
    where = "all frameworks" if rule.framework == "all" else f"{rule.framework} framework"
    label = rule.description or f"Agency rate card {percent_label(rule.change_pct)} from M{start} ({where})"
    items = []
    for org in rule.providers or results.provider_codes:
        if rule.framework == "all":
            spends = [a.monthly_spend for a in results.agency if a.org == org]
        else:
            spends = [d.monthly_spend for d in results.agency_detail if d.org == org and d.framework == rule.framework]
        affected = sum(sum(s[start - 1:]) for s in spends)
        items.append(BridgeItem(org, KEY, label, -share(affected, rule.change_pct)))
    return items


SHOCK = Shock(KEY, "Agency rate card", AgencyRateCard, check, effect)
