"""Parameter shocks turned into money: each is a change to the close's submitted FOT.

Every shock is measured against the close as submitted, on its own, and in surplus terms
(negative = adverse), rounded once where it is defined (per provider and rule, per scheme,
per package line). Shocks add up: two that touch the same spend (a rate-card cut and a
run-rate forecast for pay) are both counted, as the scenario file states them.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction

from finmodel.calendar import FinancialYear
from finmodel.money import divide_round
from finmodel.results import CloseResults
from finmodel.results.cip import risk_adjusted
from finmodel.results.phc import growth_cost
from finmodel.results.position import line_groups_for
from finmodel.scenarios.file import (
    AgencyRateCard,
    CipDelivery,
    ForecastMethod,
    IndustrialAction,
    PhcPackages,
    ScenarioFile,
)
from finmodel.scenarios.summary import BridgeItem

AGENCY_RATE_CARD = "agency_rate_card"
CIP_DELIVERY = "cip_delivery"
PHC_PACKAGES = "phc_packages"
INDUSTRIAL_ACTION = "industrial_action"
FORECAST_METHOD = "forecast_method"
SHOCKS = (AGENCY_RATE_CARD, CIP_DELIVERY, PHC_PACKAGES, INDUSTRIAL_ACTION, FORECAST_METHOD)


def _pct(value: Decimal) -> str:
    return f"{value.normalize():f}%"


def _pounds(pence: int) -> str:
    return f"£{pence // 100:,}" if pence % 100 == 0 else f"£{Decimal(pence) / 100:,.2f}"


def _share(amount: int, pct: Decimal) -> int:
    """amount x pct / 100, rounded once."""
    value = Fraction(pct) / 100 * amount
    return divide_round(value.numerator, value.denominator)


def first_open_month(results: CloseResults, month: int | None) -> int:
    """The first month a shock can change: months up to the close hold actuals."""
    return max(month or 0, results.month + 1)


def agency_rate_card(results: CloseResults, rule: AgencyRateCard) -> list[BridgeItem]:
    """Agency spend after the close, from the month given, changes by the rate change.

    All frameworks: the provider's agency pay (what the position holds); on or off
    framework: agency.xlsx's detail for that framework, which reconciles to it.
    """
    start = first_open_month(results, rule.from_month)
    providers = rule.providers or results.provider_codes
    where = "all frameworks" if rule.framework == "all" else f"{rule.framework} framework"
    label = rule.description or f"Agency rate card {_pct(rule.change_pct)} from M{start} ({where})"
    items = []
    for org in providers:
        if rule.framework == "all":
            spends = [a.monthly_spend for a in results.agency if a.org == org]
        else:
            spends = [d.monthly_spend for d in results.agency_detail if d.org == org and d.framework == rule.framework]
        affected = sum(sum(s[start - 1:]) for s in spends)
        items.append(BridgeItem(org, AGENCY_RATE_CARD, label, -_share(affected, rule.change_pct)))
    return items


def cip_delivery(results: CloseResults, rule: CipDelivery) -> list[BridgeItem]:
    """Schemes of a named rating deliver that share of their remaining plan.

    The effect replaces each scheme's submitted forecast with remaining plan x the
    scenario's probability (rounded per scheme), so it is absolute: 'opportunity schemes
    deliver 25%' means exactly that, whatever the organisation itself forecast. A scheme
    counts for the organisation that owns it (an ICB scheme landing in a provider is the
    ICB's saving).
    """
    orgs = rule.organisations or tuple(o.code for o in results.organisations)
    ratings = ", ".join(f"{r.replace('_', ' ')} {_pct(p)}" for r, p in rule.probability_pct.items())
    items = []
    for org in orgs:
        schemes = [s for s in results.cip_schemes if s.org == org and s.rating in rule.probability_pct]
        effect = sum(risk_adjusted(0, s.remaining_plan, rule.probability_pct[s.rating]) - s.forecast for s in schemes)
        items.append(BridgeItem(org, CIP_DELIVERY, f"CIP delivery: {ratings}", effect))
    return items


def phc_packages(results: CloseResults, rule: PhcPackages) -> list[BridgeItem]:
    """Extra packages start on the 1st of each month from the month given, each running to
    31 March at the weekly cost: the same arithmetic as system.yaml's PHC growth."""
    start = first_open_month(results, rule.from_month)
    org = rule.org or results.icb_codes[0]
    cost = growth_cost(rule.per_month, rule.weekly_cost, FinancialYear.parse(results.year), start - 1) if start <= 12 else 0
    label = rule.description or (
        f"PHC {rule.service}: {rule.per_month.normalize():f} extra packages a month from M{start} at {_pounds(rule.weekly_cost)} a week"
    )
    return [BridgeItem(org, PHC_PACKAGES, label, -cost)]


def industrial_action(rule: IndustrialAction) -> list[BridgeItem]:
    label = rule.description or f"Industrial action M{rule.month}: cost {_pounds(rule.cost)}, funding {_pounds(rule.funding)}"
    return [BridgeItem(rule.org, INDUSTRIAL_ACTION, label, rule.funding - rule.cost)]


def forecast_method(results: CloseResults, rule: ForecastMethod) -> list[BridgeItem]:
    """The chosen lines forecast by another method: model FOT - submitted FOT, in surplus terms."""
    orgs = rule.organisations or tuple(o.code for o in results.organisations)
    types = {o.code: o.type for o in results.organisations}
    rows = {(c.org, c.line_group): c for c in results.challenge}
    label = f"Forecast {', '.join(l.replace('_', ' ') for l in rule.lines)} by {rule.method.replace('_', ' ')}"
    items = []
    for org in orgs:
        lines = [l for l in rule.lines if l in line_groups_for(types[org])]
        if not lines:
            continue  # an ICB has no pay line to re-forecast when every organisation is meant
        effect = 0
        for line in lines:
            row = rows[(org, line)]
            effect += row.sign * (dict(row.method_fots)[rule.method] - row.submitted_fot)
        items.append(BridgeItem(org, FORECAST_METHOD, label, effect))
    return items


def shock_items(results: CloseResults, content: ScenarioFile) -> tuple[BridgeItem, ...]:
    """Every shock of the file, in the order of docs/scenarios.md, then file order."""
    items: list[BridgeItem] = []
    for agency in content.agency_rate_card:
        items += agency_rate_card(results, agency)
    if content.cip_delivery is not None:
        items += cip_delivery(results, content.cip_delivery)
    for phc in content.phc_packages:
        items += phc_packages(results, phc)
    for action in content.industrial_action:
        items += industrial_action(action)
    for method in content.forecast_method:
        items += forecast_method(results, method)
    return tuple(items)


def by_org(items: Iterable[BridgeItem], orgs: tuple[str, ...]) -> dict[str, int]:
    totals = dict.fromkeys(orgs, 0)
    for item in items:
        totals[item.org] += item.amount
    return totals
