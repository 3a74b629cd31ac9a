"""KPIs: the headline figures by organisation and for the ICS, movement since last month
with its symbol, and a generated note on each row."""

from __future__ import annotations

from finmodel.money import format_millions, pounds_label
from finmodel.report import labels
from finmodel.results.kpis import Kpi, below_target, kpis, recurrent_target
from finmodel.results.movement import DETERIORATED, IMPROVED, WITHIN_MATERIALITY
from finmodel.report.narrative import change, kpi_notes
from finmodel.report.orgs import board_order
from finmodel.report.pack import PackInputs
from finmodel.report.sheets.common import SURPLUS_TERMS, title
from finmodel.report.table import ICS, Column, Row, Table


def symbol_column(code: str) -> str:
    return f"{code}_symbol"


def column_names(pack: PackInputs) -> dict[str, str]:
    """Each organisation's column header: its short name (system.yaml), as tight tables need."""
    known = set(pack.system.codes)
    return {
        o.code: pack.system.organisation(o.code).shown_short if o.code in known else o.name for o in pack.results.organisations
    } | {ICS: labels.ICS_TOTAL}


def fot_movement_note(pack: PackInputs, kpi: Kpi) -> str:
    previous = pack.comparable_previous
    value = kpi.values.get(ICS)
    if previous is None:
        return "First close of the year: no movement to show."
    if not isinstance(value, int):
        return "No movement to show."
    return f"The ICS FOT variance is {change(value, f'M{previous.month}')} ({kpi.symbols.get(ICS, '')})."


def kpi_table(pack: PackInputs) -> Table:
    r = pack.results
    rows_of = kpis(r, pack.comparable_previous, pack.system.parameters.materiality)
    notes = kpi_notes(pack, rows_of) | {"fot_var_change": fot_movement_note(pack, next(k for k in rows_of if k.code == "fot_var_change"))}
    target = recurrent_target(pack.system)
    codes = [o.code for o in board_order(r)] + [ICS]
    names = column_names(pack)
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

    pence = pack.system.parameters.materiality
    # £0.5m as the tables show money, unless rounding to £0.1m would change it (£250,000 is not "£0.3m")
    materiality = f"£{format_millions(pence)}m" if pence % 10_000_000 == 0 else pounds_label(pence)
    return Table(
        "kpis",
        title(f"Key performance indicators at M{r.month}", "£m"),
        "£m",
        tuple(columns),
        tuple(row(k) for k in rows_of),
        notes=(
            SURPLUS_TERMS + " Movement = this close - the previous close, in surplus terms.",
            f"{IMPROVED} improved, {DETERIORATED} deteriorated, {WITHIN_MATERIALITY} within the materiality threshold of {materiality}.",
            f"% recurrent is flagged (red) below the target of {target:.1%}.",
        ),
    )


def tables(pack: PackInputs) -> tuple[Table, ...]:
    return (kpi_table(pack),)
