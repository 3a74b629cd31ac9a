"""The agreement of balances: each flow between two organisations as both sides report it.

A flow from a *payer* to a *payee* is reported twice: as the payer's expenditure on rows
tagged with the payee (the ICB's contract spend, nonpay or pay), and as the payee's income
on rows tagged with the payer. A counterparty that is no organisation of system.yaml is a
body outside the system, and a row without one is read as a flow with a body outside: neither
is ever in a pair. Pure: the ledger in, frozen values out.

The eliminated (matched) amount of a pair is, measure by measure, the smaller of the two
sides' reports (docs/decisions.md): the amount both sides agree on. The difference stays in
gross income or expenditure, on the side that reported more, where it can be seen.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from finmodel.results.lines import Line, sum_by, ytd_measures
from finmodel.system_config import SystemConfig

_SUMMED = ("ytd_plan", "actual", "plan", "forecast")
SHOWN_LINES = 5  # lines named per side, to locate it (the rest are counted)


@dataclass(frozen=True)
class FlowSide:
    """One side's report of a flow: its rows tagged with the other organisation."""

    line: Line  # sign +1 for the payee's income, -1 for the payer's expenditure; empty if untagged
    sources: tuple[str, ...] = ()  # the ledger sources of the rows: income, pay, nonpay
    lines: tuple[str, ...] = ()  # the first SHOWN_LINES lines, "source: line / cost centre"
    line_count: int = 0  # how many lines in all; 0 = this side tagged no row

    @property
    def tagged(self) -> bool:
        return self.line_count > 0


@dataclass(frozen=True)
class AgreementPair:
    payer: str
    payee: str
    expenditure: FlowSide  # as the payer reports it
    income: FlowSide  # as the payee reports it

    @property
    def both_tagged(self) -> bool:
        return self.income.tagged and self.expenditure.tagged

    @property
    def ytd_difference(self) -> int:
        """Income side - expenditure side, YTD actual (positive: the payee books more)."""
        return self.income.line.ytd_actual - self.expenditure.line.ytd_actual

    @property
    def fot_difference(self) -> int:
        return self.income.line.fot - self.expenditure.line.fot

    def flagged(self, materiality: int) -> bool:
        """Reported by one side only, or the sides differ by more than the materiality."""
        return not self.both_tagged or max(abs(self.ytd_difference), abs(self.fot_difference)) > materiality

    @property
    def matched(self) -> Line:
        """The amount eliminated, as income (+1): measure by measure the smaller side; none
        when only one side tagged the flow (it is not eliminated, never guessed)."""
        if not self.both_tagged:
            return Line(+1)
        a, b = self.income.line, self.expenditure.line
        ytd, fot = min(a.ytd_actual, b.ytd_actual), min(a.fot, b.fot)
        return Line(+1, min(a.ytd_plan, b.ytd_plan), ytd, min(a.year_plan, b.year_plan), fot - ytd)


@dataclass(frozen=True)
class Agreement:
    materiality: int = 0  # parameters.agreement_materiality, pence
    pairs: tuple[AgreementPair, ...] = ()  # sorted by payer, payee

    def flagged(self) -> tuple[AgreementPair, ...]:
        return tuple(p for p in self.pairs if p.flagged(self.materiality))


def tagged_flows(ledger: pd.DataFrame, system: SystemConfig) -> pd.DataFrame:
    """The ledger's rows tagged with another organisation of the system, with payer and payee."""
    if "counterparty" not in ledger.columns or ledger.empty:
        return ledger.iloc[:0].assign(payer="", payee="")
    inside = ledger["counterparty"].isin(list(system.codes)).to_numpy()
    rows = ledger[inside]
    org = rows["org"].to_numpy(dtype=object).astype(str)
    other = rows["counterparty"].to_numpy(dtype=object).astype(str)
    income = rows["sign"].to_numpy() > 0
    keep = org != other  # validation refuses these; a ledger built by hand may hold them
    payer, payee = np.where(income, other, org), np.where(income, org, other)
    return rows[keep].assign(payer=payer[keep], payee=payee[keep])


def _side(sums: dict[str, int] | None, sign: int, rows: pd.DataFrame) -> FlowSide:
    if sums is None:
        return FlowSide(Line(sign))
    line = Line(sign, sums["ytd_plan"], sums["actual"], sums["plan"], sums["forecast"])
    named = rows[["source", "line", "cost_centre"]].astype(str).drop_duplicates().sort_values(["source", "line", "cost_centre"])
    labels = [f"{s}: {ln}" + (f" / {cc}" if cc else "") for s, ln, cc in named.itertuples(index=False, name=None)]
    return FlowSide(line, tuple(sorted(set(named["source"]))), tuple(labels[:SHOWN_LINES]), len(labels))


def compute_agreement(ledger: pd.DataFrame, system: SystemConfig, month: int) -> Agreement:
    """Every pair of organisations with a flow tagged by at least one side."""
    materiality = system.parameters.agreement_materiality
    flows = tagged_flows(ledger, system)
    if flows.empty:
        return Agreement(materiality)
    frame = ytd_measures(flows, month)
    sums = sum_by(frame, ("payer", "payee", "sign"), _SUMMED)
    by_key = {key: group for key, group in frame.groupby(["payer", "payee", "sign"], sort=True)}
    pairs = []
    for payer, payee in sorted({(k[0], k[1]) for k in sums}):
        sides = {sign: _side(sums.get((payer, payee, sign)), sign, by_key.get((payer, payee, sign), frame.iloc[:0])) for sign in (+1, -1)}
        pairs.append(AgreementPair(payer, payee, sides[-1], sides[+1]))
    return Agreement(materiality, tuple(pairs))


def eliminated(agreement: Agreement, members: frozenset[str] | None = None) -> Line:
    """The matched flows between organisations (all, or both sides among ``members``), as income."""
    total = Line(+1)
    for pair in agreement.pairs:
        if members is None or (pair.payer in members and pair.payee in members):
            total = total + pair.matched
    return total


def one_sided(agreement: Agreement, members: frozenset[str] | None = None) -> Line:
    """Flows tagged by one side only (not eliminated), as the tagging side reports them, as income."""
    total = Line(+1)
    for pair in agreement.pairs:
        if pair.both_tagged or not (members is None or (pair.payer in members and pair.payee in members)):
            continue
        side = pair.income if pair.income.tagged else pair.expenditure
        line = side.line if side.line.sign > 0 else Line(+1, side.line.ytd_plan, side.line.ytd_actual, side.line.year_plan, side.line.forecast)
        total = total + line
    return total
