"""Scenario workbooks: one per scenario (its cases and its bridge) and a comparison.

The sheets are the board pack's own tables laid out by its writer, so they look alike and
keep its safety settings (no text becomes a formula) and its reproducibility: the
workbook's creation time is the time given, so the same run gives the same bytes. Files
are written whole to a temporary name and moved into place.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from pathlib import Path

import xlsxwriter
from xlsxwriter.workbook import Workbook

from finmodel.calendar import close_label
from finmodel.report import labels
from finmodel.report.charts import ADVERSE, FAVOURABLE, PLAN_COLOUR, SIZE, TOTAL_COLOUR
from finmodel.report.files import replace_all
from finmodel.report.layout import bottom, place
from finmodel.report.orgs import board_order
from finmodel.report.sheets.scenarios import CASE_COLUMNS, CASES_BY_CODE, RANGE, RANGE_COLUMNS, case_cells, case_columns
from finmodel.report.table import ICS, Column, Row, Sheet, Table
from finmodel.report.workbook import OPTIONS, Styles, made_at_datetime, write_sheet
from finmodel.results import CloseResults
from finmodel.scenarios.register import REGISTER_AS_CLOSED, REGISTER_CHANGE
from finmodel.scenarios.sharing import RISK_SHARE, RISK_SHARE_LIKELY
from finmodel.scenarios.shocks import LABELS as SHOCK_LABELS
from finmodel.scenarios.summary import BridgeItem, ScenarioRow, ScenarioSummary

CASES_SHEET, BRIDGE_SHEET, COMPARISON_SHEET = "Cases", "Bridge", "Comparison"
PERCENTILES = "P10 is the adverse tail: 90% of iterations end at or above it. Percentiles are the inverted empirical CDF (exact iterations)."

# After the shocks the bridge has reached the scenario FOT; the register steps lead on to the likely case.
_TO_LIKELY = (REGISTER_AS_CLOSED, REGISTER_CHANGE, RISK_SHARE_LIKELY)
_RANGE_LABELS = {"base_fot": "Scenario FOT"}  # in a scenario the base is the FOT after its shocks
STEPS = {
    **SHOCK_LABELS,
    RISK_SHARE: "Risk share",
    REGISTER_AS_CLOSED: "Register as closed",
    REGISTER_CHANGE: "Register change",
    RISK_SHARE_LIKELY: "Risk share, likely case",
}


def _org_rows(summary: ScenarioSummary, results: CloseResults) -> list[tuple[str, str, ScenarioRow, bool]]:
    """(code, label, row, total) in board order, then the ICS; organisations the summary lacks are left out."""
    by_row = {s.row: s for s in summary.rows}
    rows = [(o.code, o.name, by_row[o.code], False) for o in board_order(results) if o.code in by_row]
    if ICS in by_row:
        rows.append((ICS, labels.ICS_TOTAL, by_row[ICS], True))
    return rows


def _about(summary: ScenarioSummary) -> str:
    digest = f"; scenario file sha256 {summary.file_sha256}" if summary.file_sha256 else ""
    return f"Scenario {summary.name} on the close {summary.close}; Monte Carlo {summary.iterations:,} iterations, seed {summary.seed}{digest}."


def cases_table(summary: ScenarioSummary, results: CloseResults) -> Table:
    return Table(
        "scenario_cases",
        f"Scenario {summary.name}: cases and Monte Carlo range by organisation (£m)",
        "£m",
        case_columns(CASE_COLUMNS),
        tuple(Row(code, label, case_cells(s, CASE_COLUMNS), total) for code, label, s, total in _org_rows(summary, results)),
        notes=(
            "Scenario FOT: the close's submitted FOT after the scenario's shocks (see Bridge). Best: no risks, all mitigations. "
            "Likely: likelihood-weighted. Worst: all risks, only delivered mitigations.",
            PERCENTILES + " Percentiles do not add up, so the ICS row is simulated as a whole.",
            "Further mitigations required: what must still be found to meet the agreed target in that case (never negative).",
            _about(summary),
        ),
    )


def range_table(summary: ScenarioSummary) -> Table | None:
    ics = next((s for s in summary.rows if s.row == ICS), None)
    if ics is None:
        return None
    return Table(
        "scenario_range",  # the board pack's chart of the system range draws from this key
        "Range of the ICS outturn against the agreed target (£m)",
        "£m",
        RANGE_COLUMNS,
        tuple(Row(code, _RANGE_LABELS.get(code, label), (getattr(ics, code), ics.target)) for code, label in RANGE),
        notes=("The data of the chart below.",),
    )


def _bridge_rows(bridge: Sequence[BridgeItem], orgs: Sequence[str]) -> list[tuple[str, str, dict[str, int]]]:
    """One row per step (overlay and description), in the bridge's order; amounts by organisation."""
    rows: dict[tuple[str, str], dict[str, int]] = {}
    for item in bridge:
        amounts = rows.setdefault((item.overlay, item.description), dict.fromkeys(orgs, 0))
        amounts[item.org] = amounts.get(item.org, 0) + item.amount
    return [(overlay, description, amounts) for (overlay, description), amounts in rows.items()]


