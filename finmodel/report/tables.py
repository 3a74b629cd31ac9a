"""Every sheet of the board pack as tables, in board order. Pure: results in, values out.

The workbook and the tidy CSVs are both laid out from what this returns, so they always
agree; nothing downstream decides a row, a column, a label or a value.
"""

from __future__ import annotations

from collections.abc import Callable

from finmodel.report.custom.sheet import custom_sheets
from finmodel.report.pack import PackInputs
from finmodel.report.sheets import (
    agency,
    agreement,
    capital,
    challenge,
    contents,
    drivers,
    efficiency,
    kpis,
    lines,
    phc,
    plan_changes,
    pooled,
    provider_summaries,
    risks,
    scenario_history,
    scenarios,
    system_ie,
    underlying,
)
from finmodel.report.table import Sheet, Table
from finmodel.report.workbook import CHART_DATA


def _heading(pack: PackInputs, sheet: str) -> str:
    return f"{pack.results.system_name}: {sheet}, {pack.close_label}"


_EVERY_CLOSE: tuple[tuple[str, Callable[[PackInputs], tuple[Table, ...]]], ...] = (
    ("KPIs", kpis.tables),
    ("System I&E", system_ie.tables),
    ("Provider subjective", lines.subjective_tables),
    ("ICB", lines.icb_tables),
    ("Drivers", drivers.tables),
    ("Efficiency", efficiency.tables),
    (underlying.SHEET, underlying.tables),
    ("Agency", agency.tables),
    ("Risks", risks.tables),
    ("Capital", capital.tables),
    ("PHC", phc.tables),
    ("Provider summaries", provider_summaries.tables),
    ("Forecast challenge", challenge.tables),
    (agreement.SHEET, agreement.tables),
)
SCENARIOS = "Scenarios"
# Every standard sheet a pack can have; a custom table's sheet may be none of these.
SHEET_NAMES = (contents.SHEET, *(name for name, _ in _EVERY_CLOSE), plan_changes.SHEET, pooled.SHEET, SCENARIOS, scenario_history.SHEET)
RESERVED_SHEETS = (*SHEET_NAMES, CHART_DATA)


def build_sheets(pack: PackInputs) -> tuple[Sheet, ...]:
    """Contents first, then each sheet of board-pack.md (Plan changes after KPIs, only when
    a full-year plan was re-based since last month), then one sheet per custom table
    (docs/custom-tables.md); Scenarios and Scenario history last, only when there are any."""
    built = [Sheet(name, _heading(pack, name), build(pack)) for name, build in _EVERY_CLOSE]
    # A sheet the system has nothing for (the ICB sheet of a system with no ICB) is left
    # out, not printed as empty headers; Contents says which and why.
    sheets = [s for s in built if s.tables]
    left_out = tuple(s.name for s in built if not s.tables)
    changes = plan_changes.tables(pack)
    if changes:
        after = next(i for i, s in enumerate(sheets) if s.name == "KPIs") + 1  # the KPI notes name them too
        sheets.insert(after, Sheet(plan_changes.SHEET, _heading(pack, plan_changes.SHEET), changes))
    if pooled.has_pools(pack.results):  # after PHC: a CHC gain share is read beside it
        after = next(i for i, s in enumerate(sheets) if s.name == "PHC") + 1
        sheets.insert(after, Sheet(pooled.SHEET, _heading(pack, pooled.SHEET), pooled.tables(pack)))
    sheets += custom_sheets(pack, lambda name: _heading(pack, name))
    if pack.scenarios is not None:
        sheets.append(Sheet(SCENARIOS, _heading(pack, SCENARIOS), scenarios.tables(pack, pack.scenarios)))
    sheets += [Sheet(scenario_history.SHEET, _heading(pack, scenario_history.SHEET), scenario_history.tables(pack))] if pack.scenario_runs else []
    front = Sheet(contents.SHEET, _heading(pack, "board pack"), contents.tables(pack, tuple(sheets), left_out))
    return (front, *sheets)


def build_tables(pack: PackInputs) -> tuple[Table, ...]:
    return tuple(t for s in build_sheets(pack) for t in s.tables)
