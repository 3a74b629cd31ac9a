"""CIP delivery: schemes of a named rating deliver a stated share of their remaining plan."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Literal

from pydantic import Field, field_validator

from finmodel.contract import CIP_RATINGS
from finmodel.findings import Finding
from finmodel.results.cip import risk_adjusted
from finmodel.scenarios.context import CloseContext
from finmodel.scenarios.fields import OrgCode, Strict, percent_label
from finmodel.scenarios.shocks.base import Located, Shock
from finmodel.scenarios.summary import BridgeItem
from finmodel.system_config import Percent

KEY = "cip_delivery"


class CipDelivery(Strict):
    probability_pct: dict[Literal[CIP_RATINGS], Percent]  # type: ignore[valid-type]
    organisations: tuple[OrgCode, ...] = Field((), description="empty = every organisation")

    @field_validator("probability_pct")
    @classmethod
    def _some_ratings(cls, value: dict[str, Decimal]) -> dict[str, Decimal]:
        if not value:
            raise ValueError("at least one rating with its probability")
        return value


def check(rules: Sequence[Located[CipDelivery]], close: CloseContext) -> list[Finding]:
    return [f for where, rule in rules for j, code in enumerate(rule.organisations)
            for f in close.org(f"{where}.organisations.{j}", code)]


def effect(rule: CipDelivery, close: CloseContext) -> list[BridgeItem]:
    """Schemes of a named rating deliver that share of their remaining plan.

    The effect replaces each scheme's submitted forecast with remaining plan x the
    scenario's probability (rounded per scheme), so it is absolute: 'opportunity schemes
    deliver 25%' means exactly that, whatever the organisation itself forecast. A scheme
    counts for the organisation that owns it (an ICB scheme landing in a provider is the
    ICB's saving).
    """
    results = close.results
    ratings = ", ".join(f"{r.replace('_', ' ')} {percent_label(p)}" for r, p in rule.probability_pct.items())
    items = []
    for org in rule.organisations or tuple(close.codes):
        schemes = [s for s in results.cip_schemes if s.org == org and s.rating in rule.probability_pct]
        amount = sum(risk_adjusted(0, s.remaining_plan, rule.probability_pct[s.rating]) - s.forecast for s in schemes)
        items.append(BridgeItem(org, KEY, f"CIP delivery: {ratings}", amount))
    return items


SHOCK = Shock(KEY, "CIP delivery", CipDelivery, check, effect, many=False)