def bridge_table(summary: ScenarioSummary, results: CloseResults) -> Table:
    """Close FOT -> each shock -> scenario FOT -> the register and its changes -> likely case."""
    orgs = [o.code for o in board_order(results) if any(s.row == o.code for s in summary.rows)]
    columns = (Column("detail", "Detail", "text"), *(Column(code, code) for code in orgs), Column(ICS, labels.ICS_TOTAL))
    by_row = {s.row: s for s in summary.rows}

    def row(code: str, label: str, detail: str, amounts: dict[str, int], total: bool = False) -> Row:
        values = [amounts[o] for o in orgs]
        return Row(code, label, (detail, *values, sum(values)), total)

    def step(i: int, overlay: str, description: str, amounts: dict[str, int]) -> Row:
        return row(f"step_{i}", STEPS.get(overlay, overlay), description, amounts)

    close = {o: results.position(o).surplus.fot for o in orgs}
    steps = list(enumerate(_bridge_rows(summary.bridge, orgs)))
    rows = [row("close_fot", "Close FOT (submitted)", "", close, True)]
    rows += [step(i, *s) for i, s in steps if s[0] not in _TO_LIKELY]
    rows.append(row("scenario_fot", "Scenario FOT", "", {o: by_row[o].base_fot for o in orgs}, True))
    rows += [step(i, *s) for i, s in steps if s[0] in _TO_LIKELY]
    rows.append(row("likely", "Likely case", "", {o: by_row[o].likely for o in orgs}, True))
    return Table(
        "scenario_bridge",
        "Bridge from the close's FOT to the scenario's likely case (£000)",
        "£000",
        columns,
        tuple(rows),
        notes=(
            "Each step is in surplus terms: favourable positive, adverse in brackets. Register steps are likelihood-weighted.",
            "Each shock is measured against the close as submitted; risk-share transfers move money between organisations "
            "and leave the ICS total unchanged.",
        ),
    )


def _write(
    sheets: Sequence[Sheet], title: str, made_at: str, label: str, extra: Callable[[Workbook], None] | None = None
) -> bytes:
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, OPTIONS)
    wb.set_properties({
        "title": title, "subject": "Scenario overlays on a close", "author": "finmodel",
        "comments": f"made at {made_at}", "created": made_at_datetime(made_at),
    })
    styles = Styles(wb)
    for sheet in sheets:
        write_sheet(wb, sheet, styles, label)
    if extra is not None:
        extra(wb)
    wb.close()
    return buffer.getvalue()


def write_sheets(sheets: Sequence[Sheet], path: Path, title: str, made_at: str, label: str) -> Path:
    """Other scenario sheets (a comparison of two runs) as one workbook written like these."""
    return replace_all({Path(path): _write(sheets, title, made_at, label)})[0]


def scenario_sheets(summary: ScenarioSummary, results: CloseResults) -> tuple[Sheet, ...]:
    heading = f"{results.system_name}: scenario {summary.name} on the close {summary.close}"
    cases = [cases_table(summary, results)]
    ranged = range_table(summary)
    if ranged is not None:
        cases.append(ranged)
    return (Sheet(CASES_SHEET, heading, tuple(cases)), Sheet(BRIDGE_SHEET, heading, (bridge_table(summary, results),)))


def write_scenario_workbook(summary: ScenarioSummary, results: CloseResults, path: Path, made_at: str) -> Path:
    """outputs/<year>/<month>/scenarios/<name>.xlsx: the Cases sheet (with the chart of the
    system's range) and the Bridge sheet."""
    data = _write(scenario_sheets(summary, results), f"{results.system_name} scenario {summary.name} {summary.close}",
                  made_at, f"{summary.close} scenario {summary.name}")
    return replace_all({Path(path): data})[0]


