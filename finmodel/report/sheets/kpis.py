"""KPIs: the headline figures by organisation and for the ICS, movement since last month
with its symbol, and a generated note on each row."""

from __future__ import annotations

from finmodel.money import format_millions
from finmodel.report import labels
from finmodel.results.kpis import Kpi, below_target, kpis, recurrent_target
from finmodel.results.movement import DETERIORATED, IMPROVED, WITHIN_MATERIALITY
from finmodel.report.narrative import kpi_notes
from finmodel.report.orgs import board_order
from finmodel.report.pack import PackInputs
from finmodel.report.sheets.common import SURPLUS_TERMS, title
from finmodel.report.table import ICS, Column, Row, Table


def symbol_column(code: str) -> str:
    return f"{code}_symbol"


def kpi_table(pack: PackInputs) -> Table:
    r = pack.results
    rows_of = kpis(r, pack.comparable_previous, pack.system.parameters.materiality)
    notes = kpi_notes(pack, rows_of)
    target = recurrent_target(pack.system)
    codes = [o.code for o in board_order(r)] + [ICS]
    names = {o.code: o.name for o in r.organisations} | {ICS: labels.ICS_TOTAL}
    columns = [c for code in codes for c in (Column(code, names[code]), Column(symbol_column(code), "", "text"))]
    columns.append(Column("notes", "Notes", "text", below=True))  # printed under the table: too long for a column

    def row(k: Kpi) -> Row:
        values: list = []
        for code in codes:
            values += [k.values.get(code), k.symbols.get(code, "")]
        values.append(notes[k.code])
        adverse = ()
        if k.code == "recurrent_pct":
            adverse = tuple(c for c in codes if below_target(k.values.get(c), target))
        return Row(k.code, labels.KPIS[k.code], tuple(values), unit="pct" if k.unit == "pct" else None, adverse=adverse)

    materiality = format_millions(pack.system.parameters.materiality)
    return Table(
        "kpis",
        title(f"Key performance indicators at M{r.month}", "£m"),
        "£m",
        tuple(columns),
        tuple(row(k) for k in rows_of),
        notes=(
            SURPLUS_TERMS + " Movement = this close - the previous close, in surplus terms.",
            f"{IMPROVED} improved, {DETERIORATED} deteriorated, {WITHIN_MATERIALITY} within the materiality threshold of £{materiality}m.",
            f"% recurrent is flagged (red) below the target of {target:.1%}.",
        ),
    )


def tables(pack: PackInputs) -> tuple[Table, ...]:
    return (kpi_table(pack),)
