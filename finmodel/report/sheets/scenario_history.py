"""Scenario history (when runs are recorded): where each scenario's latest run on this close
puts the ICS, and the ICS likely and P10 outturn of every run this year, by date.

From the runs the close history holds (``PackInputs.scenario_runs``): runs on a later
close than this one are left out, so a pack re-written later shows what it showed then
plus the runs made on this close and earlier ones since.
"""

from __future__ import annotations

import datetime as dt

from finmodel.calendar import close_label
from finmodel.report.pack import PackInputs
from finmodel.report.sheets.scenarios import CASES_BY_CODE, case_cells, case_columns
from finmodel.report.table import ICS, Column, Row, Table
from finmodel.scenarios.compare import RecordedRun

SHEET = "Scenario history"
_LATEST = tuple(CASES_BY_CODE[c] for c in ("base_fot", "likely", "p10", "p50", "p90", "prob_meeting_target", "further_p90"))
_TRACED = ("Every run is recorded in the close history with the text and SHA-256 of its scenario file, its Monte Carlo "
           "seed and iterations (finmodel history lists them), so each figure here can be traced to the exact file.")


def _day(run: RecordedRun) -> str:
    """The run's date (UTC) as the board reads it: ``19 Feb 2024``."""
    try:
        return dt.datetime.strptime(run.run_at[:10], "%Y-%m-%d").strftime("%d %b %Y")
    except ValueError:
        return run.run_at


def runs_this_year(pack: PackInputs) -> tuple[RecordedRun, ...]:
    """The runs on closes of this year up to this one, by time."""
    r = pack.results
    runs = [run for run in pack.scenario_runs if run.year == r.year and run.month <= r.month]
    return tuple(sorted(runs, key=lambda run: (run.run_at, run.run_id)))


def _ics(run: RecordedRun):  # type: ignore[no-untyped-def]
    return next((row for row in run.summary.rows if row.row == ICS), None)


def latest_table(pack: PackInputs, runs: tuple[RecordedRun, ...]) -> Table:
    here = close_label(pack.results.year, pack.results.month)
    latest: dict[str, RecordedRun] = {}
    for run in runs:
        if run.close == here and _ics(run) is not None:
            latest[run.name] = max(run, latest.get(run.name, run), key=lambda r: r.run_id)
    columns = (Column("run", "Run", "count"), Column("run_on", "Run on", "text"), Column("close_version", "Close version", "count"),
               *case_columns(_LATEST))
    rows = tuple(
        Row(f"run_{run.run_id}", name, (run.run_id, _day(run), run.close_version, *case_cells(_ics(run), _LATEST)))
        for name, run in sorted(latest.items())
    )
    notes = ("P10 is the adverse tail: 90% of iterations end at or above it. Further mitigations: what must still be "
             "found to meet the agreed target with 90% confidence.", _TRACED)
    return Table("scenario_history_latest", f"The latest run of each scenario on the close {here}: the ICS (£m)", "£m",
                 columns, rows, notes=notes if rows else ("No scenario has been run on this close yet.", _TRACED))


def timeline_table(runs: tuple[RecordedRun, ...]) -> Table:
    columns = (Column("scenario", "Scenario", "text"), Column("close", "Close", "text"),
               Column("likely", "ICS likely"), Column("p10", "ICS P10"))
    rows = tuple(
        Row(f"run_{run.run_id}", _day(run), (run.name, run.close, ics.likely, ics.p10))
        for run in runs if (ics := _ics(run)) is not None
    )
    return Table("scenario_history_runs", "Every scenario run this year: the ICS outturn by date (£m)", "£m", columns, rows,
                 notes=("Likely: every item at its expected value. P10: the adverse tail of the Monte Carlo range.",))


def tables(pack: PackInputs) -> tuple[Table, ...]:
    runs = runs_this_year(pack)
    return (latest_table(pack, runs), timeline_table(runs))