def comparison_sheet(summaries: Sequence[ScenarioSummary], results: CloseResults) -> Sheet:
    ics_rows = []
    for i, summary in enumerate(summaries):
        ics = next(s for s in summary.rows if s.row == ICS)
        ics_rows.append(Row(f"s{i}", summary.name, case_cells(ics, CASE_COLUMNS)))
    tables = [
        Table("comparison_ics", "The ICS in each scenario (£m)", "£m", case_columns(CASE_COLUMNS), tuple(ics_rows),
              notes=(PERCENTILES, *(_about(s) for s in summaries))),
    ]
    columns = tuple(Column(f"s{i}", s.name) for i, s in enumerate(summaries))
    measures = (
        ("likely", "Likely case by organisation (£m)", "£m"),
        ("p50", "P50 outturn by organisation (£m)", "£m"),
        ("further_p90", "Further mitigations required with 90% confidence by organisation (£m)", "£m"),
        ("prob_meeting_target", "Probability of meeting the agreed target by organisation", ""),
    )
    codes = [o.code for o in board_order(results)] + [ICS]
    names = {o.code: o.name for o in results.organisations} | {ICS: labels.ICS_TOTAL}
    for key, title, scale in measures:
        measure = CASES_BY_CODE[key]
        by_scenario = [{s.row: s for s in summary.rows} for summary in summaries]
        rows = tuple(
            Row(code, names[code], tuple(measure.value(b[code]) if code in b else None for b in by_scenario), code == ICS,
                unit="pct" if measure.unit == "pct" else None)
            for code in codes
        )
        tables.append(Table(f"comparison_{key}", title, scale, columns, rows))  # type: ignore[arg-type]
    return Sheet(COMPARISON_SHEET, f"{results.system_name}: scenarios compared on the close {summaries[0].close if summaries else ''}",
                 tuple(tables))


def _comparison_chart(wb: Workbook, sheet: Sheet) -> None:
    """The ICS range (P10, P50, P90, likely) of each scenario against the target."""
    placed = place(sheet)
    first = placed[0]
    if not first.table.rows:
        return
    ws = wb.get_worksheet_by_name(sheet.name)
    last = first.first_row + len(first.table.rows) - 1
    chart = wb.add_chart({"type": "column"})
    for code, colour in (("p10", ADVERSE), ("p50", TOTAL_COLOUR), ("likely", PLAN_COLOUR), ("p90", FAVOURABLE)):
        c = first.col(code)
        chart.add_series({
            "name": [sheet.name, first.header_row, c], "categories": [sheet.name, first.first_row, first.first_col, last, first.first_col],
            "values": [sheet.name, first.first_row, c, last, c], "fill": {"color": colour}, "gap": 80,
        })
    target = wb.add_chart({"type": "line"})
    c = first.col("target")
    target.add_series({
        "name": [sheet.name, first.header_row, c], "categories": [sheet.name, first.first_row, first.first_col, last, first.first_col],
        "values": [sheet.name, first.first_row, c, last, c], "line": {"color": ADVERSE, "width": 2, "dash_type": "dash"},
        "marker": {"type": "diamond", "size": 6},
    })
    chart.combine(target)
    font = {"name": "Arial", "size": 9}
    chart.set_title({"name": "ICS outturn range by scenario against the agreed target (£m)", "name_font": {**font, "size": 11, "bold": True}})
    chart.set_y_axis({"num_format": "#,##0.0;(#,##0.0)", "num_font": font, "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}})
    chart.set_x_axis({"num_font": font, "label_position": "low"})
    chart.set_legend({"position": "bottom", "font": font})
    at = bottom(placed) + 2
    ws.insert_chart(at, 0, chart, SIZE)
    ws.set_h_pagebreaks([at])  # the chart starts a page rather than straddling two


def write_comparison_workbook(summaries: Sequence[ScenarioSummary], results: CloseResults, path: Path, made_at: str) -> Path:
    """One sheet comparing the scenarios given: the ICS in each, then organisations by measure."""
    sheet = comparison_sheet(summaries, results)
    close = summaries[0].close if summaries else close_label(results.year, results.month)
    data = _write((sheet,), f"{results.system_name} scenarios compared {close}", made_at, f"{close} scenarios compared",
                  extra=lambda wb: _comparison_chart(wb, sheet))
    return replace_all({Path(path): data})[0]
