"""A scenario run against an earlier one, as a workbook: ``<name>-vs-run-<id>.xlsx``.

Laid out from scenarios/compare.py's comparison, as it is: the ICS before, after and the
movement; the movement of every figure by organisation; the likely case's movement step
by step; and, in words, what the scenario file says differently.
"""

from __future__ import annotations

from pathlib import Path

from finmodel.report import labels
from finmodel.report.orgs import board_order
from finmodel.report.scenario_workbook import STEPS, write_sheets
from finmodel.report.table import ICS, Column, Row, Sheet, Table
from finmodel.results import CloseResults
from finmodel.scenarios.compare import CLOSE_FOT, MEASURES, RecordedRun, RunComparison

SHEET = "Run comparison"
MEASURE_LABELS = {
    "scenario_fot": "Scenario FOT",
    "likely": "Likely case",
    "p10": "P10 (adverse)",
    "p50": "P50",
    "p90": "P90",
    "probability_meeting_target": "Probability of meeting the target",
    "further_required_likely": "Further mitigations required, likely case",
    "further_required_p50": "Further mitigations required at P50",
    "further_required_p10": "Further mitigations required with 90% confidence (P10)",
}
STEP_LABELS = {CLOSE_FOT: "Close FOT (submitted)", **STEPS}
KIND_LABELS = {"added": "Added", "removed": "Removed", "re_valued": "Re-valued", "re_assessed": "Re-assessed",
               "changed": "Changed"}
_PCT = "probability_meeting_target"


def run_label(run: RecordedRun) -> str:
    return f"Run {run.run_id}, {run.run_at[:10]}"


def about(run: RecordedRun) -> str:
    return (f"{run_label(run)}: scenario {run.name} on the close {run.close} (version {run.close_version}), "
            f"at {run.run_at} by {run.run_by}; seed {run.summary.seed}, {run.summary.iterations:,} iterations; "
            f"scenario file sha256 {run.file_sha256}.")


def _names(comparison: RunComparison, results: CloseResults) -> list[tuple[str, str]]:
    """(code, label) of every row compared: the close's organisations in board order, then the rest, then the ICS."""
    rows = [m.row for m in comparison.movements if m.measure == "likely"]
    ordered = [(o.code, o.name) for o in board_order(results) if o.code in rows]
    ordered += [(code, code) for code in rows if code != ICS and code not in dict(ordered)]
    return [*ordered, (ICS, labels.ICS_TOTAL)]


def ics_table(comparison: RunComparison) -> Table:
    columns = (Column("before", run_label(comparison.before)), Column("after", run_label(comparison.after)),
               Column("movement", "Movement"))
    rows = []
    for code, _ in MEASURES:
        m = comparison.movement(ICS, code)
        rows.append(Row(code, MEASURE_LABELS[code], (m.before, m.after, m.change), unit="pct" if code == _PCT else None))
    return Table("run_comparison_ics", f"The ICS in scenario {comparison.after.name}: how the year end moved (£m)", "£m",
                 columns, tuple(rows), notes=(about(comparison.before), about(comparison.after), *comparison.notes))


def movements_table(comparison: RunComparison, results: CloseResults) -> Table:
    columns = tuple(Column(code, MEASURE_LABELS[code], "pct" if code == _PCT else "gbp", "Movement") for code, _ in MEASURES)
    rows = tuple(
        Row(row, label, tuple(comparison.movement(row, code).change for code, _ in MEASURES), row == ICS)
        for row, label in _names(comparison, results)
    )
    return Table("run_comparison_movements", "Movement by organisation since the earlier run (£m)", "£m", columns, rows,
                 notes=("A dash: the organisation is not in one of the runs. Favourable movements positive, "
                        "except further mitigations required, where a rise is adverse.",))


def bridge_table(comparison: RunComparison, results: CloseResults) -> Table:
    names = _names(comparison, results)
    columns = tuple(Column(code, code if code != ICS else labels.ICS_TOTAL) for code, _ in names)
    rows = [Row(f"step_{i}", STEP_LABELS.get(step.step, step.step), tuple(dict(step.amounts).get(c, 0) for c, _ in names))
            for i, step in enumerate(comparison.likely_bridge)]
    total = tuple(comparison.movement(code, "likely").change for code, _ in names)
    rows.append(Row("likely", "Movement in the likely case", total, True))
    return Table("run_comparison_bridge", "What moved the likely case, step by step (£000)", "£000", columns, tuple(rows),
                 notes=("Each step is the later run's step less the earlier run's, in surplus terms; the steps add up "
                        "to the movement in the likely case.",))


def file_table(comparison: RunComparison) -> Table:
    columns = (Column("key", "Item or key", "text"), Column("what", "What changed", "text"))
    rows = tuple(Row(f"change_{i}", KIND_LABELS.get(c.kind, c.kind), (c.key, c.what))
                 for i, c in enumerate(comparison.file_changes))
    notes = () if rows else ("The two scenario files say the same.",)
    return Table("run_comparison_file", "What the scenario file says differently", "", columns, rows, notes=notes)


def comparison_sheet(comparison: RunComparison, results: CloseResults) -> Sheet:
    before, after = comparison.before, comparison.after
    heading = f"{results.system_name}: scenario {after.name}, run {after.run_id} against run {before.run_id}"
    return Sheet(SHEET, heading, (ics_table(comparison), movements_table(comparison, results),
                                  bridge_table(comparison, results), file_table(comparison)))


def write_run_comparison(comparison: RunComparison, results: CloseResults, path: Path, made_at: str) -> Path:
    """The comparison as one sheet; the workbook carries the later run's time, so it is reproducible."""
    after = comparison.after
    return write_sheets((comparison_sheet(comparison, results),), path,
                        f"{results.system_name} scenario {after.name} run {after.run_id} against run {comparison.before.run_id}",
                        made_at, f"{after.close} scenario {after.name} compared")
