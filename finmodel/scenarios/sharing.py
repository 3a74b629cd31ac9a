"""Risk- and gain-share agreements between organisations, applied to outturns.

A rule moves part of one organisation's gap to target to a partner: with
``applies_to: overspend`` and 50%, an ICB forecast £4m short of its target takes back
£2m and the partner bears £2m. Rules apply in file order, each to the outturns the rules
before it left, and every transfer is rounded once, half away from zero. A transfer moves
money between two organisations, so the system's outturn never changes.

The same arithmetic runs on one outturn per organisation (the cases) and on every Monte
Carlo iteration at once, since a rule depends on where each iteration ends.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

import numpy as np

from finmodel.scenarios.file import RiskShare

RISK_SHARE = "risk_share"  # bridge: the transfers on the scenario FOT
RISK_SHARE_LIKELY = "risk_share_likely"  # bridge: how the transfers differ in the likely case


def round_half_away(numerator: np.ndarray, denominator: int) -> np.ndarray:
    """numerator / denominator in whole pence, half away from zero, exactly in int64."""
    magnitude = (2 * np.abs(numerator) + denominator) // (2 * denominator)
    return np.where(numerator < 0, -magnitude, magnitude)


def transfer(gap: np.ndarray, rule: RiskShare) -> np.ndarray:
    """What moves from rule.org to rule.partner (negative: the partner takes on an overspend)."""
    if rule.applies_to == "overspend":
        gap = np.minimum(gap, 0)
    elif rule.applies_to == "underspend":
        gap = np.maximum(gap, 0)
    share = Fraction(rule.share_pct) / 100
    # |gap| is pence of one organisation's outturn and share.numerator <= 10,000 (two decimal
    # places of a percentage), so the product stays far inside int64.
    return round_half_away(gap * share.numerator, share.denominator)


def describe(rule: RiskShare) -> str:
    if rule.description:
        return rule.description
    what = {"overspend": "overspend", "underspend": "underspend", "both": "gap to target"}[rule.applies_to]
    return f"{rule.org} {what} shared {rule.share_pct.normalize():f}% with {rule.partner}"


def share_outturns(
    rules: tuple[RiskShare, ...], outturns: Mapping[str, np.ndarray], targets: Mapping[str, int]
) -> tuple[dict[str, np.ndarray], list[dict[str, np.ndarray]]]:
    """Outturns after every rule, and each rule's effect on each organisation it touches."""
    after = {org: np.asarray(values, dtype=np.int64) for org, values in outturns.items()}
    effects: list[dict[str, np.ndarray]] = []
    for rule in rules:
        moved = transfer(after[rule.org] - targets[rule.org], rule)
        after[rule.org] = after[rule.org] - moved
        after[rule.partner] = after[rule.partner] + moved
        effects.append({rule.org: -moved, rule.partner: moved})
    return after, effects


def share_one(
    rules: tuple[RiskShare, ...], outturns: Mapping[str, int], targets: Mapping[str, int]
) -> tuple[dict[str, int], list[dict[str, int]]]:
    """share_outturns for one outturn per organisation."""
    after, effects = share_outturns(rules, {o: np.array([v], dtype=np.int64) for o, v in outturns.items()}, targets)
    return {o: int(v[0]) for o, v in after.items()}, [{o: int(v[0]) for o, v in e.items()} for e in effects]
