"""Scenarios (when run): the standard cases and the Monte Carlo range by organisation, and the
range of the system's outturn (the data of its chart)."""

from __future__ import annotations

from finmodel.report.orgs import board_order
from finmodel.report.pack import PackInputs
from finmodel.report.sheets.common import title
from finmodel.report.table import ICS, Column, Row, Table
from finmodel.scenarios.summary import ScenarioRow, ScenarioSummary

COLUMNS = (
    Column("target", "Agreed target", "gbp", ""),
    Column("base_fot", "Base FOT", "gbp", "Cases"),
    Column("best", "Best", "gbp", "Cases"),
    Column("likely", "Likely", "gbp", "Cases"),
    Column("worst", "Worst", "gbp", "Cases"),
    Column("p10", "P10", "gbp", "Monte Carlo"),
    Column("p50", "P50", "gbp", "Monte Carlo"),
    Column("p90", "P90", "gbp", "Monte Carlo"),
    Column("prob_meeting_target", "Probability of meeting target", "pct", "Monte Carlo"),
    Column("further_likely", "Likely case", "gbp", "Further mitigations required"),
    Column("further_p90", "With 90% confidence", "gbp", "Further mitigations required"),
)
RANGE_COLUMNS = (Column("outturn", "Outturn"), Column("target", "Agreed target"))
RANGE = (
    ("worst", "Worst case"), ("p10", "P10"), ("p50", "P50"), ("likely", "Likely case"),
    ("base_fot", "Base (submitted FOT)"), ("p90", "P90"), ("best", "Best case"),
)


def _cells(s: ScenarioRow) -> tuple:
    return (
        s.target, s.base_fot, s.best, s.likely, s.worst, s.p10, s.p50, s.p90, s.probability_meeting_target,
        s.further_required_likely, s.further_required_p90,
    )


def tables(pack: PackInputs, summary: ScenarioSummary) -> tuple[Table, ...]:
    r = pack.results
    by_row = {s.row: s for s in summary.rows}
    rows = [Row(o.code, o.name, _cells(by_row[o.code])) for o in board_order(r) if o.code in by_row]
    ics = by_row.get(ICS)
    if ics is not None:
        rows.append(Row(ICS, "ICS total", _cells(ics), total=True))
    out = [
        Table(
            "scenarios",
            title(f"Scenarios on the close: {summary.name}", "£m"),
            "£m",
            COLUMNS,
            tuple(rows),
            notes=(
                "Best: no risks, all mitigations. Likely: likelihood-weighted. Worst: all risks, only delivered mitigations.",
                f"Monte Carlo: {summary.iterations:,} iterations, seed {summary.seed}; P10 is the adverse tail. "
                "Percentiles are not additive, so no provider total is shown.",
            ),
        )
    ]
    if ics is not None:
        out.append(
            Table(
                "scenario_range",
                title("Range of the ICS outturn against the agreed target", "£m"),
                "£m",
                RANGE_COLUMNS,
                tuple(Row(code, label, (getattr(ics, code), ics.target)) for code, label in RANGE),
                notes=("The data of the chart below.",),
            )
        )
    return tuple(out)
