"""PHC packages: extra placements and healthcare packages starting each month after the close."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Literal

from pydantic import Field

from finmodel.calendar import FinancialYear
from finmodel.contract import PHC_SERVICES
from finmodel.findings import Finding
from finmodel.money import pounds_label
from finmodel.results.phc import growth_cost
from finmodel.scenarios.context import CloseContext
from finmodel.scenarios.fields import Amount, Month, OrgCode, Strict
from finmodel.scenarios.shocks.base import Located, Shock, first_open_month, month_closed_warning
from finmodel.scenarios.summary import BridgeItem

KEY = "phc_packages"


class PhcPackages(Strict):
    service: Literal[PHC_SERVICES]  # type: ignore[valid-type]
    per_month: Decimal = Field(ge=0, le=10_000, description="extra packages starting each month")
    weekly_cost: Amount
    from_month: Month | None = Field(None, description="default: the month after the close")
    org: OrgCode | None = Field(None, description="the commissioner; default the first ICB")
    description: str = Field("", max_length=200)


def check(rules: Sequence[Located[PhcPackages]], close: CloseContext) -> list[Finding]:
    """Packages are commissioned by an ICB; a start at or before the close is a warning."""
    found: list[Finding] = []
    for where, rule in rules:
        if rule.org is not None:
            found += close.org(f"{where}.org", rule.org, close.icbs, "an ICB")
        elif not close.icbs:
            found.append(close.fault(f"{where}.org", "org_type_mismatch", "", "an ICB: the close has none"))
        found += month_closed_warning(close, f"{where}.from_month", rule.from_month, f"packages start from M{close.month + 1}")
    return found


def effect(rule: PhcPackages, close: CloseContext) -> list[BridgeItem]:
    """Extra packages start on the 1st of each month from the month given, each running to
    31 March at the weekly cost: the same arithmetic as system.yaml's PHC growth."""
    results = close.results
    start = first_open_month(close, rule.from_month)
    org = rule.org or results.icb_codes[0]
    cost = growth_cost(rule.per_month, rule.weekly_cost, FinancialYear.parse(results.year), start - 1) if start <= 12 else 0
    label = rule.description or (
        f"PHC {rule.service}: {rule.per_month.normalize():f} extra packages a month from M{start} "
        f"at {pounds_label(rule.weekly_cost)} a week"
    )
    return [BridgeItem(org, KEY, label, -cost)]


SHOCK = Shock(KEY, "PHC packages", PhcPackages, check, effect)
