"""The whole example year, and each close's workbooks as tables (no files touched here)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Iterator

import numpy as np

from finmodel.contract import AGENCY, CAPITAL, CIP, INCOME, NONPAY, PAY, PHC, POOLED, RISKS
from finmodel.example.capital import capital_table
from finmodel.example.cip import Schemes, cip_tables, schemes
from finmodel.example.icb import icb_ledger
from finmodel.example.lines import Lines, concat, ledger_table, text
from finmodel.example.phc import Phc, phc, phc_tables
from finmodel.example.pooled import pooled_tables
from finmodel.example.providers import provider_ledger
from finmodel.example.risks import Item, register, register_table
from finmodel.example.shape import CLOSE_MONTHS, PROVIDERS, REPHASE_FROM_MONTH, REPHASE_ORG, REPHASE_PENCE, REPHASE_TO_MONTH
from finmodel.example.system_yaml import system_yaml_text
from finmodel.example.sheet_data import SheetData

_DETAIL = ("cost_centre", "subjective", "description")
_TAGGED = (*_DETAIL, "counterparty")  # income and nonpay name the other side of ICB contracts
# One-off items of the underlying position: industrial action's cover and its national funding
# are in no year's recurrent run rate (CIP's one-off savings are the schemes' own flag).
# nonpay.xlsx is written without the column, as a house that never marks one would.
_ONE_OFF_DRIVERS = frozenset({"industrial_action_cost", "industrial_action_funding"})
_RECURRENCE = ("recurrence",)


def with_recurrence(lines: Lines) -> Lines:
    """The lines with their recurrence: non_recurrent for the one-off drivers, else blank."""
    marked = text(["non_recurrent" if d in _ONE_OFF_DRIVERS else None for d in lines.labels["driver"].tolist()])
    return replace(lines, labels={**lines.labels, "recurrence": marked})


@dataclass(frozen=True)
class Example:
    """The example year: every organisation's ledger lines, schemes, packages and register."""

    income: Lines
    pay: Lines
    nonpay: Lines  # plans as at M09
    nonpay_rephased: Lines  # plans as at M10, after the one re-phasing
    agency: Lines
    cip: Schemes
    phc: Phc
    risks: tuple[Item, ...]
    system_yaml: str

    def nonpay_at(self, close: int) -> Lines:
        return self.nonpay if close == CLOSE_MONTHS[0] else self.nonpay_rephased


def rephasing_line(nonpay: Lines) -> int:
    """The line re-phased between the closes: the organisation's energy budget, one line at
    any scale, so the month the plan leaves always holds more than the amount moved.
    """
    line = np.flatnonzero((nonpay.labels["org"] == REPHASE_ORG) & (nonpay.labels["category"] == "Energy"))
    assert line.size == 1 and nonpay.plan[line[0], REPHASE_FROM_MONTH - 1] > 2 * REPHASE_PENCE
    return int(line[0])


def build_example(scale: float = 1.0) -> Example:
    providers = [provider_ledger(shape, scale) for shape in PROVIDERS]
    phc_year = phc(scale)
    provider_income = concat([p.income for p in providers])
    icb = icb_ledger(scale, int(phc_year.budget.plan.sum()), provider_income)
    nonpay = concat([p.nonpay for p in providers] + [icb.nonpay])
    line = rephasing_line(nonpay)
    return Example(
        income=with_recurrence(concat([provider_income, icb.income])),
        pay=with_recurrence(concat([p.pay for p in providers])),
        nonpay=nonpay,
        nonpay_rephased=nonpay.with_plan_moved(line, REPHASE_FROM_MONTH, REPHASE_TO_MONTH, REPHASE_PENCE),
        agency=concat([p.agency for p in providers]),
        cip=schemes(scale),
        phc=phc_year,
        risks=tuple(register(scale)),
        system_yaml=system_yaml_text(phc_year),
    )


def close_workbooks(example: Example, close: int) -> Iterator[tuple[str, tuple[SheetData, ...]]]:
    """(file name, sheets) for each workbook of a close, one at a time to keep memory flat."""
    yield INCOME.filename, (ledger_table("income", example.income, close, ("category",), _TAGGED + _RECURRENCE),)
    yield PAY.filename, (ledger_table("pay", example.pay, close, ("staff_group", "pay_type"), _DETAIL + _RECURRENCE),)
    yield NONPAY.filename, (ledger_table("nonpay", example.nonpay_at(close), close, ("category", "kind"), _TAGGED),)
    own = ("staff_group", "framework", "supplier", "shifts")
    yield AGENCY.filename, (ledger_table("agency", example.agency, close, own, ("cost_centre", "description")),)
    yield CIP.filename, cip_tables(example.cip, close)
    yield PHC.filename, phc_tables(example.phc, close)
    yield CAPITAL.filename, (capital_table(close),)
    yield RISKS.filename, (register_table(list(example.risks), close),)
    yield POOLED.filename, pooled_tables(close)
