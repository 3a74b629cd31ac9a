"""Underlying position: each organisation's FOT without its one-off items, and the exit run
rate it carries into next year; the ICS bridge as a waterfall (the data of its chart)."""

from __future__ import annotations

from finmodel.report.orgs import entries
from finmodel.report.pack import PackInputs
from finmodel.report.sheets.common import SUBMITTED_FOT, org_rows, title
from finmodel.report.sheets.drivers import WATERFALL_COLUMNS, floating_step
from finmodel.report.table import ICS, Column, Row, Table
from finmodel.results.underlying import Underlying, UnderlyingPosition

SHEET = "Underlying position"
COLUMNS = (
    Column("fot", "FOT", "gbp", "Outturn"),
    Column("one_off_income", "One-off income out", "gbp", "One-off items"),
    Column("one_off_costs", "One-off costs back", "gbp", "One-off items"),
    Column("non_recurrent_cip", "Non-recurrent CIP out", "gbp", "One-off items"),
    Column("underlying", "Underlying position", "gbp", "Underlying"),
    Column("recurrent_month", "Recurrent month", "gbp", "Exit run rate"),
    Column("exit_run_rate", "Exit run rate", "gbp", "Exit run rate"),
    Column("exit_vs_underlying", "Against underlying", "gbp", "Exit run rate"),
)
# The bridge's steps, in the order the board reads them (docs/tables.md).
BRIDGE = (
    ("fot", "FOT"),
    ("one_off_income", "One-off income taken out"),
    ("one_off_costs", "One-off costs added back"),
    ("non_recurrent_cip", "Non-recurrent CIP taken out"),
    ("underlying", "Underlying position"),
    ("exit_vs_underlying", "Year-end run rate against the year"),
    ("exit_run_rate", "Exit run rate"),
)
_TOTALS = ("fot", "underlying", "exit_run_rate")


def cells(u: UnderlyingPosition) -> tuple[int, ...]:
    """In surplus terms, so the columns add across: FOT - income + costs - CIP = underlying."""
    return (u.fot, -u.one_off_income, u.one_off_costs, -u.non_recurrent_cip, u.underlying,
            u.recurrent_month, u.exit_run_rate, u.exit_vs_underlying)


def basis(underlying: Underlying, month: int) -> str:
    """The months the exit run rate is made from, in words: 'Q3 (M7-M9) actuals'."""
    first, last = underlying.first_month, underlying.last_month
    if underlying.rule == "m12_forecast":
        return "the M12 actual" if month == 12 else "the M12 forecast"
    if last - first == 2 and last % 3 == 0:
        return f"Q{last // 3} (M{first}-M{last}) actuals"
    closed = f"M{first}" if first == last else f"M{first}-M{last}"
    return f"{closed} actuals (no quarter closed yet)"


def bridge_rows(ics: UnderlyingPosition) -> tuple[Row, ...]:
    """FOT and the underlying and exit figures stand on zero; each step floats from the last."""
    values = dict(zip((c.code for c in COLUMNS), cells(ics)))
    rows, running = [], 0
    for code, label in BRIDGE:
        value = values[code]
        if code in _TOTALS:
            rows.append(Row(code, label, (0, 0, 0, 0, 0, value), total=True))
            running = value
            continue
        base, above, below = floating_step(running, running + value)
        up = value >= 0
        rows.append(Row(code, label, (base, above if up else 0, below if up else 0, 0 if up else above, 0 if up else below, 0)))
        running += value
    return tuple(rows)


def tables(pack: PackInputs) -> tuple[Table, ...]:
    r = pack.results
    heading = title("Underlying position and exit run rate", "£m")
    if r.underlying is None:
        note = "Not recorded for this close: it was stored before finmodel computed the underlying position."
        return (Table("underlying", heading, "£m", COLUMNS, (), notes=(note,)),)
    rows = entries(r, {u.org: u for u in r.underlying.rows}, "org")
    ics = next(e.record for e in rows if e.code == ICS)
    made_from = basis(r.underlying, r.month)
    notes = (
        "Underlying position = FOT less one-off items, in surplus terms: non-recurrent income and CIP savings taken out, "
        "non-recurrent costs added back.",
        "One-off items are the ledger lines organisations mark as non-recurrent, and the efficiency schemes not "
        "recurrent, counted where the saving lands.",
        f"Exit run rate = the recurrent monthly position of {made_from} x 12.",
        SUBMITTED_FOT,
    )
    return (
        Table("underlying", heading, "£m", COLUMNS, org_rows(rows, cells), notes=notes),
        Table(
            "underlying_bridge",
            title("ICS bridge from FOT to the exit run rate: waterfall", "£m"),
            "£m",
            WATERFALL_COLUMNS,
            bridge_rows(ics),
            notes=("Drawn on the Underlying position sheet: each step floats from the running total on a base that is not drawn.",),
        ),
    )
