"""The agreement of balances as warnings: a pair whose sides differ by more than the
materiality, or a flow tagged by one side only, located on the rows that make up each side.

The ledger keeps no Excel row numbers, so a side is located by its workbook and sheet, the
counterparty column, and the lines (source: line / cost centre) its tagged rows make up.
Warnings, not errors: the close is right to record what each side reported; the pair is for
the two finance teams to agree, as in the national agreement of balances.
"""

from __future__ import annotations

from finmodel.findings import Finding
from finmodel.money import format_pounds, pounds_label
from finmodel.results.agreement import Agreement, AgreementPair, FlowSide

_SHEETS = {"income": ("income.xlsx", "income"), "pay": ("pay.xlsx", "pay"), "nonpay": ("nonpay.xlsx", "nonpay")}


def _report(org: str, other: str, side: FlowSide) -> str:
    more = f" and {side.line_count - len(side.lines)} more" if side.line_count > len(side.lines) else ""
    return (f"{org}'s rows tagged {other}: YTD {format_pounds(side.line.ytd_actual)}, FOT {format_pounds(side.line.fot)} "
            f"({'; '.join(side.lines)}{more})")


def _where(side: FlowSide) -> list[tuple[str, str]]:
    return [_SHEETS.get(s, (f"{s}.xlsx", s)) for s in side.sources]


def _mismatch(pair: AgreementPair, materiality: int) -> list[Finding]:
    found = []
    difference = (f"difference YTD {format_pounds(pair.ytd_difference)}, FOT {format_pounds(pair.fot_difference)} "
                  f"(income - expenditure), more than the materiality of {pounds_label(materiality)}")
    for org, other, side, theirs in ((pair.payer, pair.payee, pair.expenditure, pair.income), (pair.payee, pair.payer, pair.income, pair.expenditure)):
        expected = f"agreement with {_report(other, org, theirs)}: {difference}"
        for workbook, sheet in _where(side):
            found.append(Finding(workbook, sheet, None, "counterparty", "agreement_mismatch", _report(org, other, side), expected, "warning"))
    return found


def _one_sided(pair: AgreementPair) -> list[Finding]:
    tagged_income = pair.income.tagged
    org, other = (pair.payee, pair.payer) if tagged_income else (pair.payer, pair.payee)
    side = pair.income if tagged_income else pair.expenditure
    theirs = "spend" if tagged_income else "income"
    expected = (f"{other}'s {theirs} rows tagged {org}, the other side of this flow (none found): "
                "until both sides tag it, the flow is not eliminated from gross ICS income and expenditure")
    return [Finding(wb, sheet, None, "counterparty", "counterparty_one_sided", _report(org, other, side), expected, "warning")
            for wb, sheet in _where(side)]


def agreement_findings(agreement: Agreement) -> list[Finding]:
    """A warning per side of each flagged pair, in pair order."""
    found: list[Finding] = []
    for pair in agreement.flagged():
        found += _mismatch(pair, agreement.materiality) if pair.both_tagged else _one_sided(pair)
    return found
