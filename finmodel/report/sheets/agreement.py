"""Agreement of balances: each flow between two organisations as both sides report it, the
difference, and what is eliminated from gross ICS income and expenditure."""

from __future__ import annotations

from finmodel.money import pounds_label
from finmodel.report.pack import PackInputs
from finmodel.report.sheets.common import title
from finmodel.report.table import TOTAL, Coded, Column, Row, Table, Value
from finmodel.results.agreement import AgreementPair, FlowSide
from finmodel.results.lines import Line

SHEET = "Agreement of balances"
_PAYER, _PAYEE, _DIFFERENCE = "Payer's expenditure", "Payee's income", "Difference"
# The status first, beside the pair it describes: a word left-aligned after a right-aligned
# figure would run into it.
COLUMNS = (
    Column("status", "Status", "text"),
    Column("expenditure_ytd", "YTD", "gbp", _PAYER),
    Column("expenditure_fot", "FOT", "gbp", _PAYER),
    Column("income_ytd", "YTD", "gbp", _PAYEE),
    Column("income_fot", "FOT", "gbp", _PAYEE),
    Column("difference_ytd", "YTD", "gbp", _DIFFERENCE),
    Column("difference_fot", "FOT", "gbp", _DIFFERENCE),
    Column("eliminated_fot", "Eliminated FOT", "gbp", "Gross ICS"),
)
STATUS = {
    "agreed": "Agreed",
    "within_materiality": "Within materiality",
    "mismatch": "Above materiality",
    "payer_untagged": "Payer has not tagged it",
    "payee_untagged": "Payee has not tagged it",
}


def status(pair: AgreementPair, materiality: int) -> str:
    if not pair.income.tagged:
        return "payee_untagged"
    if not pair.expenditure.tagged:
        return "payer_untagged"
    if pair.ytd_difference == 0 and pair.fot_difference == 0:
        return "agreed"
    return "mismatch" if pair.flagged(materiality) else "within_materiality"


def _side(side: FlowSide) -> tuple[Value, Value]:
    """A side as shown: expenditure negative, like every I&E of the pack; a dash if untagged."""
    if not side.tagged:
        return None, None
    return side.line.sign * side.line.ytd_actual, side.line.sign * side.line.fot


def _cells(pair: AgreementPair, materiality: int) -> tuple[Value, ...]:
    both = pair.both_tagged
    code = status(pair, materiality)
    return (
        Coded(code, STATUS[code]), *_side(pair.expenditure), *_side(pair.income),
        pair.ytd_difference if both else None, pair.fot_difference if both else None, pair.matched.fot,
    )  # fmt: skip


def _total(pairs: tuple[AgreementPair, ...]) -> tuple[Value, ...]:
    def summed(get) -> int:  # type: ignore[no-untyped-def]
        return sum(get(p) for p in pairs)

    def side(get) -> Line:  # type: ignore[no-untyped-def]
        total = Line(+1)
        for p in pairs:
            line = get(p).line
            total = total + Line(+1, line.ytd_plan, line.ytd_actual, line.year_plan, line.forecast)
        return total

    spent, earned = side(lambda p: p.expenditure), side(lambda p: p.income)
    both = tuple(p for p in pairs if p.both_tagged)
    return (
        "", -spent.ytd_actual, -spent.fot, earned.ytd_actual, earned.fot,
        sum(p.ytd_difference for p in both), sum(p.fot_difference for p in both), summed(lambda p: p.matched.fot),
    )  # fmt: skip


def tables(pack: PackInputs) -> tuple[Table, ...]:
    r = pack.results
    agreement = r.agreement
    names = {o.code: o.name for o in pack.system.organisations}
    place = {code: i for i, code in enumerate(names)}  # system.yaml's order, as every other sheet
    in_order = sorted(agreement.pairs, key=lambda p: (place.get(p.payer, len(place)), p.payer, place.get(p.payee, len(place)), p.payee))
    rows = [
        Row(f"{p.payer}.{p.payee}", f"{names.get(p.payer, p.payer)} to {names.get(p.payee, p.payee)}", _cells(p, agreement.materiality))
        for p in in_order
    ]
    if agreement.pairs:
        rows.append(Row(TOTAL, "Total", _total(agreement.pairs), total=True))
    notes = (
        "Each flow between two organisations of the system as each side reports it: the payer's rows tagged with the payee "
        "against the payee's income rows tagged with the payer. Difference = income - expenditure.",
        f"Above materiality: the sides differ by more than {pounds_label(agreement.materiality)}, the system's threshold for agreeing balances, YTD or FOT.",
        "Eliminated = the smaller side, measure by measure: removed from both gross ICS income and expenditure (System I&E); "
        "a flow tagged by one side only is not eliminated. Rows with no counterparty are read as flows with bodies outside the system.",
    )
    if not agreement.pairs:
        notes = ("No row of this close names another organisation of the system as its counterparty: nothing to agree or eliminate.",)
    return (Table("agreement_of_balances", title(f"Agreement of balances, YTD to M{r.month} and FOT", "£m"), "£m", COLUMNS, tuple(rows), notes=notes),)
