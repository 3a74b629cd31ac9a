"""Drivers: each organisation's YTD variance split by driver, the efficiency driver beside
the CIP tracker, and the system's variance as a waterfall (the data of its chart)."""

from __future__ import annotations

from finmodel.contract import DRIVERS
from finmodel.report import labels
from finmodel.report.orgs import entries
from finmodel.report.pack import PackInputs
from finmodel.report.sheets.common import SURPLUS_TERMS, org_rows, title
from finmodel.report.table import ICS, Column, Row, Table
from finmodel.results.drivers import OrgDrivers

BEFORE_ERF = tuple(d for d in DRIVERS if d != "erf")
DRIVER_COLUMNS = (
    *(Column(d, labels.DRIVERS[d]) for d in BEFORE_ERF),
    Column("total_excl_erf", labels.DRIVERS["total_excl_erf"]),
    Column("erf", labels.DRIVERS["erf"]),
    Column("total", labels.DRIVERS["total"]),
)
CIP_COLUMNS = (
    Column("efficiency", "Efficiency driver (ledger)"),
    Column("cip_tracker_var", "CIP tracker YTD variance"),
    Column("efficiency_vs_cip_tracker", "Difference"),
)
WATERFALL_COLUMNS = (
    Column("base", "Base (not drawn)"),
    Column("favourable_above_zero", "Favourable"),
    Column("favourable_below_zero", "Favourable (below zero)"),
    Column("adverse_above_zero", "Adverse"),
    Column("adverse_below_zero", "Adverse (below zero)"),
    Column("total", "Total"),
)


def driver_cells(d: OrgDrivers) -> tuple[int, ...]:
    return (*(getattr(d, c) for c in BEFORE_ERF), d.total_excl_erf, d.erf, d.total)


def floating_step(start: int, end: int) -> tuple[int, int, int]:
    """(base, part above zero, part below zero) of a floating column from start to end.

    Excel stacks positive and negative values of a stacked column chart separately from
    zero, so a column that crosses zero is drawn as two parts on a zero base.
    """
    low, high = min(start, end), max(start, end)
    if low >= 0:
        return low, high - low, 0
    if high <= 0:
        return high, 0, low - high
    return 0, high, low


def waterfall_rows(system: OrgDrivers) -> tuple[Row, ...]:
    """Each driver floats from the running total; the subtotal before ERF and the total stand on zero."""
    rows, running = [], 0
    steps = [*BEFORE_ERF, "total_excl_erf", "erf", "total"]
    for code in steps:
        if code in ("total_excl_erf", "total"):
            value = getattr(system, code)
            rows.append(Row(code, labels.DRIVERS[code], (0, 0, 0, 0, 0, value), total=True))
            continue
        value = getattr(system, code)
        base, above, below = floating_step(running, running + value)
        favourable = value >= 0
        rows.append(
            Row(code, labels.DRIVERS[code], (base, above if favourable else 0, below if favourable else 0,
                                             0 if favourable else above, 0 if favourable else below, 0))
        )
        running += value
    return tuple(rows)


def tables(pack: PackInputs) -> tuple[Table, ...]:
    r = pack.results
    rows = entries(r, {d.org: d for d in r.drivers}, "org")
    ics = next(e.record for e in rows if e.code == ICS)
    return (
        Table(
            "drivers",
            title(f"Drivers of the YTD variance to M{r.month}", "£m"),
            "£m",
            DRIVER_COLUMNS,
            org_rows(rows, driver_cells),
            notes=(SURPLUS_TERMS, "Each organisation's drivers add up exactly to its YTD variance before rounding; Other is the residual."),
        ),
        Table(
            "drivers_vs_cip",
            title("Efficiency driver against the CIP tracker's YTD variance", "£m"),
            "£m",
            CIP_COLUMNS,
            org_rows(rows, lambda d: (d.efficiency, d.cip_tracker_variance, d.efficiency_vs_cip_tracker)),
            notes=("The two need not agree (timing, delivery booked elsewhere): the difference is shown, not hidden.",),
        ),
        Table(
            "drivers_waterfall",
            title("Drivers of the ICS variance: waterfall", "£m"),
            "£m",
            WATERFALL_COLUMNS,
            waterfall_rows(ics),
            notes=("Drawn on the Drivers sheet: each driver floats from the running total on a base that is not drawn.",),
        ),
    )
