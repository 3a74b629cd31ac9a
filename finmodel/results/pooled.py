"""Pooled funds (Better Care Fund, section 75) and the shares of their variances.

A fund's contributions are already in its NHS partners' ledgers (as spend) and its schemes'
spend is in nobody's, so an NHS partner's FOT moves by its whole share of the fund's
variance. A baselined service or line is wholly in its ICB's ledger, so the ICB's FOT moves
only by what it passes to (or recovers from) the other partners. Either way the adjustment
is a line of its own, ``pooled_risk_share``, with a forecast and no plan or actual; a
council's share is reported and is in no organisation's position, so never in the ICS total.
Pure: no I/O.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from finmodel.pooled_config import ShareRule
from finmodel.results.lines import Line, sum_by, ytd_measures
from finmodel.results.phc import PhcService
from finmodel.results.pooled_shares import ShareOutcome, outcome
from finmodel.results.position import OrgPosition

POOLED_LINE = "pooled_risk_share"  # the line group of the adjustment (an expenditure line)


@dataclass(frozen=True)
class PartnerInfo:
    code: str
    name: str
    type: str  # local_authority or other


@dataclass(frozen=True)
class PooledScheme:
    scheme_id: str
    scheme: str
    year_plan: int
    ytd_plan: int
    ytd_actual: int
    forecast: int  # months after the close

    @property
    def fot(self) -> int:
        return self.ytd_actual + self.forecast


@dataclass(frozen=True)
class PooledFund:
    fund: str
    name: str
    host: str
    agreement: str  # bcf or s75
    contributions: tuple[tuple[str, int], ...]  # (partner, full-year plan), in first-listed order
    schemes: tuple[PooledScheme, ...]  # by scheme_id

    @property
    def contributed(self) -> int:
        return sum(amount for _, amount in self.contributions)

    @property
    def plan(self) -> int:
        return sum(s.year_plan for s in self.schemes)

    @property
    def fot(self) -> int:
        return sum(s.fot for s in self.schemes)

    @property
    def variance(self) -> int:
        """Contributions - forecast spend: positive = underspend."""
        return self.contributed - self.fot


def compute_funds(funds: pd.DataFrame, contributions: pd.DataFrame, schemes: pd.DataFrame, month: int) -> tuple[PooledFund, ...]:
    """Every fund of pooled.xlsx, sorted by code; its contributions and schemes summed."""
    given: dict[tuple[str, str], int] = {}
    for fund, partner, plan in sorted(zip(contributions["fund"], contributions["partner"], contributions["plan"])):
        given[(fund, partner)] = given.get((fund, partner), 0) + int(plan)
    sums = sum_by(ytd_measures(schemes, month), ("fund", "scheme_id"), ("plan", "ytd_plan", "actual", "forecast")) if len(schemes) else {}
    names = {(f, i): str(n) for f, i, n in sorted(zip(schemes["fund"], schemes["scheme_id"], schemes["scheme"]))}
    out = []
    for fund, name, host, agreement in sorted(zip(funds["fund"], funds["name"], funds["host"], funds["agreement"])):
        mine = tuple(
            PooledScheme(i, names.get((f, i), i), s["plan"], s["ytd_plan"], s["actual"], s["forecast"])
            for (f, i), s in sums.items() if f == fund
        )
        out.append(PooledFund(fund, name, host, agreement, tuple((p, a) for (f, p), a in given.items() if f == fund), mine))
    return tuple(out)


def _subject(rule: ShareRule, funds: dict[str, PooledFund], phc: dict[tuple[str, str], PhcService],
             positions: dict[str, OrgPosition], first_icb: str) -> tuple[str, str, str, int, int]:
    """(kind, subject, holder, measure, fot) of what the rule shares."""
    if rule.fund is not None:
        fund = funds[rule.fund]
        return "fund", rule.fund, "", fund.contributed, fund.fot
    holder = rule.org or first_icb
    if rule.service is not None:
        service = phc.get((holder, rule.service))
        fot = service.fot if service else 0
        prior = service.prior_year_outturn if service else None
        baseline = rule.baseline_pence if rule.baseline_pence is not None else (prior or 0)
        return "service", rule.service, holder, baseline, fot
    line = positions[holder].line(rule.line or "") or Line(-1)
    return "line", rule.line or "", holder, rule.baseline_pence or 0, line.fot


def compute_shares(
    rules: Iterable[ShareRule], funds: tuple[PooledFund, ...], phc: tuple[PhcService, ...],
    positions: tuple[OrgPosition, ...], first_icb: str,
) -> tuple[ShareOutcome, ...]:
    """Each rule against the close, in the order given. Validation has made sure every fund,
    service owner and baseline a rule needs is there."""
    by_fund = {f.fund: f for f in funds}
    by_service = {(s.org, s.service): s for s in phc}
    by_org = {p.org: p for p in positions}
    nhs = frozenset(by_org)
    return tuple(outcome(rule, *_subject(rule, by_fund, by_service, by_org, first_icb), nhs) for rule in rules)


def fot_effects(shares: Iterable[ShareOutcome]) -> dict[str, int]:
    """Each NHS organisation's total FOT adjustment over the rules (surplus terms)."""
    total: dict[str, int] = {}
    for share in shares:
        for org, amount in share.effects:
            total[org] = total.get(org, 0) + amount
    return total


def with_shares(positions: tuple[OrgPosition, ...], shares: tuple[ShareOutcome, ...]) -> tuple[OrgPosition, ...]:
    """The positions with each NHS organisation's share on its own line: a forecast only,
    settled at the year's end (month 12 of the monthly forecast). No share: unchanged."""
    effect = fot_effects(shares)
    out = []
    for p in positions:
        amount = effect.get(p.org, 0)
        if amount == 0:
            out.append(p)
            continue
        line = Line(-1, forecast=-amount)  # an expenditure line: a gain share is a negative cost
        monthly = (*p.monthly_forecast[:11], p.monthly_forecast[11] + amount)
        out.append(dataclasses.replace(
            p, lines=(*p.lines, (POOLED_LINE, line)), expenditure=p.expenditure + line, monthly_forecast=monthly,
        ))
    return tuple(out)
