"""Scenarios (when run): the standard cases and the Monte Carlo range by organisation, and the
range of the system's outturn (the data of its chart)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from operator import attrgetter

from finmodel.report.orgs import board_order
from finmodel.report.pack import PackInputs
from finmodel.report.sheets.common import title
from finmodel.report.table import ICS, Column, Row, Table, Unit, Value
from finmodel.scenarios.summary import ScenarioRow, ScenarioSummary


@dataclass(frozen=True)
class CaseColumn:
    """A column of a scenario's cases: its header and how a row of the summary gives its value."""

    code: str
    label: str
    unit: Unit
    band: str
    value: Callable[[ScenarioRow], Value]

    @property
    def column(self) -> Column:
        return Column(self.code, self.label, self.unit, self.band)


def _case(code: str, label: str, unit: Unit, band: str, attribute: str | None = None) -> CaseColumn:
    return CaseColumn(code, label, unit, band, attrgetter(attribute or code))


FURTHER = "Further mitigations required"
# The cases of a scenario workbook (and of the comparison's ICS table), in order.
CASE_COLUMNS = (
    _case("target", "Agreed target", "gbp", ""),
    _case("base_fot", "Scenario FOT", "gbp", "Cases"),
    _case("best", "Best", "gbp", "Cases"),
    _case("likely", "Likely", "gbp", "Cases"),
    _case("worst", "Worst", "gbp", "Cases"),
    _case("p10", "P10", "gbp", "Monte Carlo"),
    _case("p50", "P50", "gbp", "Monte Carlo"),
    _case("p90", "P90", "gbp", "Monte Carlo"),
    _case("prob_meeting_target", "Probability of meeting target", "pct", "Monte Carlo", "probability_meeting_target"),
    _case("further_likely", "Likely case", "gbp", FURTHER, "further_required_likely"),
    _case("further_p50", "At P50", "gbp", FURTHER, "further_required_p50"),
    _case("further_p90", "With 90% confidence (P10)", "gbp", FURTHER, "further_required_p90"),
)
CASES_BY_CODE = {c.code: c for c in CASE_COLUMNS}
# The board pack shows the standard scenario: no shocks, so its base is the submitted FOT,
# and one figure of further mitigations fewer.
_PACK_LABELS = {"base_fot": "Base FOT", "further_p90": "With 90% confidence"}
PACK_COLUMNS = tuple(dataclasses.replace(c, label=_PACK_LABELS.get(c.code, c.label)) for c in CASE_COLUMNS if c.code != "further_p50")


def case_columns(cases: Sequence[CaseColumn]) -> tuple[Column, ...]:
    return tuple(c.column for c in cases)


def case_cells(row: ScenarioRow, cases: Sequence[CaseColumn]) -> tuple[Value, ...]:
    return tuple(c.value(row) for c in cases)


COLUMNS = case_columns(PACK_COLUMNS)
RANGE_COLUMNS = (Column("outturn", "Outturn"), Column("target", "Agreed target"))
RANGE = (
    ("worst", "Worst case"), ("p10", "P10"), ("p50", "P50"), ("likely", "Likely case"),
    ("base_fot", "Base (the close's FOT)"), ("p90", "P90"), ("best", "Best case"),
)


def tables(pack: PackInputs, summary: ScenarioSummary) -> tuple[Table, ...]:
    r = pack.results
    by_row = {s.row: s for s in summary.rows}
    rows = [Row(o.code, o.name, case_cells(by_row[o.code], PACK_COLUMNS)) for o in board_order(r) if o.code in by_row]
    ics = by_row.get(ICS)
    if ics is not None:
        rows.append(Row(ICS, "ICS total", case_cells(ics, PACK_COLUMNS), total=True))
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
