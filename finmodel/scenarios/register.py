"""The close's risk register as a scenario changes it, and what each change is worth.

Every amount here is in surplus terms: a risk takes its value off the outturn, a
mitigation adds its value. An item's *expected value* is its signed value times its
likelihood, rounded once per item half away from zero: the likely case adds these up, so
a change to one item moves the likely case by exactly the change in its expected value.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from fractions import Fraction

from finmodel.money import divide_round, format_millions
from finmodel.results.risks import RiskItem
from finmodel.scenarios.fields import percent_label
from finmodel.scenarios.file import NewItem, RegisterChange, ScenarioFile
from finmodel.scenarios.summary import BridgeItem
from finmodel.system_config import SystemConfig

REGISTER_AS_CLOSED = "register"  # bridge: the close's register, likelihood-weighted
REGISTER_CHANGE = "register_change"  # bridge: one item switched off, re-valued, re-assessed or added


def signed_value(item: RiskItem) -> int:
    """The item's full value in surplus terms: risks adverse, mitigations favourable."""
    return -item.value if item.type == "risk" else item.value


def expected_value(item: RiskItem) -> int:
    """Signed value x likelihood, rounded once (half away from zero)."""
    weighted = Fraction(item.likelihood_pct) / 100 * signed_value(item)
    return divide_round(weighted.numerator, weighted.denominator)


def likelihood_pct(value: Decimal | str, system: SystemConfig) -> Decimal:
    """A scenario's likelihood: a number as given, a word through system.yaml's likelihood_pct."""
    if isinstance(value, Decimal):
        return value
    return system.parameters.likelihood_pct[value]


def _changed(item: RiskItem, change: RegisterChange, system: SystemConfig) -> RiskItem:
    return dataclasses.replace(
        item,
        likelihood_pct=item.likelihood_pct if change.likelihood is None else likelihood_pct(change.likelihood, system),
        value=item.value if change.value is None else change.value,
        status=item.status if change.status is None else change.status,
    )


def _new(item: NewItem, system: SystemConfig) -> RiskItem:
    return RiskItem(item.id, item.org, item.type, item.category, item.description, item.value,
                    likelihood_pct(item.likelihood, system), item.status)


def _named(item: RiskItem, what: str) -> str:
    about = f" {item.description}" if item.description else ""
    return f"{item.id}{about}: {what}"


def _what_changed(before: RiskItem, after: RiskItem) -> str:
    parts = []
    if after.value != before.value:
        parts.append(f"value {format_millions(before.value)} to {format_millions(after.value)} £m")
    if after.likelihood_pct != before.likelihood_pct:
        parts.append(f"likelihood {percent_label(before.likelihood_pct)} to {percent_label(after.likelihood_pct)}")
    if after.status != before.status:
        parts.append(f"status {before.status or 'none'} to {after.status}")
    return ", ".join(parts) or "unchanged"


def adjusted_register(
    register: tuple[RiskItem, ...], content: ScenarioFile, system: SystemConfig
) -> tuple[tuple[RiskItem, ...], tuple[BridgeItem, ...]]:
    """The register the cases use (sorted by id) and each change's effect on the likely case.

    The ids are known to exist (check.py); items switched off are left out of every case.
    """
    items: list[RiskItem] = []
    bridge: list[BridgeItem] = []
    for item in sorted(register, key=lambda i: i.id):
        change = content.changes.get(item.id)
        if change is None:
            items.append(item)
            continue
        if not change.include:
            bridge.append(BridgeItem(item.org, REGISTER_CHANGE, _named(item, "switched off"), -expected_value(item)))
            continue
        after = _changed(item, change, system)
        items.append(after)
        bridge.append(BridgeItem(item.org, REGISTER_CHANGE, _named(item, _what_changed(item, after)),
                                 expected_value(after) - expected_value(item)))
    for new in content.new_items:
        item = _new(new, system)
        items.append(item)
        bridge.append(BridgeItem(item.org, REGISTER_CHANGE, _named(item, f"new {item.type}"), expected_value(item)))
    return tuple(sorted(items, key=lambda i: i.id)), tuple(bridge)


def expected_by_org(register: tuple[RiskItem, ...], orgs: tuple[str, ...]) -> dict[str, int]:
    return {o: sum(expected_value(i) for i in register if i.org == o) for o in orgs}
