"""The board pack's Scenario history sheet, from the runs the close history holds (by hand).

The pack is report_fixture's M4 close; its hand-made summary puts the ICS likely at its FOT
- 120m and P10 at FOT - 360m. Runs are made from it with the ICS moved by known amounts.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import openpyxl

from finmodel.report import build_sheets, write_board_pack
from finmodel.report.sheets.scenario_history import SHEET
from finmodel.scenarios.compare import RecordedRun
from finmodel.scenarios.summary import ScenarioSummary
from tests import report_fixture

M = 100_000_000  # pence in £1m


def _moved(summary: ScenarioSummary, by: int) -> ScenarioSummary:
    return dataclasses.replace(summary, rows=tuple(
        dataclasses.replace(r, likely=r.likely + by, p10=r.p10 + by) if r.row == "ICS" else r for r in summary.rows))


def _run(run_id: int, name: str, month: int, at: str, summary: ScenarioSummary, version: int = 1) -> RecordedRun:
    return RecordedRun(run_id, name, "2023/24", month, version, at, "asmith", "a" * 64, summary)


def _pack_with_runs():
    pack = report_fixture.pack()
    base = pack.scenarios
    assert base is not None
    runs = (
        _run(1, "plan-b", 3, "2023-07-10T09:00:00Z", _moved(base, -5 * M)),  # on M3, earlier in the year
        _run(2, "plan-b", 4, "2023-08-14T09:00:00Z", _moved(base, 2 * M)),
        _run(3, "plan-c", 4, "2023-08-15T09:00:00Z", _moved(base, -1 * M)),
        _run(4, "plan-b", 4, "2023-08-21T09:00:00Z", _moved(base, 3 * M), version=2),  # plan-b's latest on M4
        _run(5, "plan-b", 5, "2023-09-11T09:00:00Z", _moved(base, 9 * M)),  # a later close: not in M4's pack
    )
    return dataclasses.replace(pack, scenario_runs=runs), base


def test_the_latest_run_of_each_scenario_on_this_close_and_every_run_this_year():
    pack, base = _pack_with_runs()
    sheet = next(s for s in build_sheets(pack) if s.name == SHEET)
    latest, timeline = sheet.tables
    ics = next(r for r in base.rows if r.row == "ICS")
    assert [(r.code, r.label) for r in latest.rows] == [("run_4", "plan-b"), ("run_3", "plan-c")]
    assert latest.cell("run_4", "likely") == ics.likely + 3 * M and latest.cell("run_4", "p10") == ics.p10 + 3 * M
    assert (latest.cell("run_4", "run_on"), latest.cell("run_4", "close_version")) == ("21 Aug 2023", 2)
    assert latest.cell("run_3", "further_p90") == max(ics.target - (ics.p10 - M), 0)
    assert [r.code for r in timeline.rows] == ["run_1", "run_2", "run_3", "run_4"]
    assert [r.label for r in timeline.rows] == ["10 Jul 2023", "14 Aug 2023", "15 Aug 2023", "21 Aug 2023"]
    assert [timeline.cell(r.code, "likely") - ics.likely for r in timeline.rows] == [-5 * M, 2 * M, -1 * M, 3 * M]
    assert timeline.cell("run_1", "close") == "2023/24 M03" and timeline.cell("run_1", "p10") == ics.p10 - 5 * M


def test_no_runs_no_sheet_and_the_sheet_is_written_with_runs(tmp_path: Path):
    plain = report_fixture.pack()
    assert SHEET not in [s.name for s in build_sheets(plain)]
    pack, _ = _pack_with_runs()
    names = [s.name for s in build_sheets(pack)]
    assert names[-1] == SHEET and names[:-1] == [s.name for s in build_sheets(plain)]
    written = write_board_pack(pack, tmp_path)
    assert tmp_path / "tables" / "scenario_history.csv" in written
    workbook = openpyxl.load_workbook(tmp_path / "board-pack.xlsx")
    assert SHEET in workbook.sheetnames
