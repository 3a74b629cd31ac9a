"""The parameter shocks, one module each, and the one tuple that registers them.

Every shock is measured against the close as submitted, on its own, and in surplus terms
(negative = adverse), rounded once where it is defined (per provider and rule, per scheme,
per package line). Shocks add up: two that touch the same spend (a rate-card cut and a
run-rate forecast for pay) are both counted, as the scenario file states them.

A new shock is a module with its ``SHOCK`` (see ``base.Shock``) and a line in ``SHOCKS``:
the scenario file's schema (file.py), the check against the close (check.py), the bridge
and the workbooks' labels all come from this tuple. Its order is the order of the file's
keys, of docs/scenarios.md's table and of the bridge's steps.
"""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel

from finmodel.scenarios.context import CloseContext
from finmodel.scenarios.shocks import agency_rate_card, cip_delivery, forecast_method, industrial_action, phc_packages, pooled_share
from finmodel.scenarios.shocks.base import Shock
from finmodel.scenarios.summary import BridgeItem

SHOCKS: tuple[Shock, ...] = (
    agency_rate_card.SHOCK,
    cip_delivery.SHOCK,
    phc_packages.SHOCK,
    industrial_action.SHOCK,
    forecast_method.SHOCK,
    pooled_share.SHOCK,
)
LABELS = {shock.key: shock.label for shock in SHOCKS}  # bridge overlay code -> its workbook label


def shock_items(content: BaseModel, close: CloseContext) -> tuple[BridgeItem, ...]:
    """Every shock of the file, in the order of SHOCKS, then file order."""
    return tuple(item for shock in SHOCKS for _, rule in shock.rules(content) for item in shock.effect(rule, close))


def by_org(items: Iterable[BridgeItem], orgs: tuple[str, ...]) -> dict[str, int]:
    totals = dict.fromkeys(orgs, 0)
    for item in items:
        totals[item.org] += item.amount
    return totals
