"""A share rule in money: who bears what part of a variance, exact to the penny.

A variance is in surplus terms (positive = underspend). The part a rule shares is split
tier by tier (the first £X one way, the rest another), each tier by its percentages, and a
named share split again among partners; every split is by largest remainder, so the parts
always add up to the whole exactly (docs/decisions.md). Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from finmodel.pooled_config import ShareRule


@dataclass(frozen=True)
class SharePart:
    partner: str  # an organisation or partner code
    amount: int  # pence, surplus terms: negative = the part of an overspend it bears
    via: str = ""  # the named share it came through (a split), "" when named directly


@dataclass(frozen=True)
class ShareOutcome:
    rule: str  # the rule's name
    kind: str  # "fund", "service" or "line"
    subject: str  # the fund's code, the PHC service or the ledger line
    holder: str  # the organisation whose ledger holds the spend; "" for a fund (in nobody's)
    baseline: int | None  # pence; None for a fund
    measure: int  # what the spend is measured against: contributions (fund) or the baseline
    fot: int  # the spend's forecast outturn
    applies_to: str
    parts: tuple[SharePart, ...]
    # Each NHS organisation's FOT adjustment (surplus terms), in the order partners are met:
    # its part, less, for the holder, the whole variance its own ledger already holds.
    effects: tuple[tuple[str, int], ...]

    @property
    def variance(self) -> int:
        """Contributions or baseline - forecast spend: positive = underspend."""
        return self.measure - self.fot

    @property
    def shared(self) -> int:
        """The variance the rule shares: all of it, or none when it applies to the other way."""
        return sum(p.amount for p in self.parts)


def split_exact(amount: int, shares: Sequence[tuple[str, Decimal]]) -> tuple[tuple[str, int], ...]:
    """amount split by percentages adding up to 100, by largest remainder: the parts add up to
    amount exactly; a tie goes to the share listed first. Negative amounts split as their size."""
    size = abs(amount)
    exact = [Fraction(pct) * size / 100 for _, pct in shares]
    parts = [e.numerator // e.denominator for e in exact]
    left = size - sum(parts)
    ranked = sorted(range(len(shares)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in ranked[:left]:
        parts[i] += 1
    sign = -1 if amount < 0 else 1
    return tuple((code, sign * part) for (code, _), part in zip(shares, parts))


def tier_amounts(amount: int, bounds: Sequence[int | None]) -> tuple[int, ...]:
    """amount in tiers whose (cumulative) upper bounds are ``bounds``; None = the rest."""
    size, below, out = abs(amount), 0, []
    for bound in bounds:
        top = size if bound is None else min(size, bound)
        out.append(max(top - below, 0))
        below = max(below, top)
    sign = -1 if amount < 0 else 1
    return tuple(sign * part for part in out)


def applies(applies_to: str, variance: int) -> bool:
    return applies_to == "both" or (applies_to == "underspend") == (variance > 0)


def rule_parts(rule: ShareRule, variance: int) -> tuple[SharePart, ...]:
    """The parts of the variance the rule shares, by partner and the split they came through."""
    if variance == 0 or not applies(rule.applies_to, variance):
        return ()
    found: dict[tuple[str, str], int] = {}
    for tier, amount in zip(rule.tiers, tier_amounts(variance, [t.up_to_pence for t in rule.tiers])):
        for name, part in split_exact(amount, tuple(tier.shares.items())):
            if name in rule.splits:
                for code, sub in split_exact(part, tuple(rule.splits[name].items())):
                    found[(code, name)] = found.get((code, name), 0) + sub
            else:
                found[(name, "")] = found.get((name, ""), 0) + part
    return tuple(SharePart(code, amount, via) for (code, via), amount in found.items())


def effects(parts: Iterable[SharePart], holder: str, nhs: frozenset[str]) -> tuple[tuple[str, int], ...]:
    """Each NHS organisation's FOT adjustment: its parts; the holder also passes on (or
    recovers) the whole shared variance, which its ledger already holds."""
    parts = tuple(parts)
    total: dict[str, int] = {}
    if holder and parts:
        total[holder] = -sum(p.amount for p in parts)
    for part in parts:
        if part.partner in nhs:
            total[part.partner] = total.get(part.partner, 0) + part.amount
    return tuple((org, amount) for org, amount in total.items() if amount != 0)


def outcome(rule: ShareRule, kind: str, subject: str, holder: str, measure: int, fot: int, nhs: frozenset[str]) -> ShareOutcome:
    """The rule applied to a spend of ``fot`` against ``measure`` (contributions or baseline)."""
    parts = rule_parts(rule, measure - fot)
    return ShareOutcome(
        rule=rule.name, kind=kind, subject=subject, holder=holder, baseline=None if kind == "fund" else measure,
        measure=measure, fot=fot, applies_to=rule.applies_to, parts=parts, effects=effects(parts, holder, nhs),
    )
